/**
 * `alb-doctor scenarios` and `alb-doctor sim`: the listing, and a served scenario that a real SDK client
 * reaches at the printed endpoint until SIGINT stops it.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  DescribeLoadBalancerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { SOURCE_CLI_ARGS } from "../helpers/built.ts";
import { createAwsClients, SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/sim/", import.meta.url));

describe("alb-doctor scenarios", () => {
  it("lists name and description of each scenario file", async () => {
    const io = captureIo();
    expect(await main(["node", "alb-doctor", "scenarios", "--dir", FIXTURES], io)).toBe(0);
    expect(io.stdout).toMatch(/^sim-basic\s+Two target groups behind one ALB/m);
    expect(io.stdout).toMatch(/^\s+load balancers: my-alb, tools; root cause: targets-unhealthy$/m);
    const json = captureIo();
    await main(["node", "alb-doctor", "scenarios", "--dir", FIXTURES, "--json"], json);
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({
        file: "basic.yaml",
        name: "sim-basic",
        loadBalancers: ["my-alb", "tools"],
        rootCause: "targets-unhealthy",
      }),
    );
  });

  it("lists the shipped scenarios by default", async () => {
    const io = captureIo();
    await main(["node", "alb-doctor", "scenarios"], io);
    expect(io.stdout).toMatch(/scenarios in /);
  });
});

describe("alb-doctor sim", () => {
  it("refuses a bad port and a bad scenario with exit code 2", async () => {
    const io = captureIo();
    expect(await main(["node", "alb-doctor", "sim", `${FIXTURES}basic.yaml`, "--port", "99999"], io)).toBe(2);
    expect(io.stderr).toContain("--port: expected 0..65535");
    const bad = captureIo();
    expect(await main(["node", "alb-doctor", "sim", `${FIXTURES}missing.yaml`], bad)).toBe(2);
    expect(bad.stderr).toContain("cannot read the scenario file");
  });

  it("serves until SIGINT and prints the endpoint and environment", async () => {
    const child = spawn(
      process.execPath,
      [...SOURCE_CLI_ARGS, "sim", "--scenario", `${FIXTURES}basic.yaml`, "--port", "0"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no endpoint printed: ${out}`)), 30_000);
      child.stdout.on("data", () => {
        const m = /export AWS_ENDPOINT_URL=(\S+)/.exec(out);
        if (m && out.includes("Press Ctrl-C")) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toContain("export AWS_REGION=us-east-1");
    expect(out).toContain("export AWS_DEFAULT_REGION=us-east-1"); // AWS CLI v1 reads only this one
    expect(out).toContain("export AWS_ACCESS_KEY_ID=");
    const aws = createAwsClients({ endpoint, credentials: SIMULATOR_CREDENTIALS, maxAttempts: 1 });
    const lbArn = /ALB\s+my-alb\s+(\S+)/.exec(out)![1];
    const idle = async () =>
      (
        await aws.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }))
      ).Attributes?.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value;
    await aws.elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lbArn,
        Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "5" }],
      }),
    );
    expect(await idle()).toBe("5");
    // SIGHUP resets the account to the scenario.
    const reloaded = new Promise<void>((resolve) =>
      child.stdout.on("data", () => out.includes("Reloaded") && resolve()),
    );
    child.kill("SIGHUP");
    await reloaded;
    expect(await idle()).toBe("60");
    const id = await aws.sts.send(new GetCallerIdentityCommand({}));
    aws.destroy();
    expect(id.Account).toBe("123456789012");
    const code = await new Promise<number | null>((resolve) => {
      child.once("exit", (c) => resolve(c));
      child.kill("SIGINT");
    });
    expect(code).toBe(0);
    // The call log restarted at the reload: one Describe and the STS call since.
    expect(out).toContain("Stopped after 2 AWS calls.");
  }, 40_000);
});
