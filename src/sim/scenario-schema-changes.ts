/**
 * The scenario keys of the change history (the Extensions of the scenario format): CloudTrail management
 * events, Auto Scaling groups with their scaling activities, and ECS clusters with their services'
 * deployments. Shapes follow the AWS APIs' names and casing; times are on the scenario clock.
 */
import { z } from "zod";
import { accepted, intIn, str, tags, time } from "./scenario-schema-common.ts";

const cloudTrailEvent = z.strictObject({
  EventId: str.optional(),
  EventName: str,
  EventTime: time,
  /** Derived from the event name's service when absent (ec2.amazonaws.com, elasticloadbalancing.amazonaws.com). */
  EventSource: str.optional(),
  Username: str.optional(),
  AccessKeyId: str.optional(),
  ReadOnly: z
    .preprocess((v) => (typeof v === "boolean" ? String(v) : v), z.enum(["true", "false"]))
    .default("false"),
  Resources: z
    .array(z.strictObject({ ResourceType: str.optional(), ResourceName: str.optional() }))
    .default([]),
  /** The full record: an object here, served as the JSON string AWS returns (missing fields are derived). */
  CloudTrailEvent: z.record(z.string(), z.unknown()).optional(),
});

export const cloudTrail = z.strictObject({
  events: z.array(cloudTrailEvent).default([]),
  /** LookupEvents calls answered per second before ThrottlingException (AWS: 2 per account and region). */
  RequestsPerSecond: intIn(1, 1000).default(2),
});

const scalingActivity = z.strictObject({
  ActivityId: str,
  Description: str.optional(),
  Cause: str.optional(),
  StartTime: time,
  EndTime: time.optional(),
  StatusCode: str.default("Successful"),
  StatusMessage: str.optional(),
  Progress: intIn(0, 100).optional(),
  Details: str.optional(),
});

const autoScalingGroup = z.strictObject({
  AutoScalingGroupName: str,
  /** Instance ids (the scenario's instances) in the group. */
  Instances: z.array(str).default([]),
  /** Target groups by name; TargetGroupARNs are derived. */
  TargetGroupNames: z.array(str).default([]),
  MinSize: intIn(0, 10_000).optional(),
  MaxSize: intIn(0, 10_000).optional(),
  DesiredCapacity: intIn(0, 10_000).optional(),
  HealthCheckType: z.enum(["EC2", "ELB", "VPC_LATTICE", "EBS"]).default("EC2"),
  HealthCheckGracePeriod: intIn(0, 86_400).default(300),
  Activities: z.array(scalingActivity).default([]),
  Tags: tags.optional(),
  ...accepted("LaunchTemplate", "MixedInstancesPolicy", "VPCZoneIdentifier", "DefaultCooldown"),
});

export const autoScaling = z.strictObject({ groups: z.array(autoScalingGroup).default([]) });

const deployment = z.strictObject({
  Id: str,
  Status: z.enum(["PRIMARY", "ACTIVE", "INACTIVE"]),
  RolloutState: z.enum(["COMPLETED", "FAILED", "IN_PROGRESS"]).optional(),
  RolloutStateReason: str.optional(),
  TaskDefinition: str,
  DesiredCount: intIn(0, 10_000).optional(),
  RunningCount: intIn(0, 10_000).optional(),
  PendingCount: intIn(0, 10_000).optional(),
  CreatedAt: time,
  UpdatedAt: time.optional(),
  LaunchType: z.enum(["EC2", "FARGATE", "EXTERNAL"]).optional(),
});

const ecsService = z.strictObject({
  ServiceName: str,
  /** Target groups by name; loadBalancers[].targetGroupArn is derived. */
  TargetGroupNames: z.array(str).default([]),
  ContainerName: str.optional(),
  ContainerPort: intIn(1, 65535).optional(),
  DesiredCount: intIn(0, 10_000).optional(),
  LaunchType: z.enum(["EC2", "FARGATE", "EXTERNAL"]).default("FARGATE"),
  Deployments: z.array(deployment).default([]),
  Tags: tags.optional(),
});

const ecsCluster = z.strictObject({
  ClusterName: str,
  Services: z.array(ecsService).default([]),
  Tags: tags.optional(),
});

export const ecs = z.strictObject({ clusters: z.array(ecsCluster).default([]) });

export type ScenarioCloudTrail = z.output<typeof cloudTrail>;
export type ScenarioAutoScaling = z.output<typeof autoScaling>;
export type ScenarioEcs = z.output<typeof ecs>;
