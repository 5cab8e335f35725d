/**
 * The manual playbook's ELBv2/STS commands (shared/playbook.md) run by the real AWS CLI against the
 * simulator with --endpoint-url and dummy credentials. Skipped when `aws` is not on PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../src/sim/index.ts";
import { hasAwsCli, runAws } from "./aws-cli.ts";

const FIXTURE = new URL("../fixtures/sim/basic.yaml", import.meta.url).pathname;
const LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";

describe.skipIf(!hasAwsCli)("AWS CLI against the simulator (playbook commands)", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ file: FIXTURE });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const aws = async (...args: string[]) => {
    const r = await runAws(sim.endpoint, args);
    if (r.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const awsFails = async (...args: string[]) => {
    const r = await runAws(sim.endpoint, args);
    if (r.code === 0) throw new Error("the aws command succeeded");
    return r;
  };

  it("describe-target-health with --query, as a table", async () => {
    const out = await aws(
      "elbv2",
      "describe-target-health",
      "--target-group-arn",
      TG,
      "--query",
      "TargetHealthDescriptions[*].[Target.Id,TargetHealth.State,TargetHealth.Reason,TargetHealth.Description]",
      "--output",
      "table",
    );
    expect(out).toMatch(/\|\s*i-0a1\s*\|\s*healthy\s*\|\s*None\s*\|/);
    expect(out).toMatch(/\|\s*i-0a2\s*\|\s*unhealthy\s*\|\s*Target\.Timeout\s*\|\s*Request timed out\s*\|/);
  });

  it("describe-load-balancer-attributes, modify-load-balancer-attributes, and the refused value", async () => {
    const query = ["--query", "Attributes[?Key==`idle_timeout.timeout_seconds`].Value", "--output", "text"];
    expect(
      (await aws("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", LB, ...query)).trim(),
    ).toBe("60");
    await aws(
      "elbv2",
      "modify-load-balancer-attributes",
      "--load-balancer-arn",
      LB,
      "--attributes",
      "Key=idle_timeout.timeout_seconds,Value=30",
    );
    expect(
      (await aws("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", LB, ...query)).trim(),
    ).toBe("30");
    const err = await awsFails(
      "elbv2",
      "modify-load-balancer-attributes",
      "--load-balancer-arn",
      LB,
      "--attributes",
      "Key=idle_timeout.timeout_seconds,Value=5000",
    );
    expect(err.code).toBe(255);
    expect(err.stderr).toContain("(ValidationError)");
  });

  it("describe-target-groups with --query, then modify-target-group as in the playbook", async () => {
    const query = [
      "--query",
      "TargetGroups[0].[HealthCheckProtocol,HealthCheckPort,HealthCheckPath,HealthCheckIntervalSeconds,HealthCheckTimeoutSeconds,HealthyThresholdCount,UnhealthyThresholdCount,Matcher.HttpCode]",
      "--output",
      "json",
    ];
    const before = JSON.parse(
      await aws("elbv2", "describe-target-groups", "--target-group-arns", TG, ...query),
    );
    expect(before).toEqual(["HTTP", "traffic-port", "/health", 30, 5, 5, 2, "200"]);
    await aws(
      "elbv2",
      "modify-target-group",
      "--target-group-arn",
      TG,
      "--health-check-protocol",
      "HTTP",
      "--health-check-port",
      "8080",
      "--health-check-path",
      "/health",
      "--health-check-interval-seconds",
      "15",
      "--health-check-timeout-seconds",
      "5",
      "--healthy-threshold-count",
      "2",
      "--unhealthy-threshold-count",
      "3",
      "--matcher",
      "HttpCode=200",
    );
    const after = JSON.parse(
      await aws("elbv2", "describe-target-groups", "--target-group-arns", TG, ...query),
    );
    expect(after).toEqual(["HTTP", "8080", "/health", 15, 5, 2, 3, "200"]);
  });

  it("sts get-caller-identity and a LoadBalancerNotFound error", async () => {
    expect(JSON.parse(await aws("sts", "get-caller-identity", "--output", "json"))).toMatchObject({
      Account: "123456789012",
    });
    const err = await awsFails("elbv2", "describe-load-balancers", "--names", "nope");
    expect(err.stderr).toContain("(LoadBalancerNotFound)");
  });
});
