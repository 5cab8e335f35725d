/**
 * The zod schema of a scenario file (../shared/scenarios.md). Resource shapes follow the AWS API's names
 * and casing; every field of the AWS shape is accepted (fields the simulator does not model are kept as
 * given), and any other key is an error. Ranges are checked here with messages of the form
 * `expected 5..300, got 2`; cross-references (a subnet naming a missing VPC...) are checked in derive.ts.
 *
 * Extensions beyond scenarios.md: `buckets: [{ Name, Policy, Region }]` (S3 buckets and their policies),
 * `expect: {...}` (free-form, what the scenario-library tests assert), accessLogs.files[].LoadBalancer /
 * NodeIp (which LB and node wrote the file, for accounts with several LBs).
 */
import { z } from "zod";
import { TARGET_STATES } from "./health-check.ts";

/** Fields of an AWS shape the simulator keeps but does not interpret. */
const accepted = (...names: string[]) => Object.fromEntries(names.map((n) => [n, z.unknown().optional()]));

const str = z.string();
/** A string that YAML may have read as a number or boolean (attribute values, "-1" protocols, account ids). */
const scalarString = z.preprocess(
  (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v),
  z.string(),
);

export const intIn = (min: number, max: number) =>
  z.number().superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < min || v > max) {
      ctx.addIssue({ code: "custom", message: `expected ${min}..${max}, got ${v}` });
    }
  });

const isoTime = z.string().superRefine((v, ctx) => {
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
    Number.isNaN(Date.parse(v))
  ) {
    ctx.addIssue({
      code: "custom",
      message: `expected an ISO 8601 time such as 2026-03-15T14:30:00Z, got ${v}`,
    });
  }
});
/** YAML 1.1 readers may hand us a Date for an unquoted timestamp; accept it. */
const time = z.preprocess((v) => (v instanceof Date ? v.toISOString() : v), isoTime);

const port = intIn(1, 65535);
const tags = z.array(z.strictObject({ Key: str, Value: scalarString.default("") }));
const attributes = z.record(z.string(), scalarString);

// ------------------------------------------------------------------ EC2

const vpc = z.strictObject({
  VpcId: str,
  CidrBlock: str,
  Ipv6CidrBlock: str.optional(),
  IsDefault: z.boolean().optional(),
  Tags: tags.optional(),
  ...accepted(
    "State",
    "DhcpOptionsId",
    "InstanceTenancy",
    "OwnerId",
    "CidrBlockAssociationSet",
    "Ipv6CidrBlockAssociationSet",
    "BlockPublicAccessStates",
    "EncryptionControl",
  ),
});

const subnet = z.strictObject({
  SubnetId: str,
  VpcId: str,
  CidrBlock: str,
  AvailabilityZone: str,
  Ipv6CidrBlock: str.optional(),
  SubnetArn: str.optional(),
  Tags: tags.optional(),
  ...accepted(
    "AvailabilityZoneId",
    "AvailableIpAddressCount",
    "DefaultForAz",
    "MapPublicIpOnLaunch",
    "State",
    "OwnerId",
    "AssignIpv6AddressOnCreation",
    "Ipv6CidrBlockAssociationSet",
    "EnableDns64",
    "Ipv6Native",
    "PrivateDnsNameOptionsOnLaunch",
    "MapCustomerOwnedIpOnLaunch",
    "CustomerOwnedIpv4Pool",
    "OutpostArn",
    "EnableLniAtDeviceIndex",
    "BlockPublicAccessStates",
    "Type",
  ),
});

const ipPermission = z.strictObject({
  IpProtocol: scalarString,
  FromPort: z.number().int().optional(),
  ToPort: z.number().int().optional(),
  IpRanges: z.array(z.strictObject({ CidrIp: str, Description: str.optional() })).optional(),
  Ipv6Ranges: z.array(z.strictObject({ CidrIpv6: str, Description: str.optional() })).optional(),
  UserIdGroupPairs: z
    .array(
      z.strictObject({
        GroupId: str,
        UserId: scalarString.optional(),
        Description: str.optional(),
        ...accepted("GroupName", "VpcId", "VpcPeeringConnectionId", "PeeringStatus"),
      }),
    )
    .optional(),
  PrefixListIds: z.array(z.strictObject({ PrefixListId: str, Description: str.optional() })).optional(),
});

const securityGroup = z.strictObject({
  GroupId: str,
  GroupName: str.optional(),
  Description: str.optional(),
  VpcId: str,
  OwnerId: scalarString.optional(),
  IpPermissions: z.array(ipPermission).optional(),
  /** Absent: AWS's default egress rule (all traffic to 0.0.0.0/0). [] means no egress at all. */
  IpPermissionsEgress: z.array(ipPermission).optional(),
  Tags: tags.optional(),
  ...accepted("SecurityGroupArn"),
});

const naclEntry = z.strictObject({
  RuleNumber: intIn(1, 32767),
  Protocol: scalarString,
  RuleAction: z.enum(["allow", "deny"]),
  Egress: z.boolean(),
  CidrBlock: str.optional(),
  Ipv6CidrBlock: str.optional(),
  PortRange: z.strictObject({ From: port, To: port }).optional(),
  IcmpTypeCode: z.strictObject({ Code: z.number().int(), Type: z.number().int() }).optional(),
});

const networkAcl = z.strictObject({
  NetworkAclId: str,
  VpcId: str,
  IsDefault: z.boolean().optional(),
  Entries: z.array(naclEntry).optional(),
  Associations: z
    .array(
      z.strictObject({
        SubnetId: str,
        NetworkAclAssociationId: str.optional(),
        NetworkAclId: str.optional(),
      }),
    )
    .optional(),
  OwnerId: scalarString.optional(),
  Tags: tags.optional(),
});

const instanceStates = ["pending", "running", "shutting-down", "terminated", "stopping", "stopped"] as const;

const instance = z.strictObject({
  InstanceId: str,
  SubnetId: str,
  VpcId: str.optional(),
  PrivateIpAddress: str.optional(),
  SecurityGroups: z.array(z.strictObject({ GroupId: str, GroupName: str.optional() })).optional(),
  State: z
    .union([
      z.enum(instanceStates),
      z.strictObject({ Code: z.number().int().optional(), Name: z.enum(instanceStates) }),
    ])
    .optional(),
  InstanceType: str.optional(),
  ImageId: str.optional(),
  Placement: z
    .strictObject({ AvailabilityZone: str.optional(), ...accepted("Tenancy", "GroupName") })
    .optional(),
  Tags: tags.optional(),
  ...accepted(
    "AmiLaunchIndex",
    "Architecture",
    "BlockDeviceMappings",
    "ClientToken",
    "EbsOptimized",
    "EnaSupport",
    "Hypervisor",
    "IamInstanceProfile",
    "KeyName",
    "LaunchTime",
    "Monitoring",
    "NetworkInterfaces",
    "Platform",
    "PlatformDetails",
    "PrivateDnsName",
    "PublicDnsName",
    "PublicIpAddress",
    "RootDeviceName",
    "RootDeviceType",
    "SourceDestCheck",
    "StateReason",
    "StateTransitionReason",
    "VirtualizationType",
    "CpuOptions",
    "MetadataOptions",
    "UsageOperation",
  ),
});

const networkInterface = z.strictObject({
  NetworkInterfaceId: str,
  SubnetId: str,
  VpcId: str.optional(),
  PrivateIpAddress: str,
  Groups: z.array(z.strictObject({ GroupId: str, GroupName: str.optional() })).optional(),
  Description: str.optional(),
  Status: str.optional(),
  AvailabilityZone: str.optional(),
  InterfaceType: str.optional(),
  ...accepted(
    "Attachment",
    "Association",
    "Ipv6Addresses",
    "MacAddress",
    "OwnerId",
    "PrivateDnsName",
    "PrivateIpAddresses",
    "RequesterId",
    "RequesterManaged",
    "SourceDestCheck",
    "TagSet",
  ),
});

// ------------------------------------------------------------------ ELBv2

const action = z.strictObject({
  Type: z.enum([
    "forward",
    "redirect",
    "fixed-response",
    "authenticate-oidc",
    "authenticate-cognito",
    "jwt-validation",
  ]),
  Order: intIn(1, 50000).optional(),
  TargetGroupArn: str.optional(),
  /** Extension: the target group by name, resolved to its ARN. */
  TargetGroupName: str.optional(),
  ForwardConfig: z
    .strictObject({
      TargetGroups: z.array(
        z.strictObject({
          TargetGroupArn: str.optional(),
          TargetGroupName: str.optional(),
          Weight: intIn(0, 999).optional(),
        }),
      ),
      TargetGroupStickinessConfig: z
        .strictObject({ Enabled: z.boolean(), DurationSeconds: intIn(1, 604800).optional() })
        .optional(),
    })
    .optional(),
  RedirectConfig: z
    .strictObject({
      Protocol: str.optional(),
      Port: scalarString.optional(),
      Host: str.optional(),
      Path: str.optional(),
      Query: str.optional(),
      StatusCode: z.enum(["HTTP_301", "HTTP_302"]),
    })
    .optional(),
  FixedResponseConfig: z
    .strictObject({ StatusCode: scalarString, ContentType: str.optional(), MessageBody: str.optional() })
    .optional(),
  AuthenticateOidcConfig: z.record(z.string(), z.unknown()).optional(),
  AuthenticateCognitoConfig: z.record(z.string(), z.unknown()).optional(),
  JwtValidationConfig: z.record(z.string(), z.unknown()).optional(),
});

const valuesConfig = z.strictObject({ Values: z.array(str) });
const condition = z.strictObject({
  Field: str,
  Values: z.array(str).optional(),
  HostHeaderConfig: valuesConfig.extend({ RegexValues: z.array(str).optional() }).optional(),
  PathPatternConfig: valuesConfig.extend({ RegexValues: z.array(str).optional() }).optional(),
  HttpHeaderConfig: z
    .strictObject({ HttpHeaderName: str, Values: z.array(str), RegexValues: z.array(str).optional() })
    .optional(),
  HttpRequestMethodConfig: valuesConfig.optional(),
  QueryStringConfig: z
    .strictObject({ Values: z.array(z.strictObject({ Key: str.optional(), Value: str })) })
    .optional(),
  SourceIpConfig: valuesConfig.optional(),
  RegexValues: z.array(str).optional(),
});

const rule = z.strictObject({
  Priority: intIn(1, 50000),
  Conditions: z.array(condition).default([]),
  Actions: z.array(action).min(1),
  RuleArn: str.optional(),
  IsDefault: z.boolean().optional(),
  Tags: tags.optional(),
  ...accepted("Transforms"),
});

const listener = z.strictObject({
  Port: port,
  Protocol: z.enum(["HTTP", "HTTPS"]),
  DefaultActions: z.array(action).min(1),
  Rules: z.array(rule).optional(),
  ListenerArn: str.optional(),
  SslPolicy: str.optional(),
  Certificates: z
    .array(z.strictObject({ CertificateArn: str, IsDefault: z.boolean().optional() }))
    .optional(),
  Tags: tags.optional(),
  ...accepted("AlpnPolicy", "MutualAuthentication", "Attributes"),
});

const loadBalancerName = z.string().regex(/^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/, {
  message:
    "expected 1..32 letters, digits and hyphens, not starting or ending with a hyphen, not starting with internal-",
});

const targetGroupName = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/, {
  message: "expected 1..32 letters, digits and hyphens, not starting or ending with a hyphen",
});

const hexId = z.string().regex(/^[0-9a-f]{16}$/, { message: "expected 16 lowercase hex digits" });

const loadBalancer = z.strictObject({
  LoadBalancerName: loadBalancerName,
  Id: hexId.optional(),
  LoadBalancerArn: str.optional(),
  Scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
  Type: z.literal("application").default("application"),
  VpcId: str,
  Subnets: z.array(str).min(1).optional(),
  AvailabilityZones: z
    .array(
      z.strictObject({
        ZoneName: str.optional(),
        SubnetId: str,
        ...accepted("OutpostId", "LoadBalancerAddresses", "SourceNatIpv6Prefixes"),
      }),
    )
    .optional(),
  SecurityGroups: z.array(str).default([]),
  IpAddressType: z.enum(["ipv4", "dualstack", "dualstack-without-public-ipv4"]).default("ipv4"),
  DNSName: str.optional(),
  CanonicalHostedZoneId: str.optional(),
  CreatedTime: time.optional(),
  State: z
    .strictObject({
      Code: z.enum(["active", "provisioning", "active_impaired", "failed"]),
      Reason: str.optional(),
    })
    .optional(),
  Attributes: attributes.default({}),
  Listeners: z.array(listener).default([]),
  Tags: tags.optional(),
  ...accepted(
    "CustomerOwnedIpv4Pool",
    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    "EnablePrefixForIpv6SourceNat",
    "IpamPools",
  ),
});

const healthCheck = z.strictObject({
  Enabled: z.boolean().optional(),
  Protocol: z.enum(["HTTP", "HTTPS"]).optional(),
  Port: scalarString.optional(),
  Path: str.optional(),
  IntervalSeconds: intIn(5, 300).optional(),
  TimeoutSeconds: intIn(2, 120).optional(),
  HealthyThresholdCount: intIn(2, 10).optional(),
  UnhealthyThresholdCount: intIn(2, 10).optional(),
  Matcher: z
    .strictObject({ HttpCode: scalarString.optional(), GrpcCode: scalarString.optional() })
    .optional(),
});

const target = z.strictObject({
  Id: str,
  Port: port.optional(),
  AvailabilityZone: str.optional(),
  State: z.enum(TARGET_STATES).optional(),
  Reason: str.optional(),
  Description: str.optional(),
  HealthCheckPort: scalarString.optional(),
  ...accepted("AnomalyDetection", "AdministrativeOverride", "QuicServerId"),
});

const targetGroup = z.strictObject({
  TargetGroupName: targetGroupName,
  Id: hexId.optional(),
  TargetGroupArn: str.optional(),
  Protocol: z.enum(["HTTP", "HTTPS"]).optional(),
  ProtocolVersion: z.enum(["HTTP1", "HTTP2", "GRPC"]).optional(),
  Port: port.optional(),
  TargetType: z.enum(["instance", "ip", "lambda"]).default("instance"),
  VpcId: str.optional(),
  IpAddressType: z.enum(["ipv4", "ipv6"]).optional(),
  HealthCheck: healthCheck.optional(),
  // The same settings in the flat AWS shape (DescribeTargetGroups output); HealthCheck wins when both are given.
  HealthCheckEnabled: z.boolean().optional(),
  HealthCheckProtocol: z.enum(["HTTP", "HTTPS"]).optional(),
  HealthCheckPort: scalarString.optional(),
  HealthCheckPath: str.optional(),
  HealthCheckIntervalSeconds: intIn(5, 300).optional(),
  HealthCheckTimeoutSeconds: intIn(2, 120).optional(),
  HealthyThresholdCount: intIn(2, 10).optional(),
  UnhealthyThresholdCount: intIn(2, 10).optional(),
  Matcher: z
    .strictObject({ HttpCode: scalarString.optional(), GrpcCode: scalarString.optional() })
    .optional(),
  LoadBalancerArns: z.array(str).optional(),
  Attributes: attributes.default({}),
  Targets: z.array(target).default([]),
  Tags: tags.optional(),
});

// ------------------------------------------------------------------ CloudWatch, S3, faults

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
  Service: z.enum(["elbv2", "ec2", "cloudwatch", "s3", "sts"]),
  Action: str.default("*"),
  Error: str.optional(),
  Message: str.optional(),
  Times: z.number().int().min(1).optional(),
  LatencyMs: intIn(0, 600_000).optional(),
});

export const ScenarioSchema = z.strictObject({
  name: str.optional(),
  description: str.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: "expected a region such as us-east-1" })
    .default("us-east-1"),
  accountId: scalarString
    .pipe(z.string().regex(/^\d{12}$/, { message: "expected 12 digits" }))
    .default("123456789012"),
  now: time.optional(),
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
  expect: z.record(z.string(), z.unknown()).optional(),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioLoadBalancer = Scenario["loadBalancers"][number];
export type ScenarioTargetGroup = Scenario["targetGroups"][number];
export type ScenarioAction = z.output<typeof action>;
export type ScenarioAccessLogFile = z.output<typeof accessLogFile>;
