/* eslint-disable @typescript-eslint/no-explicit-any -- scenario test data is built loosely and changed per case */
/**
 * The scenario loader: derivations and defaults, the exact message for each kind of bad scenario
 * (unknown key, wrong type, out of range, dangling reference), access-log objects, and --live.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isAlbDoctorError } from "../../src/domain/errors.ts";
import { loadScenario, loadScenarioObject } from "../../src/sim/scenario.ts";
import { parseAccessLogKey } from "../../src/sim/access-log-keys.ts";

/** A small valid account; each test case changes one thing. */
function base(): Record<string, any> {
  return {
    name: "validation-base",
    now: "2026-03-15T14:30:00Z",
    vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
    subnets: [
      { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
      { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
    ],
    securityGroups: [
      { GroupId: "sg-alb", VpcId: "vpc-1" },
      {
        GroupId: "sg-app",
        VpcId: "vpc-1",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: "sg-alb" }] },
        ],
      },
    ],
    instances: [{ InstanceId: "i-1", SubnetId: "subnet-b", SecurityGroups: [{ GroupId: "sg-app" }] }],
    loadBalancers: [
      {
        LoadBalancerName: "my-alb",
        VpcId: "vpc-1",
        Subnets: ["subnet-a", "subnet-b"],
        SecurityGroups: ["sg-alb"],
        Listeners: [
          { Port: 80, Protocol: "HTTP", DefaultActions: [{ Type: "forward", TargetGroupName: "api" }] },
        ],
      },
    ],
    targetGroups: [
      { TargetGroupName: "api", Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", Targets: [{ Id: "i-1" }] },
    ],
    metrics: [
      {
        MetricName: "HTTPCode_ELB_502_Count",
        Dimensions: { LoadBalancer: "my-alb" },
        Period: 60,
        Values: [1, 2],
      },
    ],
  };
}

function messageOf(data: unknown): string {
  try {
    loadScenarioObject(data, "scenarios/x.yaml");
  } catch (e) {
    if (isAlbDoctorError(e, "scenario")) return e.message;
    throw e;
  }
  return "(loaded without error)";
}

describe("a valid scenario", () => {
  it("gets derived ARNs, ids, defaults, default NACL and LB node interfaces", () => {
    const w = loadScenarioObject(base());
    const lb = w.loadBalancers[0];
    expect(lb.Id).toMatch(/^[0-9a-f]{16}$/);
    expect(lb.LoadBalancerArn).toBe(
      `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/${lb.Id}`,
    );
    expect(loadScenarioObject(base()).loadBalancers[0].Id).toBe(lb.Id); // deterministic
    const tg = w.targetGroups[0];
    expect(tg).toMatchObject({
      HealthCheckEnabled: true,
      HealthCheckPath: "/",
      HealthCheckPort: "traffic-port",
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      LoadBalancerArns: [lb.LoadBalancerArn],
    });
    expect(tg.Targets[0]).toEqual({ Id: "i-1", Port: 8080, State: "healthy" });
    expect(w.listeners[0].DefaultActions[0].TargetGroupArn).toBe(tg.TargetGroupArn);
    expect(w.metrics[0].Dimensions).toEqual([{ Name: "LoadBalancer", Value: `app/my-alb/${lb.Id}` }]);
    expect(w.metrics[0].Stats.Sum).toEqual([1, 2]);
    expect(w.metrics[0].End.toISOString()).toBe("2026-03-15T14:30:00.000Z");
    expect(w.instances[0].PrivateIpAddress).toMatch(/^10\.0\.2\.\d+$/);
    expect(w.instances[0].State).toEqual({ Code: 16, Name: "running" });
    expect(w.securityGroups[0].IpPermissionsEgress).toEqual([
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
    ]);
    const acl = w.networkAcls.find((a) => a.IsDefault);
    expect(acl?.Associations.map((a) => a.SubnetId).sort()).toEqual(["subnet-a", "subnet-b"]);
    expect(acl?.Entries.some((e) => e.RuleNumber === 32767 && e.RuleAction === "deny")).toBe(true);
    expect(w.networkInterfaces.filter((e) => e.Description === `ELB app/my-alb/${lb.Id}`)).toHaveLength(2);
    expect(w.region).toBe("us-east-1");
    expect(w.accountId).toBe("123456789012");
  });

  it("lambda target groups get health checks off and their own defaults", () => {
    const s = base();
    s.targetGroups.push({
      TargetGroupName: "fn",
      TargetType: "lambda",
      Targets: [{ Id: "arn:aws:lambda:us-east-1:123456789012:function:f" }],
    });
    const tg = loadScenarioObject(s).targetGroups[1];
    expect(tg).toMatchObject({
      HealthCheckEnabled: false,
      HealthCheckIntervalSeconds: 35,
      HealthCheckTimeoutSeconds: 30,
    });
    expect(tg.Attributes).toEqual({ "lambda.multi_value_headers.enabled": "false" });
    expect(tg.Targets[0]).toMatchObject({ State: "unavailable", Reason: "Target.HealthCheckDisabled" });
  });

  it("keeps the expect block", () => {
    const s = { ...base(), expect: { rootCause: "keepalive-race", includes: ["access-logs-disabled"] } };
    expect(loadScenarioObject(s).expect).toEqual({
      rootCause: "keepalive-race",
      includes: ["access-logs-disabled"],
    });
  });
});

type Case = [string, (s: Record<string, any>) => void, string];
const cases: Case[] = [
  [
    "out-of-range health-check interval",
    (s) => (s.targetGroups[0].HealthCheck = { IntervalSeconds: 2 }),
    "scenarios/x.yaml: targetGroups[0].HealthCheck.IntervalSeconds: expected 5..300, got 2",
  ],
  [
    "timeout not below interval",
    (s) => (s.targetGroups[0].HealthCheck = { IntervalSeconds: 10, TimeoutSeconds: 10 }),
    "scenarios/x.yaml: targetGroups[0].HealthCheck.TimeoutSeconds: expected less than HealthCheckIntervalSeconds (10), got 10",
  ],
  [
    "bad matcher",
    (s) => (s.targetGroups[0].HealthCheck = { Matcher: { HttpCode: "200-600" } }),
    'scenarios/x.yaml: targetGroups[0].HealthCheck.Matcher.HttpCode: expected codes 200..499 as "200", "200,202" or "200-299", got "200-600"',
  ],
  ["unknown key", (s) => (s.loadBalancers[0].Foo = 1), "scenarios/x.yaml: loadBalancers[0].Foo: unknown key"],
  ["unknown top-level key", (s) => (s.loadbalancers = []), "scenarios/x.yaml: loadbalancers: unknown key"],
  [
    "wrong type",
    (s) => (s.targetGroups[0].Port = "eighty"),
    'scenarios/x.yaml: targetGroups[0].Port: expected a number, got "eighty"',
  ],
  [
    "missing required field",
    (s) => delete s.vpcs[0].CidrBlock,
    "scenarios/x.yaml: vpcs[0].CidrBlock: required: expected a string",
  ],
  [
    "enum value",
    (s) => (s.targetGroups[0].TargetType = "container"),
    'scenarios/x.yaml: targetGroups[0].TargetType: expected one of instance, ip, lambda, got "container"',
  ],
  [
    "attribute out of range",
    (s) => (s.loadBalancers[0].Attributes = { "idle_timeout.timeout_seconds": 5000 }),
    'scenarios/x.yaml: loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]: expected 1..4000, got "5000"',
  ],
  [
    "unknown attribute",
    (s) => (s.loadBalancers[0].Attributes = { "idle.timeout": "60" }),
    'scenarios/x.yaml: loadBalancers[0].Attributes["idle.timeout"]: unknown load balancer attribute',
  ],
  [
    "target group names a missing VPC",
    (s) => (s.targetGroups[0].VpcId = "vpc-404"),
    "scenarios/x.yaml: targetGroups[0].VpcId: unknown VPC vpc-404 (not in vpcs)",
  ],
  [
    "instance in an unknown subnet",
    (s) => (s.instances[0].SubnetId = "subnet-404"),
    "scenarios/x.yaml: instances[0].SubnetId: unknown subnet subnet-404 (not in subnets)",
  ],
  [
    "LB in an unknown subnet",
    (s) => (s.loadBalancers[0].Subnets = ["subnet-a", "subnet-404"]),
    "scenarios/x.yaml: loadBalancers[0].Subnets[1]: unknown subnet subnet-404 (not in subnets)",
  ],
  [
    "LB with an unknown security group",
    (s) => (s.loadBalancers[0].SecurityGroups = ["sg-404"]),
    "scenarios/x.yaml: loadBalancers[0].SecurityGroups[0]: unknown security group sg-404 (not in securityGroups)",
  ],
  [
    "listener forwards to an unknown target group",
    (s) => (s.loadBalancers[0].Listeners[0].DefaultActions[0].TargetGroupName = "nope"),
    "scenarios/x.yaml: loadBalancers[0].Listeners[0].DefaultActions[0].TargetGroupName: unknown target group nope (not in targetGroups)",
  ],
  [
    "target that is not a known instance",
    (s) => (s.targetGroups[0].Targets = [{ Id: "i-404" }]),
    "scenarios/x.yaml: targetGroups[0].Targets[0].Id: unknown instance i-404 (not in instances)",
  ],
  [
    "ip target that is not an IP",
    (s) => Object.assign(s.targetGroups[0], { TargetType: "ip", Targets: [{ Id: "app.internal" }] }),
    'scenarios/x.yaml: targetGroups[0].Targets[0].Id: expected an IP address for an ip target group, got "app.internal"',
  ],
  [
    "security-group rule naming a missing group",
    (s) => (s.securityGroups[1].IpPermissions[0].UserIdGroupPairs[0].GroupId = "sg-404"),
    "scenarios/x.yaml: securityGroups[1].IpPermissions[0].UserIdGroupPairs[0].GroupId: unknown security group sg-404",
  ],
  [
    "metric naming a missing load balancer",
    (s) => (s.metrics[0].Dimensions = { LoadBalancer: "other-alb" }),
    "scenarios/x.yaml: metrics[0].Dimensions.LoadBalancer: unknown load balancer other-alb (not in loadBalancers)",
  ],
  [
    "metric period",
    (s) => (s.metrics[0].Period = 45),
    "scenarios/x.yaml: metrics[0].Period: expected 1, 5, 10, 30 or a multiple of 60, got 45",
  ],
  [
    "account id",
    (s) => (s.accountId = "12345"),
    'scenarios/x.yaml: accountId: expected 12 digits, got "12345"',
  ],
  [
    "subnet outside its VPC",
    (s) => (s.subnets[0].CidrBlock = "192.168.1.0/24"),
    "scenarios/x.yaml: subnets[0].CidrBlock: expected a block inside the VPC's 10.0.0.0/16, got 192.168.1.0/24",
  ],
  [
    "fault without an effect",
    (s) => (s.faults = [{ Service: "s3", Action: "GetObject" }]),
    "scenarios/x.yaml: faults[0]: expected Error or LatencyMs (or both)",
  ],
];

describe("bad scenarios are rejected naming the file, the path and what was expected", () => {
  it.each(cases)("%s", (_label, change, expected) => {
    const s = base();
    change(s);
    expect(messageOf(s).split("\n")[0]).toBe(expected);
  });

  it("lists every problem, one per line", () => {
    const s = base();
    s.loadBalancers[0].Foo = 1;
    s.targetGroups[0].Port = "x";
    const lines = messageOf(s).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith("scenarios/x.yaml: "))).toBe(true);
  });

  it("names the file when loading from disk, and reports YAML syntax errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-scenario-"));
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "name: x\nvpcs: [ { VpcId: vpc-1, CidrBlock: 10.0.0.0/16, Colour: red } ]\n");
    expect(() => loadScenario(file)).toThrow(`${file}: vpcs[0].Colour: unknown key`);
    writeFileSync(file, "name: [unclosed\n");
    expect(() => loadScenario(file)).toThrow(new RegExp(`^${file}: not valid YAML or JSON`));
    expect(() => loadScenario(join(dir, "missing.yaml"))).toThrow(/cannot read the scenario file/);
  });
});

describe("access-log objects", () => {
  const line = (t: string) =>
    `http ${t} app/my-alb/0123456789abcdef 203.0.113.9:5000 10.0.2.10:8080 0.000 0.010 0.000 200 200 10 20 "GET http://x:80/ HTTP/1.1" "curl" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef "Root=1-0-0" "-" "-" 0 ${t} "forward" "-" "-" "10.0.2.10:8080" "200" "-" "-" TID_1`;

  function withLogs(): Record<string, any> {
    const s = base();
    s.loadBalancers[0].Id = "0123456789abcdef";
    s.loadBalancers[0].Attributes = {
      "access_logs.s3.enabled": "true",
      "access_logs.s3.bucket": "logs",
      "access_logs.s3.prefix": "prod",
    };
    s.accessLogs = { files: [{ End: "2026-03-15T14:25:00Z", Lines: [line("2026-03-15T14:21:07.123456Z")] }] };
    return s;
  }

  it("writes the lines gzipped under the key ELB would use, in a bucket with a delivery policy", () => {
    const w = loadScenarioObject(withLogs());
    const bucket = w.buckets.get("logs")!;
    expect(bucket.Policy).toContain("logdelivery.elasticloadbalancing.amazonaws.com");
    const [[key, obj]] = [...bucket.Objects.entries()];
    expect(key).toMatch(
      /^prod\/AWSLogs\/123456789012\/elasticloadbalancing\/us-east-1\/2026\/03\/15\/123456789012_elasticloadbalancing_us-east-1_app\.my-alb\.0123456789abcdef_20260315T1425Z_10\.0\.\d+\.\d+_[a-z0-9]+\.log\.gz$/,
    );
    expect(parseAccessLogKey(key)?.end.toISOString()).toBe("2026-03-15T14:25:00.000Z");
    expect(gunzipSync(obj.Body).toString()).toBe(`${line("2026-03-15T14:21:07.123456Z")}\n`);
    expect(obj.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("adds generated traffic from Generate", () => {
    const s = withLogs();
    s.accessLogs.files.push({ End: "2026-03-15T14:30:00Z", Generate: { RequestsPerMinute: 20, Seed: "t" } });
    const objects = [...loadScenarioObject(s).buckets.get("logs")!.Objects.values()];
    expect(objects).toHaveLength(2);
    const generated = gunzipSync(objects[1].Body).toString().trim().split("\n");
    expect(generated).toHaveLength(100);
    expect(generated[0]).toContain("app/my-alb/0123456789abcdef");
  });

  it("--live moves now, metrics, keys and the timestamps inside the lines to the wall clock", () => {
    const wall = new Date("2026-11-26T08:00:00.000Z");
    const w = loadScenarioObject(withLogs(), "<t>", { live: true, wallClock: wall });
    expect(w.now.toISOString()).toBe(wall.toISOString());
    expect(w.metrics[0].End.toISOString()).toBe(wall.toISOString());
    const [[key, obj]] = [...w.buckets.get("logs")!.Objects.entries()];
    expect(parseAccessLogKey(key)?.end.toISOString()).toBe("2026-11-26T07:55:00.000Z");
    expect(key).toContain("/2026/11/26/");
    // 14:21:07.123456 was 8 min 52.876544 s before the recorded now; it stays that far before the wall clock.
    expect(gunzipSync(obj.Body).toString()).toBe(`${line("2026-11-26T07:51:07.123456Z")}\n`);
  });

  it("without `now`, the scenario clock is the wall clock at load", () => {
    const s = base();
    delete s.now;
    const wall = new Date("2026-05-01T10:00:00Z");
    expect(loadScenarioObject(s, "<t>", { wallClock: wall }).now).toEqual(wall);
  });
});
