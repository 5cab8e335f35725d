/** The pure risk checks of the plans, table-driven. */
import { describe, expect, it } from "vitest";
import { checkLogDeliveryPolicy, wildcard } from "../../src/remediate/bucket-policy.ts";
import { admits } from "../../src/remediate/fixes/allow-alb-to-target.ts";
import { healthCheckRisks, wantedSettings } from "../../src/remediate/fixes/fix-health-check.ts";
import { idleTimeoutRisks } from "../../src/remediate/fixes/set-idle-timeout.ts";
import { blockingRisks } from "../../src/remediate/plan.ts";

describe("idle timeout risk check", () => {
  const cases = [
    {
      name: "max above the new value blocks",
      proposed: 4,
      max: 59.9,
      p99: 3,
      level: "block",
      id: "lower-idle-timeout",
    },
    {
      name: "p99 at the new value blocks",
      proposed: 4,
      max: 3.9,
      p99: 4,
      level: "block",
      id: "lower-idle-timeout",
    },
    {
      name: "unknown durations block",
      proposed: 4,
      max: null,
      p99: null,
      level: "block",
      id: "lower-idle-timeout",
    },
    {
      name: "little headroom warns",
      proposed: 10,
      max: 6,
      p99: 2,
      level: "warn",
      id: "idle-timeout-headroom",
    },
    { name: "fast requests pass", proposed: 30, max: 2.5, p99: 0.4, level: "ok", id: "observed-durations" },
  ] as const;
  it.each(cases)("$name", ({ proposed, max, p99, level, id }) => {
    const [risk] = idleTimeoutRisks(proposed, { maxSeconds: max, p99Seconds: p99 });
    expect(risk.level).toBe(level);
    expect(risk.id).toBe(id);
    if (level === "block") {
      expect(risk.overridable).toBe(true);
      expect(risk.message).toContain("--override lower-idle-timeout");
    }
  });

  it("an override lifts exactly the named blocking risk", () => {
    const risks = idleTimeoutRisks(4, { maxSeconds: 59, p99Seconds: 41 });
    expect(blockingRisks({ risks })).toHaveLength(1);
    expect(blockingRisks({ risks }, ["something-else"])).toHaveLength(1);
    expect(blockingRisks({ risks }, ["lower-idle-timeout"])).toHaveLength(0);
  });
});

describe("ELB log delivery bucket policy", () => {
  const target = { bucket: "alb-logs", prefix: "prod", accountId: "123456789012", region: "us-east-1" };
  const policy = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
  const cases = [
    {
      name: "service principal on the AWSLogs prefix",
      text: policy({
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::alb-logs/prod/AWSLogs/123456789012/*",
      }),
      allowed: true,
    },
    {
      name: "regional ELB account root",
      text: policy({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::alb-logs/*",
      }),
      allowed: true,
    },
    {
      name: "another region's ELB account",
      text: policy({
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::797873946194:root" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::alb-logs/*",
      }),
      allowed: false,
    },
    {
      name: "wrong prefix",
      text: policy({
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::alb-logs/staging/AWSLogs/123456789012/*",
      }),
      allowed: false,
    },
    {
      name: "wrong account in the path",
      text: policy({
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::alb-logs/prod/AWSLogs/999999999999/*",
      }),
      allowed: false,
    },
    {
      name: "read-only action",
      text: policy({
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::alb-logs/*",
      }),
      allowed: false,
    },
    {
      name: "an explicit deny wins",
      text: JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:*",
            Resource: "arn:aws:s3:::alb-logs/*",
          },
          { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::alb-logs/*" },
        ],
      }),
      allowed: false,
    },
    { name: "not JSON", text: "{oops", allowed: false },
  ];
  it.each(cases)("$name", ({ text, allowed }) => {
    const check = checkLogDeliveryPolicy(text, target);
    expect(check.allowed).toBe(allowed);
    expect(check.reason.length).toBeGreaterThan(10);
  });

  it("wildcards match like IAM", () => {
    expect(wildcard("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y")).toBe(true);
    expect(wildcard("arn:aws:s3:::b/?", "arn:aws:s3:::b/xy")).toBe(false);
    expect(wildcard("s3:Put*", "s3:PutObject")).toBe(true);
    expect(wildcard("arn:aws:s3:::b.c/*", "arn:aws:s3:::bxc/1")).toBe(false);
  });
});

describe("ingress rule present", () => {
  const from = (GroupId: string) => [{ GroupId }];
  const cases = [
    {
      name: "exact rule",
      perms: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: from("sg-alb") }],
      ok: true,
    },
    {
      name: "port range",
      perms: [{ IpProtocol: "tcp", FromPort: 8000, ToPort: 9000, UserIdGroupPairs: from("sg-alb") }],
      ok: true,
    },
    { name: "all traffic", perms: [{ IpProtocol: "-1", UserIdGroupPairs: from("sg-alb") }], ok: true },
    {
      name: "other port",
      perms: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: from("sg-alb") }],
      ok: false,
    },
    {
      name: "other group",
      perms: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: from("sg-x") }],
      ok: false,
    },
    {
      name: "udp",
      perms: [{ IpProtocol: "udp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: from("sg-alb") }],
      ok: false,
    },
    {
      name: "CIDR only",
      perms: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
      ok: false,
    },
  ];
  it.each(cases)("$name", ({ perms, ok }) => expect(admits(perms, 8080, "sg-alb")).toBe(ok));
});

describe("health-check settings", () => {
  it("a timeout not below the interval blocks, without override", () => {
    const risks = healthCheckRisks({ HealthCheckIntervalSeconds: "5", HealthCheckTimeoutSeconds: "5" });
    const block = risks.find((r) => r.level === "block");
    expect(block?.id).toBe("timeout-not-below-interval");
    expect(block?.overridable).toBe(false);
    expect(
      healthCheckRisks({ HealthCheckIntervalSeconds: "10", HealthCheckTimeoutSeconds: "5" }).some(
        (r) => r.level === "block",
      ),
    ).toBe(false);
  });

  it("offer values are validated against AWS's ranges", () => {
    expect(wantedSettings({ HealthCheckPath: "/healthz", HealthyThresholdCount: 3 }, [])).toEqual({
      HealthCheckPath: "/healthz",
      HealthyThresholdCount: "3",
    });
    expect(wantedSettings({}, [{ setting: "Matcher", proposed: "200-299" }])).toEqual({ Matcher: "200-299" });
    expect(() => wantedSettings({ HealthCheckIntervalSeconds: 1 }, [])).toThrow(/5\.\.300/);
  });
});
