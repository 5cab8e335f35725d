/**
 * The simulator's server: faults as AWS answers them (the SDK's own retry on throttling), latency,
 * routing of signed and unsigned requests, request-id headers, unknown actions, reload.
 */
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import type { ServiceHandler } from "../../src/sim/contract.ts";
import { startSimulator, type RunningSimulator } from "../../src/sim/index.ts";
import { serviceOf } from "../../src/sim/server.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const FIXTURE = new URL("../fixtures/sim/basic.yaml", import.meta.url).pathname;
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";

/** The fixture with its faults replaced. */
async function simWithFaults(faults: object[], maxAttempts = 2): Promise<TestSim> {
  const { loadScenario } = await import("../../src/sim/scenario.ts");
  const world = loadScenario(FIXTURE);
  world.faults = faults.map((f) => ({ Action: "*", ...f, fired: 0 }) as (typeof world.faults)[number]);
  return startTestSim(world, { maxAttempts });
}

let sim: TestSim | undefined;
let raw: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  await raw?.close();
  sim = raw = undefined;
});

describe("injected faults", () => {
  it("AccessDenied surfaces as the SDK error AccessDenied with HTTP 403, and is logged", async () => {
    sim = await simWithFaults([{ Service: "elbv2", Action: "DescribeTargetHealth", Error: "AccessDenied" }]);
    const err = await sim.clients.elbv2
      .send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))
      .catch((e) => e);
    expect(err).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    expect(err.message).toContain("elasticloadbalancing:DescribeTargetHealth");
    // Other actions are untouched.
    await expect(sim.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).resolves.toBeTruthy();
    expect(sim.world.callLog.map((c) => [c.action, c.status, c.errorCode])).toEqual([
      ["DescribeTargetHealth", 403, "AccessDenied"],
      ["DescribeLoadBalancers", 200, undefined],
    ]);
  });

  it("EC2 answers AccessDenied as UnauthorizedOperation, in the EC2 error shape", async () => {
    sim = await simWithFaults([{ Service: "ec2", Action: "DescribeSecurityGroups", Error: "AccessDenied" }]);
    await expect(sim.clients.ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("Throttling with Times: 2 is retried by the SDK and then succeeds", async () => {
    sim = await simWithFaults(
      [{ Service: "elbv2", Action: "DescribeTargetHealth", Error: "Throttling", Times: 2 }],
      4,
    );
    const out = await sim.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
    expect(out.TargetHealthDescriptions).toHaveLength(2);
    expect(out.$metadata.attempts).toBe(3);
    expect(sim.world.callLog.map((c) => c.errorCode)).toEqual(["Throttling", "Throttling", undefined]);
    expect(sim.world.faults[0].fired).toBe(2);
  });

  it("Throttling that outlasts the SDK's attempts surfaces as Throttling", async () => {
    sim = await simWithFaults([{ Service: "elbv2", Action: "*", Error: "Throttling" }], 2);
    await expect(sim.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
      name: "Throttling",
      $metadata: { attempts: 2 },
    });
  });

  it("latency is added before the answer", async () => {
    sim = await simWithFaults([{ Service: "sts", Action: "GetCallerIdentity", LatencyMs: 250 }]);
    const started = Date.now();
    await sim.clients.sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sim.world.callLog[0].latencyMs).toBeGreaterThanOrEqual(250);
  });

  it("a fault with a custom message and Times: 1 fires once", async () => {
    sim = await simWithFaults([{ Service: "sts", Error: "InternalFailure", Message: "boom", Times: 1 }], 1);
    await expect(sim.clients.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      message: "boom",
      $metadata: { httpStatusCode: 500 },
    });
    await expect(sim.clients.sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: "123456789012",
    });
  });
});

describe("routing and the wire", () => {
  const form = (body: string) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });

  it("serves unsigned query requests by Version, with a request id header and body", async () => {
    raw = await startSimulator({ file: FIXTURE });
    const res = await fetch(
      raw.endpoint,
      form("Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=tools"),
    );
    expect(res.status).toBe(200);
    const id = res.headers.get("x-amzn-requestid");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const xml = await res.text();
    expect(xml).toContain("<LoadBalancerName>tools</LoadBalancerName>");
    expect(xml).toContain(`<RequestId>${id}</RequestId>`);
  });

  it("answers an unknown action with InvalidAction in the awsQuery error shape", async () => {
    raw = await startSimulator({ file: FIXTURE });
    const res = await fetch(raw.endpoint, form("Action=CreateLoadBalancer&Version=2015-12-01"));
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain("<Code>InvalidAction</Code>");
    expect(xml).toContain("<Type>Sender</Type>");
    expect(raw.world.callLog[0]).toMatchObject({ service: "elbv2", errorCode: "InvalidAction", status: 400 });
  });

  it.each([
    [
      "SigV4 scope elasticloadbalancing",
      {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AK/20260315/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x",
      },
      "",
      "elbv2",
    ],
    [
      "SigV4 scope monitoring",
      {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AK/20260315/us-east-1/monitoring/aws4_request, Signature=x",
      },
      "",
      "cloudwatch",
    ],
    [
      "SigV4 scope s3",
      { authorization: "AWS4-HMAC-SHA256 Credential=AK/20260315/us-east-1/s3/aws4_request, Signature=x" },
      "",
      "s3",
    ],
    [
      "X-Amz-Target of CloudWatch JSON",
      { "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" },
      "{}",
      "cloudwatch",
    ],
    [
      "EC2 query version",
      { "content-type": "application/x-www-form-urlencoded" },
      "Action=DescribeSubnets&Version=2016-11-15",
      "ec2",
    ],
    [
      "STS query version",
      { "content-type": "application/x-www-form-urlencoded" },
      "Action=GetCallerIdentity&Version=2011-06-15",
      "sts",
    ],
    ["plain GET (S3 path style)", {}, "", "s3"],
  ])("routes %s", (_label, headers, body, service) => {
    const req = {
      method: "POST",
      path: "/",
      rawPath: "/",
      query: new URLSearchParams(),
      headers: headers as Record<string, string>,
      body: Buffer.from(body),
    };
    expect(serviceOf(req)).toBe(service);
  });

  it("starts from YAML text, and refuses an oversized body with 413", async () => {
    sim = await startTestSim("name: tiny\nregion: eu-west-1\naccountId: '210987654321'\n");
    expect(sim.world.region).toBe("eu-west-1");
    await expect(sim.clients.sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: "210987654321",
    });
    const res = await fetch(
      sim.endpoint,
      form(`Action=GetCallerIdentity&Version=2011-06-15&Pad=${"x".repeat(17 * 1024 * 1024)}`),
    );
    expect(res.status).toBe(413);
  });

  it("hands the handler the raw path, even one that starts with //", async () => {
    const seen: string[] = [];
    const echo: ServiceHandler = {
      service: "s3",
      actionOf: () => "GetObject",
      handle: (req) => {
        seen.push(`${req.path} ${req.query.get("x")}`);
        return { action: "GetObject", response: { status: 200, headers: {}, body: "ok" } };
      },
      errorResponse: () => ({ status: 500, headers: {}, body: "" }),
    };
    raw = await startSimulator({ file: FIXTURE, handlers: [echo] });
    const res = await fetch(`${raw.endpoint}//bucket/a%20b?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
    expect(seen).toEqual(["//bucket/a%20b 1"]);
  });

  it("reload() restores the scenario's state and clears the call log", async () => {
    raw = await startSimulator({ file: FIXTURE });
    const lbArn = raw.world.loadBalancers[0].LoadBalancerArn;
    const { createAwsClients, SIMULATOR_CREDENTIALS } = await import("../../src/aws/clients.ts");
    const aws = createAwsClients({
      endpoint: raw.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
    await aws.elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lbArn,
        Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }],
      }),
    );
    expect(raw.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("120");
    raw.reload?.();
    expect(raw.world.callLog).toEqual([]);
    const out = await aws.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }));
    expect(out.Attributes?.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("60");
    aws.destroy();
  });
});
