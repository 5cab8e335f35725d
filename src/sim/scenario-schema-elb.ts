/**
 * The ELBv2 part of the scenario schema: load balancers with their listeners and rules, target groups with
 * health checks and targets (AWS shapes, plus TargetGroupName in actions).
 */
import { z } from "zod";
import { TARGET_STATES } from "./health-check.ts";
import {
  accepted,
  attributes,
  intIn,
  port,
  scalarString,
  str,
  tags,
  time,
} from "./scenario-schema-common.ts";

export const action = z.strictObject({
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

export const loadBalancer = z.strictObject({
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

const matcher = z.strictObject({ HttpCode: scalarString.optional(), GrpcCode: scalarString.optional() });

const healthCheck = z.strictObject({
  Enabled: z.boolean().optional(),
  Protocol: z.enum(["HTTP", "HTTPS"]).optional(),
  Port: scalarString.optional(),
  Path: str.optional(),
  IntervalSeconds: intIn(5, 300).optional(),
  TimeoutSeconds: intIn(2, 120).optional(),
  HealthyThresholdCount: intIn(2, 10).optional(),
  UnhealthyThresholdCount: intIn(2, 10).optional(),
  Matcher: matcher.optional(),
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

export const targetGroup = z.strictObject({
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
  Matcher: matcher.optional(),
  LoadBalancerArns: z.array(str).optional(),
  Attributes: attributes.default({}),
  Targets: z.array(target).default([]),
  Tags: tags.optional(),
});
