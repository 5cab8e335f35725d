/**
 * One failing AWS API never stops a diagnosis: AccessDenied on each action in turn still yields a report
 * whose checks name the failed action (and so the IAM permission to add), with the other parts intact.
 * Throttling is retried by the SDK; a hung call hits its deadline.
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import type { SimService } from "../../src/sim/contract.ts";
import { startSimulator } from "../../src/sim/index.ts";

const SCENARIO = join(import.meta.dirname, "../../scenarios/keepalive-race.yaml");

let sim: Awaited<ReturnType<typeof startSimulator>>;
let lbName: string;
const clients: AwsClients[] = [];

beforeAll(async () => {
  sim = await startSimulator({ file: SCENARIO, port: 0 });
  lbName = sim.world.loadBalancers[0].LoadBalancerName;
});
afterAll(async () => sim?.close());
beforeEach(() => {
  sim.world.faults.length = 0;
});
afterEach(() => {
  for (const aws of clients.splice(0)) aws.destroy();
});

function diagnoser(options: { callDeadlineMs?: number; maxAttempts?: number; scanDeadlineMs?: number } = {}) {
  const aws: AwsClients = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 4,
    callDeadlineMs: options.callDeadlineMs,
  });
  clients.push(aws);
  return createDiagnoser({
    aws,
    now: () => sim.world.now,
    defaultWindow: "1h",
    scanLogs: createLogScanner(aws, { concurrency: 4, deadlineMs: options.scanDeadlineMs }),
  });
}

const DENIED: [SimService, string, string, string][] = [
  [
    "elbv2",
    "DescribeLoadBalancerAttributes",
    "load-balancer",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
  ],
  ["elbv2", "DescribeListeners", "listeners", "elasticloadbalancing:DescribeListeners"],
  ["elbv2", "DescribeRules", "listeners", "elasticloadbalancing:DescribeRules"],
  ["elbv2", "DescribeTargetGroups", "target-groups", "elasticloadbalancing:DescribeTargetGroups"],
  [
    "elbv2",
    "DescribeTargetGroupAttributes",
    "target-groups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
  ],
  ["elbv2", "DescribeTargetHealth", "target-health", "elasticloadbalancing:DescribeTargetHealth"],
  ["ec2", "DescribeSecurityGroups", "security-groups", "ec2:DescribeSecurityGroups"],
  ["ec2", "DescribeSubnets", "subnets", "ec2:DescribeSubnets"],
  ["ec2", "DescribeNetworkAcls", "network-acls", "ec2:DescribeNetworkAcls"],
  ["ec2", "DescribeInstances", "instances", "ec2:DescribeInstances"],
  ["cloudwatch", "GetMetricData", "metrics", "cloudwatch:GetMetricData"],
  ["s3", "ListObjectsV2", "access-logs", "s3:ListBucket"],
  ["s3", "GetObject", "access-logs", "s3:GetObject"],
  ["elbv2", "DescribeTags", "tags", "elasticloadbalancing:DescribeTags"],
];

describe("AccessDenied on one action", () => {
  it.each(DENIED)("%s %s: partial report naming %s (%s)", async (service, action, part, permission) => {
    sim.world.faults.push({
      Service: service,
      Action: action,
      Error: service === "ec2" ? "UnauthorizedOperation" : "AccessDenied",
      fired: 0,
    });
    const report = await diagnoser()(lbName);
    const failed = report.checks.find((c) => c.id === part);
    expect(failed?.status, JSON.stringify(report.checks)).toBe("error");
    expect(failed?.error).toContain(permission);
    const others = report.checks.filter((c) => c.id !== part && c.status === "error");
    expect(others, "other parts stay intact").toEqual([]);
    expect(["problems-found", "incomplete"]).toContain(report.status);
  });
});

describe("throttling and deadlines", () => {
  it("retries throttled calls and completes", async () => {
    sim.world.faults.push({
      Service: "elbv2",
      Action: "DescribeTargetHealth",
      Error: "Throttling",
      Times: 2,
      fired: 0,
    });
    const report = await diagnoser()(lbName);
    expect(report.checks.find((c) => c.id === "target-health")?.status).toBe("ok");
    const throttled = sim.world.callLog.filter(
      (c) => c.action === "DescribeTargetHealth" && c.errorCode === "Throttling",
    );
    expect(throttled.length).toBe(2);
  });

  it("a hung call hits its deadline and the report says so", async () => {
    sim.world.faults.push({ Service: "ec2", Action: "DescribeNetworkAcls", LatencyMs: 3000, fired: 0 });
    // The call answers after 3 s; only the 400 ms deadline can produce this error.
    const report = await diagnoser({ callDeadlineMs: 400, maxAttempts: 1 })(lbName);
    const acl = report.checks.find((c) => c.id === "network-acls");
    expect(acl?.status).toBe("error");
    expect(acl?.error).toMatch(/Timeout: ec2:DescribeNetworkAcls/);
  });
});

describe("access-log scan deadline", () => {
  it("stops a slow scan and reports the access-logs part as timed out, the rest intact", async () => {
    sim.world.faults.push({ Service: "s3", Action: "GetObject", LatencyMs: 2000, fired: 0 });
    const report = await diagnoser({ scanDeadlineMs: 300 })(lbName);
    const logs = report.checks.find((c) => c.id === "access-logs");
    expect(logs?.status).toBe("error");
    expect(logs?.error).toMatch(/Timeout: the access-log scan/);
    expect(report.checks.filter((c) => c.id !== "access-logs" && c.status === "error")).toEqual([]);
  });
});
