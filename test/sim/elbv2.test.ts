/**
 * The real @aws-sdk/client-elastic-load-balancing-v2 and client-sts against the simulator over HTTP:
 * every served action, paging, AWS's errors as the SDK's named exceptions, and Modify then Describe.
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  InvalidConfigurationRequestException,
  InvalidTargetException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RuleNotFoundException,
  TargetGroupNotFoundException,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const FIXTURE = new URL("../fixtures/sim/basic.yaml", import.meta.url).pathname;
const ACCT = "123456789012";
const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:loadbalancer/app/my-alb/50dc6c495c0c9188`;
const API_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/api/73e2d6bc24d8a067`;
const MISSING_LB = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:loadbalancer/app/gone/0123456789abcdef`;
const MISSING_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/gone/0123456789abcdef`;

let sim: TestSim;
let elb: ElasticLoadBalancingV2Client;

// Each test gets a fresh account: Modify calls must not leak between tests.
beforeEach(async () => {
  sim = await startTestSim(FIXTURE);
  elb = sim.clients.elbv2;
});
afterEach(async () => {
  await sim.close();
});

describe("DescribeLoadBalancers", () => {
  it("lists all, with the derived ARN, DNS name and zones", async () => {
    const out = await elb.send(new DescribeLoadBalancersCommand({}));
    expect(out.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(["my-alb", "tools"]);
    const lb = out.LoadBalancers![0];
    expect(lb.LoadBalancerArn).toBe(LB_ARN);
    expect(lb.DNSName).toMatch(/^my-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(out.LoadBalancers![1].DNSName).toMatch(/^internal-tools-\d{10}\./);
    expect(lb.AvailabilityZones).toEqual([
      { ZoneName: "us-east-1a", SubnetId: "subnet-a", LoadBalancerAddresses: [] },
      { ZoneName: "us-east-1b", SubnetId: "subnet-b", LoadBalancerAddresses: [] },
    ]);
    expect(lb.CreatedTime).toBeInstanceOf(Date);
    expect(lb.State?.Code).toBe("active");
    expect(lb.SecurityGroups).toEqual(["sg-alb"]);
  });

  it("finds by name and by ARN", async () => {
    const byName = await elb.send(new DescribeLoadBalancersCommand({ Names: ["tools"] }));
    expect(byName.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(["tools"]);
    const byArn = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [LB_ARN] }));
    expect(byArn.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(["my-alb"]);
  });

  it("pages with PageSize and NextMarker, and the SDK paginator walks every page", async () => {
    const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    expect(first.LoadBalancers).toHaveLength(1);
    expect(first.NextMarker).toBeTruthy();
    const second = await elb.send(
      new DescribeLoadBalancersCommand({ PageSize: 1, Marker: first.NextMarker }),
    );
    expect(second.LoadBalancers?.[0].LoadBalancerName).toBe("tools");
    expect(second.NextMarker).toBeUndefined();
    const names: string[] = [];
    for await (const p of paginateDescribeLoadBalancers({ client: elb, pageSize: 1 }, {})) {
      names.push(...(p.LoadBalancers ?? []).map((l) => l.LoadBalancerName!));
    }
    expect(names).toEqual(["my-alb", "tools"]);
  });

  it("raises LoadBalancerNotFoundException for an unknown name or ARN", async () => {
    await expect(elb.send(new DescribeLoadBalancersCommand({ Names: ["nope"] }))).rejects.toBeInstanceOf(
      LoadBalancerNotFoundException,
    );
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [MISSING_LB] })),
    ).rejects.toBeInstanceOf(LoadBalancerNotFoundException);
  });

  it("answers ValidationError for a page size out of range and a malformed ARN", async () => {
    await expect(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 }))).rejects.toMatchObject({
      name: "ValidationError",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      elb.send(
        new DescribeLoadBalancersCommand({ LoadBalancerArns: ["arn:aws:ec2:us-east-1:1:instance/i-1"] }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError" });
  });
});

describe("listeners and rules", () => {
  it("DescribeListeners by LB and by ARN, with actions resolved to target group ARNs", async () => {
    const out = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: LB_ARN }));
    expect(out.Listeners?.map((l) => [l.Port, l.Protocol])).toEqual([
      [443, "HTTPS"],
      [80, "HTTP"],
    ]);
    const https = out.Listeners![0];
    expect(https.DefaultActions?.[0]).toMatchObject({ Type: "forward", TargetGroupArn: API_TG });
    expect(https.DefaultActions?.[0].ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: API_TG, Weight: 1 },
    ]);
    expect(https.SslPolicy).toBeTruthy();
    expect(out.Listeners![1].DefaultActions?.[0].RedirectConfig).toMatchObject({
      StatusCode: "HTTP_301",
      Port: "443",
    });
    const byArn = await elb.send(new DescribeListenersCommand({ ListenerArns: [https.ListenerArn!] }));
    expect(byArn.Listeners?.map((l) => l.Port)).toEqual([443]);
    const paged = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: LB_ARN, PageSize: 1 }));
    expect(paged.Listeners).toHaveLength(1);
    expect(paged.NextMarker).toBeTruthy();
  });

  it("DescribeRules lists rules by priority and the default rule last; by RuleArns too", async () => {
    const { Listeners } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: LB_ARN }));
    const out = await elb.send(new DescribeRulesCommand({ ListenerArn: Listeners![0].ListenerArn }));
    expect(out.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ["10", false],
      ["20", false],
      ["default", true],
    ]);
    expect(out.Rules![0].Conditions).toEqual([
      { Field: "path-pattern", Values: ["/admin/*"], PathPatternConfig: { Values: ["/admin/*"] } },
    ]);
    expect(out.Rules![1].Conditions).toEqual([
      {
        Field: "host-header",
        Values: ["beta.example.com"],
        HostHeaderConfig: { Values: ["beta.example.com"] },
      },
    ]);
    expect(out.Rules![1].Actions?.[0].ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([90, 10]);
    expect(out.Rules![2].Actions?.[0].TargetGroupArn).toBe(API_TG);
    const one = await elb.send(new DescribeRulesCommand({ RuleArns: [out.Rules![2].RuleArn!] }));
    expect(one.Rules?.[0].IsDefault).toBe(true);
  });

  it("raises ListenerNotFoundException and RuleNotFoundException", async () => {
    const listenerArn = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:listener/app/my-alb/50dc6c495c0c9188/0000000000000000`;
    await expect(
      elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    ).rejects.toBeInstanceOf(ListenerNotFoundException);
    await expect(elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).rejects.toBeInstanceOf(
      ListenerNotFoundException,
    );
    await expect(
      elb.send(
        new DescribeRulesCommand({
          RuleArns: [`${listenerArn.replace(":listener/", ":listener-rule/")}/1111111111111111`],
        }),
      ),
    ).rejects.toBeInstanceOf(RuleNotFoundException);
    await expect(
      elb.send(new DescribeListenersCommand({ LoadBalancerArn: MISSING_LB })),
    ).rejects.toBeInstanceOf(LoadBalancerNotFoundException);
  });
});

describe("target groups and target health", () => {
  it("DescribeTargetGroups by LB, names and ARNs, with health-check defaults and LoadBalancerArns", async () => {
    const byLb = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: LB_ARN }));
    expect(byLb.TargetGroups?.map((t) => t.TargetGroupName)).toEqual(["api", "admin"]);
    const api = byLb.TargetGroups![0];
    expect(api).toMatchObject({
      TargetGroupArn: API_TG,
      HealthCheckPath: "/health",
      HealthCheckPort: "traffic-port",
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: "200" },
      LoadBalancerArns: [LB_ARN],
      TargetType: "instance",
    });
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: ["orphan"] }));
    expect(byName.TargetGroups?.[0]).toMatchObject({ TargetType: "ip", LoadBalancerArns: [] });
    const byArn = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [API_TG] }));
    expect(byArn.TargetGroups?.map((t) => t.TargetGroupName)).toEqual(["api"]);
    const names: string[] = [];
    for await (const p of paginateDescribeTargetGroups({ client: elb, pageSize: 2 }, {})) {
      names.push(...(p.TargetGroups ?? []).map((t) => t.TargetGroupName!));
    }
    expect(names).toEqual(["api", "admin", "orphan"]);
  });

  it("raises TargetGroupNotFoundException", async () => {
    await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ["nope"] }))).rejects.toBeInstanceOf(
      TargetGroupNotFoundException,
    );
    await expect(
      elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: MISSING_TG })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(
      elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: MISSING_TG })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
  });

  it("DescribeTargetHealth gives states, reasons and the resolved health-check port", async () => {
    const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: API_TG }));
    expect(
      out.TargetHealthDescriptions?.map((d) => [
        d.Target?.Id,
        d.Target?.Port,
        d.HealthCheckPort,
        d.TargetHealth,
      ]),
    ).toEqual([
      ["i-0a1", 8080, "8080", { State: "healthy" }],
      [
        "i-0a2",
        8080,
        "8080",
        { State: "unhealthy", Reason: "Target.Timeout", Description: "Request timed out" },
      ],
    ]);
  });

  it("derives unused / Target.NotInUse for a group no listener uses", async () => {
    const { TargetGroups } = await elb.send(new DescribeTargetGroupsCommand({ Names: ["orphan"] }));
    const out = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: TargetGroups![0].TargetGroupArn }),
    );
    expect(out.TargetHealthDescriptions?.[0].TargetHealth).toMatchObject({
      State: "unused",
      Reason: "Target.NotInUse",
    });
  });

  it("filters by Targets: an unregistered instance is Target.NotRegistered, a non-instance is InvalidTarget", async () => {
    const out = await elb.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: API_TG,
        Targets: [{ Id: "i-0a2" }, { Id: "i-0a3", Port: 8080 }],
      }),
    );
    expect(
      out.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason]),
    ).toEqual([
      ["i-0a2", "unhealthy", "Target.Timeout"],
      ["i-0a3", "unused", "Target.NotRegistered"],
    ]);
    await expect(
      elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: API_TG, Targets: [{ Id: "i-doesnotexist" }] }),
      ),
    ).rejects.toBeInstanceOf(InvalidTargetException);
  });

  it("DescribeTags for load balancers and target groups", async () => {
    const out = await elb.send(new DescribeTagsCommand({ ResourceArns: [LB_ARN, API_TG] }));
    expect(out.TagDescriptions).toEqual([
      { ResourceArn: LB_ARN, Tags: [{ Key: "team", Value: "payments" }] },
      { ResourceArn: API_TG, Tags: [] },
    ]);
    await expect(elb.send(new DescribeTagsCommand({ ResourceArns: [MISSING_LB] }))).rejects.toBeInstanceOf(
      LoadBalancerNotFoundException,
    );
  });
});

describe("attributes", () => {
  it("describes LB attributes with AWS defaults filled in, values as strings", async () => {
    const out = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: LB_ARN }));
    const attrs = Object.fromEntries(out.Attributes!.map((a) => [a.Key, a.Value]));
    expect(attrs).toMatchObject({
      "idle_timeout.timeout_seconds": "60",
      "access_logs.s3.enabled": "true",
      "access_logs.s3.bucket": "alb-logs",
      "routing.http2.enabled": "true",
      "routing.http.desync_mitigation_mode": "defensive",
      "deletion_protection.enabled": "false",
    });
  });

  it("ModifyLoadBalancerAttributes changes what a later Describe returns", async () => {
    const mod = await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: LB_ARN,
        Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "30" }],
      }),
    );
    expect(mod.Attributes?.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("30");
    const out = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: LB_ARN }));
    expect(out.Attributes?.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("30");
  });

  it.each([
    ["idle timeout above 4000", "idle_timeout.timeout_seconds", "4001", /1\.\.4000/],
    ["idle timeout 0", "idle_timeout.timeout_seconds", "0", /1\.\.4000/],
    ["non-numeric idle timeout", "idle_timeout.timeout_seconds", "sixty", /1\.\.4000/],
    ["unknown key", "idle_timeout.seconds", "60", /not recognized/],
    ["boolean as yes", "routing.http2.enabled", "yes", /true or false/],
  ])("refuses %s with ValidationError and changes nothing", async (_label, key, value, message) => {
    await expect(
      elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: LB_ARN,
          Attributes: [{ Key: key, Value: value }],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError", message: expect.stringMatching(message) });
    expect(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("60");
  });

  it("enabling access logs needs an existing bucket whose policy allows ELB delivery", async () => {
    const tools = sim.world.loadBalancers[1].LoadBalancerArn;
    const enable = (bucket: string) =>
      elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: tools,
          Attributes: [
            { Key: "access_logs.s3.enabled", Value: "true" },
            { Key: "access_logs.s3.bucket", Value: bucket },
          ],
        }),
      );
    await expect(enable("no-such-bucket")).rejects.toBeInstanceOf(InvalidConfigurationRequestException);
    // other-bucket exists but has no policy: AWS answers Access Denied for bucket.
    await expect(enable("other-bucket")).rejects.toMatchObject({
      name: "InvalidConfigurationRequestException",
      message: expect.stringContaining("Access Denied for bucket: other-bucket"),
    });
    // alb-logs was created with the ELB delivery policy.
    const ok = await enable("alb-logs");
    expect(ok.Attributes?.find((a) => a.Key === "access_logs.s3.enabled")?.Value).toBe("true");
  });

  it("target group attributes: defaults, modify then describe, and range checks", async () => {
    const before = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: API_TG }));
    const get = (list: { Key?: string; Value?: string }[] | undefined, k: string) =>
      list?.find((a) => a.Key === k)?.Value;
    expect(get(before.Attributes, "deregistration_delay.timeout_seconds")).toBe("300");
    expect(get(before.Attributes, "stickiness.enabled")).toBe("false");
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: API_TG,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }],
      }),
    );
    const after = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: API_TG }));
    expect(get(after.Attributes, "deregistration_delay.timeout_seconds")).toBe("30");
    await expect(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: API_TG,
          Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "3601" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationError", message: expect.stringContaining("0..3600") });
  });
});

describe("ModifyTargetGroup", () => {
  it("changes health-check settings that DescribeTargetGroups then shows", async () => {
    const out = await elb.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: API_TG,
        HealthCheckPath: "/ready",
        HealthCheckPort: "8081",
        HealthCheckIntervalSeconds: 15,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        Matcher: { HttpCode: "200-299" },
      }),
    );
    expect(out.TargetGroups?.[0]).toMatchObject({
      HealthCheckPath: "/ready",
      HealthCheckIntervalSeconds: 15,
    });
    const { TargetGroups } = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [API_TG] }));
    expect(TargetGroups?.[0]).toMatchObject({
      HealthCheckPath: "/ready",
      HealthCheckPort: "8081",
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: "200-299" },
    });
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: API_TG }));
    expect(health.TargetHealthDescriptions?.[0].HealthCheckPort).toBe("8081");
  });

  it.each([
    ["interval below 5", { HealthCheckIntervalSeconds: 4 }, /greater than or equal to 5/],
    ["interval above 300", { HealthCheckIntervalSeconds: 301 }, /less than or equal to 300/],
    ["timeout below 2", { HealthCheckTimeoutSeconds: 1 }, /greater than or equal to 2/],
    ["threshold above 10", { HealthyThresholdCount: 11 }, /less than or equal to 10/],
    ["timeout not below interval", { HealthCheckTimeoutSeconds: 30 }, /must be smaller than the interval/],
    ["matcher out of range", { Matcher: { HttpCode: "600" } }, /HTTP code '600'/],
    ["matcher syntax", { Matcher: { HttpCode: "200-" } }, /HTTP code '200-'/],
    ["disabling health checks of an instance group", { HealthCheckEnabled: false }, /cannot be disabled/],
  ])("refuses %s with ValidationError and changes nothing", async (_label, change, message) => {
    await expect(
      elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: API_TG, ...change })),
    ).rejects.toMatchObject({
      name: "ValidationError",
      message: expect.stringMatching(message),
    });
    const tg = sim.world.targetGroups[0];
    expect([tg.HealthCheckIntervalSeconds, tg.HealthCheckTimeoutSeconds, tg.Matcher?.HttpCode]).toEqual([
      30,
      5,
      "200",
    ]);
  });
});

describe("STS and the call log", () => {
  it("GetCallerIdentity answers the scenario's account", async () => {
    const out = await sim.clients.sts.send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: ACCT, Arn: `arn:aws:iam::${ACCT}:user/simulator` });
  });

  it("logs each call with service, action, params, status and error code", async () => {
    await elb.send(new DescribeLoadBalancersCommand({ Names: ["my-alb"] }));
    await elb.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })).catch(() => undefined);
    expect(sim.world.callLog.map((c) => [c.service, c.action, c.status, c.errorCode])).toEqual([
      ["elbv2", "DescribeLoadBalancers", 200, undefined],
      ["elbv2", "DescribeLoadBalancers", 400, "LoadBalancerNotFound"],
    ]);
    expect(sim.world.callLog[0].params).toEqual({ Names: ["my-alb"] });
    expect(sim.world.callLog[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("one simulator shared across suites", () => {
  let shared: TestSim;
  beforeAll(async () => {
    shared = await startTestSim(FIXTURE);
  });
  afterAll(async () => {
    await shared.close();
  });
  it("serves concurrent calls", async () => {
    const calls = Array.from({ length: 20 }, () =>
      shared.clients.elbv2.send(new DescribeLoadBalancersCommand({})),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r.LoadBalancers?.length === 2)).toBe(true);
    expect(shared.world.callLog).toHaveLength(20);
  });
});
