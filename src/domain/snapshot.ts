import type { LogSummary } from "./log-summary.ts";
import type { Change, ChangeSource, CheckRun } from "./report.ts";

/**
 * Everything alb-doctor knows about one ALB for one time window. The collector (src/aws/collect)
 * builds it from AWS; checks (src/diagnose/checks) read it and never call AWS themselves.
 * Shapes are plain data, close to the AWS API's own names but free of SDK types.
 * A part that could not be collected is absent (or empty) and its failure is in `parts`.
 */
export interface Snapshot {
  region: string;
  accountId: string;
  window: { start: string; end: string };
  loadBalancer: LoadBalancer;
  listeners: Listener[];
  /** Every target group a listener forwards to (default actions, rules, weighted forwards). */
  targetGroups: TargetGroup[];
  /** Where each target lives: instance or ENI behind an ip target, keyed by target id (i-... or IP). */
  targetHosts: Record<string, TargetHost>;
  /** Security groups of the ALB and of the targets, keyed by GroupId. */
  securityGroups: Record<string, SecurityGroup>;
  /** Subnets of the ALB and of the targets, keyed by SubnetId. */
  subnets: Record<string, Subnet>;
  /** Network ACLs associated with those subnets (a subnet without an explicit one uses the VPC default). */
  networkAcls: NetworkAcl[];
  /** CloudWatch series for the window (missing datapoints of count metrics mean 0). */
  metrics: MetricSeries[];
  /**
   * 5xx counts for a bounded lead before the window (same period), read only when errors were already there at
   * the window's start, so the onset can be found (src/diagnose/story/onset.ts).
   */
  metricsLead?: { start: string; metrics: MetricSeries[] };
  /** What changed on these resources over the window plus a lead, and what was searched (absent: not searched). */
  changes?: Change[];
  changesChecked?: { from: string; to: string; sources: ChangeSource[] };
  /** The access-log summary for the window; absent when logs are off, unreadable, or not scanned. */
  accessLogs?: LogSummary;
  /** How each part of the collection went (ids from CHECK_PART_IDS). */
  parts: CheckRun[];
}

export interface LoadBalancer {
  name: string;
  arn: string;
  /** app/NAME/ID - the CloudWatch dimension and the `elb` field of access logs. */
  resourceId: string;
  dnsName: string;
  scheme: string;
  type: string;
  vpcId: string;
  state?: string;
  subnetIds: string[];
  securityGroupIds: string[];
  ipAddressType?: string;
  /** LB attributes as AWS returns them (all values are strings). */
  attributes: Record<string, string>;
  /** Its tags (DescribeTags): who owns it, a controller or a stack. Absent when they could not be read. */
  tags?: Record<string, string>;
}

export interface ListenerAction {
  type: string; // forward | redirect | fixed-response | authenticate-oidc | authenticate-cognito
  /** Forward targets with weights (a single TargetGroupArn becomes one entry with weight 1). */
  targetGroups?: { arn: string; weight: number }[];
  fixedResponseStatus?: string;
  redirectStatus?: string;
}

export interface ListenerRule {
  arn: string;
  priority: string; // "default" or a number as a string, as AWS returns it
  conditions: { field: string; values: string[] }[];
  actions: ListenerAction[];
}

export interface Listener {
  arn: string;
  port: number;
  protocol: string; // HTTP | HTTPS
  sslPolicy?: string;
  defaultActions: ListenerAction[];
  rules: ListenerRule[];
}

export interface HealthCheck {
  enabled: boolean;
  protocol: string;
  /** A port number as a string, or "traffic-port". */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: { httpCode?: string; grpcCode?: string };
}

export type TargetHealthState =
  | "initial"
  | "healthy"
  | "unhealthy"
  | "unhealthy.draining"
  | "unused"
  | "draining"
  | "unavailable"
  | (string & {});

export interface Target {
  /** Instance id, IP address or Lambda ARN. */
  id: string;
  port?: number;
  availabilityZone?: string;
  /** The port the health check probes for this target, as DescribeTargetHealth reports it. */
  healthCheckPort?: string;
  state: TargetHealthState;
  reason?: string;
  description?: string;
}

export interface TargetGroup {
  arn: string;
  name: string;
  /** targetgroup/NAME/ID - the CloudWatch dimension. */
  resourceId: string;
  protocol?: string; // HTTP | HTTPS (absent for lambda)
  protocolVersion?: string;
  port?: number;
  targetType: "instance" | "ip" | "lambda" | "alb" | (string & {});
  vpcId?: string;
  healthCheck: HealthCheck;
  attributes: Record<string, string>;
  targets: Target[];
  /** Set when target health could not be read for this group. */
  healthError?: string;
  /** Its tags (DescribeTags); absent when they could not be read. */
  tags?: Record<string, string>;
}

export interface TargetHost {
  /** The target id as registered (instance id or IP). */
  targetId: string;
  kind: "instance" | "eni";
  /** Instance or network-interface id. */
  resourceId: string;
  privateIp?: string;
  ipv6?: string[];
  subnetId?: string;
  vpcId?: string;
  securityGroupIds: string[];
  state?: string;
}

export interface IpPermission {
  /** "-1" for all, "tcp", "udp", "icmp", or a protocol number as a string ("6"). */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  ipv4Ranges: string[];
  ipv6Ranges: string[];
  /** Referenced security groups (UserIdGroupPairs). */
  groupIds: string[];
  prefixListIds: string[];
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId?: string;
  ingress: IpPermission[];
  egress: IpPermission[];
  /** Its tags, as DescribeSecurityGroups returns them (the controller tags the groups it manages). */
  tags?: Record<string, string>;
}

export interface Subnet {
  id: string;
  vpcId: string;
  cidrBlock: string;
  ipv6CidrBlocks: string[];
  availabilityZone?: string;
}

export interface NaclEntry {
  ruleNumber: number;
  /** "-1" for all, or a protocol number as a string ("6" tcp, "17" udp). */
  protocol: string;
  action: "allow" | "deny";
  egress: boolean;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from: number; to: number };
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  entries: NaclEntry[];
  subnetIds: string[];
}

export type MetricStat =
  "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount" | "p50" | "p90" | "p99" | (string & {});

export interface MetricSeries {
  /** e.g. HTTPCode_ELB_502_Count */
  metric: string;
  stat: MetricStat;
  /** Target group resource id (targetgroup/NAME/ID) for per-group series; absent for LB-wide series. */
  targetGroup?: string;
  /** Datapoints in time order (ISO timestamps). */
  points: { t: string; v: number }[];
}
