/**
 * The simulator's change-history services through the real SDK clients: CloudTrail LookupEvents (AWS JSON
 * 1.1, filters, time range, paging, its 2-per-second limit), Auto Scaling groups and scaling activities
 * (query protocol), ECS clusters, services and deployments (AWS JSON 1.1), and the --live shift of all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudTrailClient,
  InvalidLookupAttributesException,
  LookupEventsCommand,
  paginateLookupEvents,
} from "@aws-sdk/client-cloudtrail";
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
} from "@aws-sdk/client-ecs";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { loadScenarioObject } from "../../src/sim/scenario.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const NOW = "2026-03-15T14:30:00Z";

function scenario(extra: Record<string, unknown> = {}) {
  return {
    now: NOW,
    vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
    subnets: [
      { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
    ],
    instances: [{ InstanceId: "i-0a1", SubnetId: "subnet-a", PrivateIpAddress: "10.0.1.10" }],
    targetGroups: [
      { TargetGroupName: "api", Protocol: "HTTP", Port: 8080, VpcId: "vpc-1", Targets: [{ Id: "i-0a1" }] },
    ],
    cloudTrail: {
      events: [
        {
          EventName: "RevokeSecurityGroupIngress",
          EventTime: "2026-03-15T14:01:12Z",
          Username: "ci-deployer",
          Resources: [{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: "sg-0app" }],
          CloudTrailEvent: {
            userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/deployer/ci" },
            requestParameters: { groupId: "sg-0app" },
          },
        },
        ...Array.from({ length: 120 }, (_, i) => ({
          EventName: i % 2 ? "ModifyTargetGroup" : "DescribeTargetGroups",
          ReadOnly: i % 2 ? "false" : "true",
          EventTime: new Date(Date.parse("2026-03-15T12:00:00Z") + i * 60_000).toISOString(),
          Username: "terraform",
          Resources: [{ ResourceType: "AWS::ElasticLoadBalancingV2::TargetGroup", ResourceName: "api" }],
        })),
      ],
      RequestsPerSecond: 1000,
    },
    autoScaling: {
      groups: [
        {
          AutoScalingGroupName: "api-asg",
          Instances: ["i-0a1"],
          TargetGroupNames: ["api"],
          Activities: [
            {
              ActivityId: "a-1",
              Description: "Launching a new EC2 instance: i-0a1",
              StartTime: "2026-03-15T13:50:00Z",
              EndTime: "2026-03-15T13:51:00Z",
            },
            {
              ActivityId: "a-2",
              Description: "Terminating EC2 instance: i-0a0",
              Cause: "instance refresh",
              StartTime: "2026-03-15T14:02:00Z",
              StatusCode: "InProgress",
            },
          ],
        },
      ],
    },
    ecs: {
      clusters: [
        {
          ClusterName: "shop",
          Services: [
            {
              ServiceName: "web",
              TargetGroupNames: ["api"],
              ContainerPort: 8080,
              Deployments: [
                {
                  Id: "ecs-svc/2",
                  Status: "PRIMARY",
                  RolloutState: "IN_PROGRESS",
                  TaskDefinition: "web:42",
                  CreatedAt: "2026-03-15T14:00:30Z",
                },
                {
                  Id: "ecs-svc/1",
                  Status: "ACTIVE",
                  RolloutState: "COMPLETED",
                  TaskDefinition: "web:41",
                  CreatedAt: "2026-03-14T09:00:00Z",
                },
              ],
            },
          ],
        },
      ],
    },
    ...extra,
  };
}

function clientsFor(sim: TestSim, maxAttempts = 1) {
  const config = {
    region: "us-east-1",
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts,
  };
  return { ct: new CloudTrailClient(config), asg: new AutoScalingClient(config), ecs: new ECSClient(config) };
}

describe("simulated change history", () => {
  let sim: TestSim;
  let c: ReturnType<typeof clientsFor>;
  beforeAll(async () => {
    sim = await startTestSim(scenario());
    c = clientsFor(sim);
  });
  afterAll(async () => {
    for (const client of Object.values(c)) client.destroy();
    await sim.close();
  });

  it("LookupEvents answers write events newest first with the record as a JSON string", async () => {
    const out = await c.ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }],
        StartTime: new Date("2026-03-15T13:55:00Z"),
        EndTime: new Date(NOW),
      }),
    );
    const names = out.Events!.map((e) => e.EventName);
    expect(names[0]).toBe("RevokeSecurityGroupIngress");
    expect(names.every((n) => n !== "DescribeTargetGroups")).toBe(true);
    const times = out.Events!.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const revoke = out.Events!.find((e) => e.EventName === "RevokeSecurityGroupIngress")!;
    expect(revoke.EventTime!.toISOString()).toBe("2026-03-15T14:01:12.000Z");
    expect(revoke.EventSource).toBe("ec2.amazonaws.com");
    expect(revoke.Resources).toEqual([{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: "sg-0app" }]);
    const record = JSON.parse(revoke.CloudTrailEvent!);
    expect(record.userIdentity.arn).toBe("arn:aws:sts::123456789012:assumed-role/deployer/ci");
    expect(record.requestParameters).toEqual({ groupId: "sg-0app" });
    expect(record.eventID).toBe(revoke.EventId);
  });

  it("pages by 50 with NextToken, and the paginator reads every event once", async () => {
    const first = await c.ct.send(new LookupEventsCommand({}));
    expect(first.Events).toHaveLength(50);
    expect(first.NextToken).toBeTruthy();
    const ids: string[] = [];
    for await (const page of paginateLookupEvents({ client: c.ct }, {}))
      ids.push(...page.Events!.map((e) => e.EventId!));
    expect(ids).toHaveLength(121);
    expect(new Set(ids).size).toBe(121);
  });

  it("filters by resource name and rejects two attributes as AWS does", async () => {
    const out = await c.ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "sg-0app" }],
      }),
    );
    expect(out.Events!.map((e) => e.EventName)).toEqual(["RevokeSecurityGroupIngress"]);
    await expect(
      c.ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: "ReadOnly", AttributeValue: "false" },
            { AttributeKey: "Username", AttributeValue: "x" },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLookupAttributesException);
  });

  it("Auto Scaling: groups with derived target-group ARNs, activities newest first", async () => {
    const groups = await c.asg.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["api-asg"] }),
    );
    const g = groups.AutoScalingGroups![0];
    expect(g.TargetGroupARNs![0]).toBe(sim.world.targetGroups[0].TargetGroupArn);
    expect(g.Instances!.map((i) => i.InstanceId)).toEqual(["i-0a1"]);
    expect(g.AvailabilityZones).toEqual(["us-east-1a"]);
    const acts = await c.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: "api-asg" }));
    expect(acts.Activities!.map((a) => a.ActivityId)).toEqual(["a-2", "a-1"]);
    expect(acts.Activities![0].StatusCode).toBe("InProgress");
    expect(acts.Activities![0].StartTime!.toISOString()).toBe("2026-03-15T14:02:00.000Z");
  });

  it("ECS: clusters, services and their deployments", async () => {
    const clusters = await c.ecs.send(new ListClustersCommand({}));
    expect(clusters.clusterArns).toEqual(["arn:aws:ecs:us-east-1:123456789012:cluster/shop"]);
    const services = await c.ecs.send(new ListServicesCommand({ cluster: "shop" }));
    const out = await c.ecs.send(
      new DescribeServicesCommand({ cluster: "shop", services: services.serviceArns }),
    );
    const svc = out.services![0];
    expect(svc.loadBalancers![0].targetGroupArn).toBe(sim.world.targetGroups[0].TargetGroupArn);
    expect(svc.deployments!.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      ["ecs-svc/2", "PRIMARY", "IN_PROGRESS"],
      ["ecs-svc/1", "ACTIVE", "COMPLETED"],
    ]);
    expect(svc.deployments![0].createdAt!.toISOString()).toBe("2026-03-15T14:00:30.000Z");
    expect(svc.taskDefinition).toBe("arn:aws:ecs:us-east-1:123456789012:task-definition/web:42");
    await expect(c.ecs.send(new ListServicesCommand({ cluster: "nope" }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });
});

describe("CloudTrail's rate limit and faults", () => {
  it("answers ThrottlingException past 2 calls a second; the SDK's retries get through", async () => {
    const s = scenario();
    (s.cloudTrail as { RequestsPerSecond?: number }).RequestsPerSecond = undefined;
    delete (s.cloudTrail as { RequestsPerSecond?: number }).RequestsPerSecond;
    const sim = await startTestSim(s);
    const once = clientsFor(sim, 1);
    const patient = clientsFor(sim, 6);
    try {
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map(() => once.ct.send(new LookupEventsCommand({}))),
      );
      const throttled = results.filter((r) => r.status === "rejected");
      expect(throttled.length).toBeGreaterThanOrEqual(2);
      expect((throttled[0] as PromiseRejectedResult).reason.name).toBe("ThrottlingException");
      const ok = await patient.ct.send(new LookupEventsCommand({ MaxResults: 5 }));
      expect(ok.Events).toHaveLength(5);
    } finally {
      once.ct.destroy();
      patient.ct.destroy();
      await sim.close();
    }
  });

  it("an AccessDenied fault answers in CloudTrail's JSON error shape", async () => {
    const sim = await startTestSim(
      scenario({
        faults: [{ Service: "cloudtrail", Action: "LookupEvents", Error: "AccessDeniedException" }],
      }),
    );
    const c = clientsFor(sim);
    try {
      const err = await c.ct.send(new LookupEventsCommand({})).catch((e: Error) => e);
      expect((err as Error).name).toBe("AccessDeniedException");
      expect((err as Error).message).toContain("cloudtrail:LookupEvents");
    } finally {
      c.ct.destroy();
      await sim.close();
    }
  });
});

describe("--live moves the change history with the clock", () => {
  it("shifts event, activity and deployment times by the same offset", () => {
    const wallClock = new Date("2026-12-01T10:00:00Z");
    const world = loadScenarioObject(scenario(), "<live>", { live: true, wallClock });
    const offset = wallClock.getTime() - Date.parse(NOW);
    const revoke = world.history.cloudTrail.events.find((e) => e.EventName === "RevokeSecurityGroupIngress")!;
    expect(revoke.EventTime.getTime()).toBe(Date.parse("2026-03-15T14:01:12Z") + offset);
    expect(JSON.parse(revoke.CloudTrailEvent).eventTime).toBe(
      revoke.EventTime.toISOString().replace(".000Z", "Z"),
    );
    expect(world.history.autoScalingGroups[0].Activities[0].StartTime.getTime()).toBe(
      Date.parse("2026-03-15T14:02:00Z") + offset,
    );
    expect(world.history.ecsClusters[0].services[0].deployments[0].createdAt.getTime()).toBe(
      Date.parse("2026-03-15T14:00:30Z") + offset,
    );
  });

  it("rejects a target group or instance the scenario does not have", () => {
    const bad = scenario();
    (bad.autoScaling.groups[0] as { TargetGroupNames: string[] }).TargetGroupNames = ["missing"];
    expect(() => loadScenarioObject(bad, "<bad>")).toThrow(
      /autoScaling\.groups\[0\]\.TargetGroupNames\[0\].*unknown target group missing/s,
    );
  });
});
