/**
 * The zod schema of a scenario file (docs/contract/scenario-format.md). Resource shapes follow the AWS API's names
 * and casing; every field of the AWS shape is accepted (fields the simulator does not model are kept as
 * given), and any other key is an error. Ranges are checked here with messages of the form
 * `expected 5..300, got 2`; cross-references (a subnet naming a missing VPC...) are checked in derive.ts.
 *
 * Extensions beyond scenarios.md: `buckets: [{ Name, Policy, Region }]` (S3 buckets and their policies),
 * `expect: {...}` (free-form, what the scenario-library tests assert), accessLogs.files[].LoadBalancer /
 * NodeIp (which LB and node wrote the file, for accounts with several LBs).
 */
import { z } from "zod";
import { intIn, scalarString, str, time } from "./scenario-schema-common.ts";
import { instance, networkAcl, networkInterface, securityGroup, subnet, vpc } from "./scenario-schema-ec2.ts";
import { action, loadBalancer, targetGroup } from "./scenario-schema-elb.ts";
import { autoScaling, cloudTrail, ecs } from "./scenario-schema-changes.ts";
import { athena } from "./scenario-schema-athena.ts";

export { intIn } from "./scenario-schema-common.ts";

const metric = z.strictObject({
  Namespace: str.default("AWS/ApplicationELB"),
  MetricName: str,
  Dimensions: z
    .union([z.record(z.string(), scalarString), z.array(z.strictObject({ Name: str, Value: scalarString }))])
    .default({}),
  Period: z.number().superRefine((v, ctx) => {
    if (![1, 5, 10, 30].includes(v) && !(Number.isInteger(v) && v >= 60 && v % 60 === 0)) {
      ctx.addIssue({ code: "custom", message: `expected 1, 5, 10, 30 or a multiple of 60, got ${v}` });
    }
  }),
  Values: z.array(z.number()).optional(),
  Stats: z.record(z.string(), z.array(z.number())).optional(),
  Unit: str.optional(),
});

const accessLogFile = z.strictObject({
  End: time,
  Lines: z.array(str).optional(),
  Generate: z.unknown().optional(),
  /** Extension: the load balancer that wrote the file (default: the only one with an access-log bucket). */
  LoadBalancer: str.optional(),
  /** Extension: the LB node's IP in the key (default: derived from the LB's first subnet). */
  NodeIp: str.optional(),
});

const bucket = z.strictObject({
  Name: str,
  Region: str.optional(),
  /** The bucket policy as JSON text or as an object. */
  Policy: z.union([str, z.record(z.string(), z.unknown())]).optional(),
});

const fault = z.strictObject({
  Service: z.enum(["elbv2", "ec2", "cloudwatch", "s3", "sts", "cloudtrail", "autoscaling", "ecs", "athena"]),
  Action: str.default("*"),
  Error: str.optional(),
  Message: str.optional(),
  Times: z.number().int().min(1).optional(),
  LatencyMs: intIn(0, 600_000).optional(),
});

/** The keys that describe one account (the caller's own, or one of `accounts`). */
const accountKeys = {
  vpcs: z.array(vpc).default([]),
  subnets: z.array(subnet).default([]),
  securityGroups: z.array(securityGroup).default([]),
  networkAcls: z.array(networkAcl).default([]),
  instances: z.array(instance).default([]),
  networkInterfaces: z.array(networkInterface).default([]),
  loadBalancers: z.array(loadBalancer).default([]),
  targetGroups: z.array(targetGroup).default([]),
  metrics: z.array(metric).default([]),
  accessLogs: z.strictObject({ files: z.array(accessLogFile).default([]) }).optional(),
  buckets: z.array(bucket).default([]),
  faults: z.array(fault).default([]),
  cloudTrail: cloudTrail.optional(),
  autoScaling: autoScaling.optional(),
  ecs: ecs.optional(),
  athena: athena.optional(),
};

const region = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: "expected a region such as us-east-1" });
const accountId = scalarString.pipe(z.string().regex(/^\d{12}$/, { message: "expected 12 digits" }));

/**
 * Another account (or another region of one), reached through STS AssumeRole of
 * arn:aws:iam::accountId:role/roleName. The clock is the scenario's; the region defaults to the scenario's.
 * An entry with the caller's own account id and no roleName is that account in another region.
 */
const otherAccount = z.strictObject({
  accountId,
  alias: str.optional(),
  region: region.optional(),
  roleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { message: "expected an IAM role name" })
    .optional(),
  /** When set, AssumeRole must pass this ExternalId (as a trust policy with sts:ExternalId requires). */
  externalId: str.optional(),
  ...accountKeys,
});

export const ScenarioSchema = z.strictObject({
  name: str.optional(),
  description: str.optional(),
  region: region.default("us-east-1"),
  accountId: accountId.default("123456789012"),
  now: time.optional(),
  ...accountKeys,
  accounts: z.array(otherAccount).default([]),
  expect: z.record(z.string(), z.unknown()).optional(),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioLoadBalancer = Scenario["loadBalancers"][number];
export type ScenarioTargetGroup = Scenario["targetGroups"][number];
export type ScenarioAction = z.output<typeof action>;
export type ScenarioAccessLogFile = z.output<typeof accessLogFile>;
export type ScenarioAccount = z.output<typeof otherAccount>;
