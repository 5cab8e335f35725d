/**
 * The simulated AWS account in memory: the scenario after defaults and derivations (ARNs, ids, DNS names,
 * health-check defaults, attributes), in the AWS API's own shapes and casing, so wire handlers serialize
 * it mechanically. Mutable: Modify/Authorize calls change it and later Describe calls see the change.
 * Built by src/sim/scenario.ts (loadScenario -> World); read and changed by src/sim/services/*.
 */
import type { CallLogEntry, SimService } from "./calls.ts";
import type { HealthCheckSettings } from "./health-check.ts";
import type { AthenaW } from "./athena/state.ts";

export type Tag = { Key: string; Value: string };

export interface VpcW {
  VpcId: string;
  CidrBlock: string;
  Ipv6CidrBlock?: string;
  IsDefault?: boolean;
  Tags?: Tag[];
}

export interface SubnetW {
  SubnetId: string;
  VpcId: string;
  CidrBlock: string;
  Ipv6CidrBlock?: string;
  AvailabilityZone: string;
  SubnetArn: string;
  Tags?: Tag[];
}

export interface IpPermissionW {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6: string; Description?: string }[];
  UserIdGroupPairs?: { GroupId: string; UserId?: string; Description?: string }[];
  PrefixListIds?: { PrefixListId: string; Description?: string }[];
}

export interface SecurityGroupW {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  OwnerId: string;
  IpPermissions: IpPermissionW[];
  IpPermissionsEgress: IpPermissionW[];
  Tags?: Tag[];
}

export interface NaclEntryW {
  RuleNumber: number;
  Protocol: string;
  RuleAction: "allow" | "deny";
  Egress: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  PortRange?: { From: number; To: number };
  IcmpTypeCode?: { Code: number; Type: number };
}

export interface NetworkAclW {
  NetworkAclId: string;
  VpcId: string;
  IsDefault: boolean;
  Entries: NaclEntryW[];
  Associations: { NetworkAclAssociationId: string; NetworkAclId: string; SubnetId: string }[];
  OwnerId: string;
  Tags?: Tag[];
}

export interface InstanceW {
  InstanceId: string;
  SubnetId: string;
  VpcId: string;
  PrivateIpAddress: string;
  SecurityGroups: { GroupId: string; GroupName?: string }[];
  State: { Code: number; Name: string };
  InstanceType: string;
  ImageId: string;
  Placement: { AvailabilityZone: string };
  Tags?: Tag[];
}

export interface NetworkInterfaceW {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  PrivateIpAddress: string;
  Groups: { GroupId: string; GroupName?: string }[];
  Description?: string;
  Status: string;
  AvailabilityZone: string;
  InterfaceType?: string;
  /** An instance's primary interface names its instance (derived, or as the scenario gives it). */
  Attachment?: { InstanceId?: string; DeviceIndex?: number; Status?: string };
}

export interface ActionW {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups: { TargetGroupArn: string; Weight?: number }[];
    TargetGroupStickinessConfig?: { Enabled: boolean; DurationSeconds?: number };
  };
  RedirectConfig?: Record<string, string>;
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
  AuthenticateOidcConfig?: Record<string, unknown>;
  AuthenticateCognitoConfig?: Record<string, unknown>;
}

export interface RuleConditionW {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values: string[] };
  PathPatternConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values: string[] };
  HttpRequestMethodConfig?: { Values: string[] };
  QueryStringConfig?: { Values: { Key?: string; Value: string }[] };
  SourceIpConfig?: { Values: string[] };
}

export interface RuleW {
  RuleArn: string;
  Priority: string; // "default" or a number
  Conditions: RuleConditionW[];
  Actions: ActionW[];
  IsDefault: boolean;
}

export interface ListenerW {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: string;
  SslPolicy?: string;
  Certificates?: { CertificateArn: string }[];
  DefaultActions: ActionW[];
  /** Non-default rules; DescribeRules adds the default rule built from DefaultActions. */
  Rules: RuleW[];
}

export interface LoadBalancerW {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  /** The 16-hex id (ARN suffix). */
  Id: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: string;
  Scheme: string;
  VpcId: string;
  State: { Code: string; Reason?: string };
  Type: string;
  AvailabilityZones: { ZoneName: string; SubnetId: string }[];
  SecurityGroups: string[];
  IpAddressType: string;
  Attributes: Record<string, string>;
  Tags: Tag[];
}

export interface TargetW {
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
  State: string;
  Reason?: string;
  Description?: string;
}

/** The health-check fields (HealthCheck*, thresholds, Matcher) come from HealthCheckSettings. */
export interface TargetGroupW extends HealthCheckSettings {
  TargetGroupArn: string;
  TargetGroupName: string;
  Id: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType: string;
  IpAddressType?: string;
  /** Derived from the listeners that forward to the group. */
  LoadBalancerArns: string[];
  Attributes: Record<string, string>;
  Targets: TargetW[];
  Tags: Tag[];
}

export interface MetricW {
  Namespace: string;
  MetricName: string;
  /** Resolved: a name stands for its app/NAME/ID (targetgroup/NAME/ID) as in the scenario format. */
  Dimensions: { Name: string; Value: string }[];
  Period: number;
  /** The end of the last period (scenario `now`, shifted with --live). Point i ends at End - (n-1-i)*Period. */
  End: Date;
  /** Statistic -> one value per period: Sum, Average, Minimum, Maximum, SampleCount, p50, p90, p99, ... */
  Stats: Record<string, number[]>;
  Unit?: string;
}

export interface S3ObjectW {
  Body: Buffer;
  LastModified: Date;
  ETag: string;
  ContentType?: string;
}

export interface BucketW {
  Name: string;
  Region: string;
  /** Key -> object; listing sorts keys in UTF-8 binary order as S3 does. */
  Objects: Map<string, S3ObjectW>;
  /** JSON text of the bucket policy, if any. */
  Policy?: string;
}

export interface FaultW {
  Service: SimService;
  /** Action name; "*" for all actions of the service. */
  Action: string;
  /** AWS error code to answer with (AccessDenied, UnauthorizedOperation, Throttling, ...). */
  Error?: string;
  Message?: string;
  /** How many times the error fires; absent = always. */
  Times?: number;
  LatencyMs?: number;
  /** Calls already answered with the error (runtime counter). */
  fired: number;
}

export interface World {
  name: string;
  description?: string;
  region: string;
  accountId: string;
  /** The scenario clock (shifted to the wall clock with --live). */
  now: Date;
  vpcs: VpcW[];
  subnets: SubnetW[];
  securityGroups: SecurityGroupW[];
  networkAcls: NetworkAclW[];
  instances: InstanceW[];
  networkInterfaces: NetworkInterfaceW[];
  loadBalancers: LoadBalancerW[];
  listeners: ListenerW[];
  targetGroups: TargetGroupW[];
  metrics: MetricW[];
  buckets: Map<string, BucketW>;
  faults: FaultW[];
  history: ChangeHistoryW;
  /** The other accounts and regions of the scenario (on the caller's own world; empty on the others). */
  accounts: AccountW[];
  /** Sessions from AssumeRole, one map shared by every world of the scenario. */
  sessions: Map<string, SessionW>;
  callLog: CallLogEntry[];
  /** Athena, when the scenario has an `athena:` key (src/sim/athena). */
  athena?: AthenaW;
  /** The scenario's `expect:` block (free-form; read by the scenario-library tests). */
  expect?: Record<string, unknown>;
}

export interface CloudTrailEventW {
  EventId: string;
  EventName: string;
  EventTime: Date;
  EventSource: string;
  Username?: string;
  AccessKeyId?: string;
  ReadOnly: "true" | "false";
  Resources: { ResourceType?: string; ResourceName?: string }[];
  /** The full record as the JSON string LookupEvents returns. */
  CloudTrailEvent: string;
}

export interface CloudTrailW {
  /** Newest first, as LookupEvents answers. */
  events: CloudTrailEventW[];
  requestsPerSecond: number;
  /** Wall-clock times (ms) of the LookupEvents calls of the last second, for the rate limit. */
  recentCalls: number[];
}

export interface ScalingActivityW {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description?: string;
  Cause?: string;
  StartTime: Date;
  EndTime?: Date;
  StatusCode: string;
  StatusMessage?: string;
  Progress?: number;
  Details?: string;
}

export interface AutoScalingGroupW {
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  DefaultCooldown: number;
  AvailabilityZones: string[];
  TargetGroupARNs: string[];
  HealthCheckType: string;
  HealthCheckGracePeriod: number;
  Instances: { InstanceId: string; AvailabilityZone: string; LifecycleState: string; HealthStatus: string }[];
  CreatedTime: Date;
  VPCZoneIdentifier?: string;
  Tags: {
    Key: string;
    Value: string;
    ResourceId: string;
    ResourceType: string;
    PropagateAtLaunch: boolean;
  }[];
  /** Newest first, as DescribeScalingActivities answers. */
  Activities: ScalingActivityW[];
}

export interface EcsDeploymentW {
  id: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  createdAt: Date;
  updatedAt: Date;
  launchType?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
}

export interface EcsServiceW {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType: string;
  taskDefinition: string;
  loadBalancers: { targetGroupArn: string; containerName?: string; containerPort?: number }[];
  deployments: EcsDeploymentW[];
  createdAt: Date;
}

export interface EcsClusterW {
  clusterArn: string;
  clusterName: string;
  status: string;
  services: EcsServiceW[];
}

/** The change history of the account (CloudTrail, Auto Scaling, ECS); empty when the scenario has none. */
export interface ChangeHistoryW {
  cloudTrail: CloudTrailW;
  autoScalingGroups: AutoScalingGroupW[];
  ecsClusters: EcsClusterW[];
}

/** Another account (or region) of the scenario, and what reaches it. */
export interface AccountW {
  accountId: string;
  region: string;
  alias?: string;
  /** The role AssumeRole must name (arn:aws:iam::accountId:role/roleName); absent: not assumable. */
  roleName?: string;
  externalId?: string;
  world: World;
}

/** Credentials that STS AssumeRole handed out, by access key id. */
export interface SessionW {
  accessKeyId: string;
  accountId: string;
  roleArn: string;
  assumedRoleArn: string;
  roleSessionName: string;
  sourceIdentity?: string;
  /** Wall-clock expiry (the SDK refreshes credentials by the wall clock). */
  expires: Date;
}
