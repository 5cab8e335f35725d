/**
 * Scenario -> the account's change history (CloudTrail events, Auto Scaling groups and activities, ECS
 * clusters, services and deployments), with ARNs derived, names resolved to the scenario's target groups and
 * instances, and every time moved by the --live offset. Lists are kept newest first, as the APIs answer.
 */
import { createHash } from "node:crypto";
import type { Scenario } from "./scenario-schema.ts";
import type { Problems } from "./scenario-problems.ts";
import type {
  AutoScalingGroupW,
  ChangeHistoryW,
  CloudTrailEventW,
  EcsClusterW,
  InstanceW,
  TargetGroupW,
} from "./world.ts";
import { partitionOf } from "./derive-ids.ts";

/** The service that records an event, from its name's usual home (a scenario may say EventSource itself). */
const SOURCE_OF_EVENT: [RegExp, string][] = [
  [/SecurityGroup|NetworkAcl|Instance|Subnet|Vpc|RouteTable|NetworkInterface/, "ec2.amazonaws.com"],
  [
    /LoadBalancer|TargetGroup|Listener|Rule|Targets|SecurityGroups|Subnets/,
    "elasticloadbalancing.amazonaws.com",
  ],
  [/AutoScaling|InstanceRefresh|LaunchConfiguration|ScalingPolicy/, "autoscaling.amazonaws.com"],
  [/Service|TaskDefinition|Cluster/, "ecs.amazonaws.com"],
];

function eventSourceOf(name: string): string {
  return SOURCE_OF_EVENT.find(([re]) => re.test(name))?.[1] ?? "unknown.amazonaws.com";
}

/** A stable UUID-shaped id from the event's content, so reloads serve the same ids. */
function stableId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const shift = (iso: string, offsetMs: number) => new Date(Date.parse(iso) + offsetMs);

export function deriveChangeHistory(
  s: Scenario,
  targetGroups: TargetGroupW[],
  instances: InstanceW[],
  offsetMs: number,
  problems: Problems,
): ChangeHistoryW {
  const partition = partitionOf(s.region);
  const tgArn = (name: string, path: (string | number)[]) => {
    const tg = targetGroups.find((t) => t.TargetGroupName === name);
    if (!tg) problems.add(path, `unknown target group ${name} (not in targetGroups)`);
    return tg?.TargetGroupArn ?? name;
  };

  const events: CloudTrailEventW[] = (s.cloudTrail?.events ?? []).map((e) => {
    const time = shift(e.EventTime, offsetMs);
    const source = e.EventSource ?? eventSourceOf(e.EventName);
    const id = e.EventId ?? stableId(e.EventName, e.EventTime, JSON.stringify(e.Resources));
    const given = e.CloudTrailEvent ?? {};
    const record = {
      eventVersion: "1.09",
      userIdentity: { type: "IAMUser", userName: e.Username ?? "unknown" },
      eventSource: source,
      eventName: e.EventName,
      awsRegion: s.region,
      sourceIPAddress: "198.51.100.10",
      userAgent: "aws-cli/2.15.0",
      requestParameters: null,
      responseElements: null,
      requestID: stableId("request", id),
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: s.accountId,
      eventCategory: "Management",
      ...given,
      // The record's own time and id always agree with the event's (and move with --live).
      eventTime: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventID: id,
      readOnly: e.ReadOnly === "true",
    };
    return {
      EventId: id,
      EventName: e.EventName,
      EventTime: time,
      EventSource: source,
      ...(e.Username !== undefined ? { Username: e.Username } : {}),
      ...(e.AccessKeyId !== undefined ? { AccessKeyId: e.AccessKeyId } : {}),
      ReadOnly: e.ReadOnly,
      Resources: e.Resources,
      CloudTrailEvent: JSON.stringify(record),
    };
  });
  events.sort((a, b) => b.EventTime.getTime() - a.EventTime.getTime());

  const groups: AutoScalingGroupW[] = (s.autoScaling?.groups ?? []).map((g, gi) => {
    const at = ["autoScaling", "groups", gi];
    const arn = `arn:${partition}:autoscaling:${s.region}:${s.accountId}:autoScalingGroup:${stableId(g.AutoScalingGroupName)}:autoScalingGroupName/${g.AutoScalingGroupName}`;
    const members = g.Instances.map((id, k) => {
      const inst = instances.find((i) => i.InstanceId === id);
      if (!inst) problems.add([...at, "Instances", k], `unknown instance ${id} (not in instances)`);
      return {
        InstanceId: id,
        AvailabilityZone: inst?.Placement.AvailabilityZone ?? `${s.region}a`,
        LifecycleState: "InService",
        HealthStatus: "Healthy",
      };
    });
    const zones = [...new Set(members.map((m) => m.AvailabilityZone))];
    const times = g.Activities.map((a) => Date.parse(a.StartTime));
    const created = new Date(
      Math.min(Date.parse(s.now ?? new Date().toISOString()) - 30 * 86_400_000, ...times) + offsetMs,
    );
    return {
      AutoScalingGroupName: g.AutoScalingGroupName,
      AutoScalingGroupARN: arn,
      MinSize: g.MinSize ?? Math.min(1, members.length),
      MaxSize: g.MaxSize ?? Math.max(members.length, 1) * 2,
      DesiredCapacity: g.DesiredCapacity ?? members.length,
      DefaultCooldown: 300,
      AvailabilityZones: zones,
      TargetGroupARNs: g.TargetGroupNames.map((n, k) => tgArn(n, [...at, "TargetGroupNames", k])),
      HealthCheckType: g.HealthCheckType,
      HealthCheckGracePeriod: g.HealthCheckGracePeriod,
      Instances: members,
      CreatedTime: created,
      Tags: (g.Tags ?? []).map((t) => ({
        Key: t.Key,
        Value: t.Value,
        ResourceId: g.AutoScalingGroupName,
        ResourceType: "auto-scaling-group",
        PropagateAtLaunch: true,
      })),
      Activities: g.Activities.map((a) => ({
        ActivityId: a.ActivityId,
        AutoScalingGroupName: g.AutoScalingGroupName,
        AutoScalingGroupARN: arn,
        ...(a.Description !== undefined ? { Description: a.Description } : {}),
        ...(a.Cause !== undefined ? { Cause: a.Cause } : {}),
        StartTime: shift(a.StartTime, offsetMs),
        ...(a.EndTime !== undefined ? { EndTime: shift(a.EndTime, offsetMs) } : {}),
        StatusCode: a.StatusCode,
        ...(a.StatusMessage !== undefined ? { StatusMessage: a.StatusMessage } : {}),
        Progress: a.Progress ?? (a.StatusCode === "Successful" ? 100 : 50),
        ...(a.Details !== undefined ? { Details: a.Details } : {}),
      })).sort((x, y) => y.StartTime.getTime() - x.StartTime.getTime()),
    };
  });

  const clusters: EcsClusterW[] = (s.ecs?.clusters ?? []).map((c, ci) => {
    const clusterArn = `arn:${partition}:ecs:${s.region}:${s.accountId}:cluster/${c.ClusterName}`;
    return {
      clusterArn,
      clusterName: c.ClusterName,
      status: "ACTIVE",
      services: c.Services.map((svc, si) => {
        const at = ["ecs", "clusters", ci, "Services", si];
        const primary = svc.Deployments.find((d) => d.Status === "PRIMARY") ?? svc.Deployments[0];
        const desired = svc.DesiredCount ?? primary?.DesiredCount ?? 2;
        const deployments = svc.Deployments.map((d) => ({
          id: d.Id,
          status: d.Status,
          taskDefinition: taskDefinitionArn(partition, s.region, s.accountId, d.TaskDefinition),
          desiredCount: d.DesiredCount ?? (d.Status === "PRIMARY" ? desired : 0),
          pendingCount: d.PendingCount ?? 0,
          runningCount: d.RunningCount ?? (d.Status === "PRIMARY" ? desired : 0),
          createdAt: shift(d.CreatedAt, offsetMs),
          updatedAt: shift(d.UpdatedAt ?? d.CreatedAt, offsetMs),
          launchType: d.LaunchType ?? svc.LaunchType,
          ...(d.RolloutState !== undefined ? { rolloutState: d.RolloutState } : {}),
          ...(d.RolloutStateReason !== undefined ? { rolloutStateReason: d.RolloutStateReason } : {}),
        }));
        deployments.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
        const oldest =
          deployments.at(-1)?.createdAt.getTime() ?? Date.parse(s.now ?? new Date().toISOString());
        return {
          serviceArn: `arn:${partition}:ecs:${s.region}:${s.accountId}:service/${c.ClusterName}/${svc.ServiceName}`,
          serviceName: svc.ServiceName,
          clusterArn,
          status: "ACTIVE",
          desiredCount: desired,
          runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
          pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
          launchType: svc.LaunchType,
          taskDefinition: primary
            ? taskDefinitionArn(partition, s.region, s.accountId, primary.TaskDefinition)
            : taskDefinitionArn(partition, s.region, s.accountId, `${svc.ServiceName}:1`),
          loadBalancers: svc.TargetGroupNames.map((n, k) => ({
            targetGroupArn: tgArn(n, [...at, "TargetGroupNames", k]),
            containerName: svc.ContainerName ?? svc.ServiceName,
            ...(svc.ContainerPort !== undefined ? { containerPort: svc.ContainerPort } : {}),
          })),
          deployments,
          createdAt: new Date(oldest - 86_400_000),
        };
      }),
    };
  });

  return {
    cloudTrail: { events, requestsPerSecond: s.cloudTrail?.RequestsPerSecond ?? 2, recentCalls: [] },
    autoScalingGroups: groups,
    ecsClusters: clusters,
  };
}

function taskDefinitionArn(partition: string, region: string, account: string, family: string): string {
  return family.startsWith("arn:")
    ? family
    : `arn:${partition}:ecs:${region}:${account}:task-definition/${family}`;
}
