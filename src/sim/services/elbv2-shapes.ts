/**
 * World -> ELBv2 output shapes (the members DescribeX results carry, in AWS's casing), the lookups with
 * AWS's errors (LoadBalancerNotFound...), and Marker/PageSize paging.
 */
import { SimError } from "../contract.ts";
import type { ActionW, ListenerW, LoadBalancerW, RuleW, TargetGroupW, TargetW, World } from "../world.ts";
import { hexIdFrom } from "../derive-ids.ts";
import { qInt, qString, type QueryParams } from "../wire/query.ts";

export function lbShape(lb: LoadBalancerW): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.LoadBalancerArn,
    DNSName: lb.DNSName,
    CanonicalHostedZoneId: lb.CanonicalHostedZoneId,
    CreatedTime: new Date(lb.CreatedTime),
    LoadBalancerName: lb.LoadBalancerName,
    Scheme: lb.Scheme,
    VpcId: lb.VpcId,
    State: lb.State,
    Type: lb.Type,
    AvailabilityZones: lb.AvailabilityZones.map((z) => ({
      ZoneName: z.ZoneName,
      SubnetId: z.SubnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: lb.SecurityGroups,
    IpAddressType: lb.IpAddressType,
  };
}

export function actionShape(a: ActionW): Record<string, unknown> {
  return {
    Type: a.Type,
    TargetGroupArn: a.TargetGroupArn,
    Order: a.Order,
    ForwardConfig: a.ForwardConfig,
    RedirectConfig: a.RedirectConfig,
    FixedResponseConfig: a.FixedResponseConfig,
    AuthenticateOidcConfig: a.AuthenticateOidcConfig,
    AuthenticateCognitoConfig: a.AuthenticateCognitoConfig,
  };
}

export function listenerShape(l: ListenerW): Record<string, unknown> {
  return {
    ListenerArn: l.ListenerArn,
    LoadBalancerArn: l.LoadBalancerArn,
    Port: l.Port,
    Protocol: l.Protocol,
    Certificates: l.Certificates,
    SslPolicy: l.SslPolicy,
    DefaultActions: l.DefaultActions.map(actionShape),
  };
}

/** The listener's default rule, as DescribeRules lists it (Priority "default", no conditions). */
export function defaultRule(l: ListenerW): RuleW {
  return {
    RuleArn: `${l.ListenerArn.replace(":listener/", ":listener-rule/")}/${hexIdFrom(`rule:${l.ListenerArn}:default`)}`,
    Priority: "default",
    Conditions: [],
    Actions: l.DefaultActions,
    IsDefault: true,
  };
}

/** All rules of a listener in AWS's order: by priority, the default rule last. */
export function rulesOf(l: ListenerW): RuleW[] {
  return [...l.Rules].sort((a, b) => Number(a.Priority) - Number(b.Priority)).concat(defaultRule(l));
}

export function ruleShape(r: RuleW): Record<string, unknown> {
  return {
    RuleArn: r.RuleArn,
    Priority: r.Priority,
    Conditions: r.Conditions,
    Actions: r.Actions.map(actionShape),
    IsDefault: r.IsDefault,
  };
}

export function targetGroupShape(tg: TargetGroupW): Record<string, unknown> {
  return {
    TargetGroupArn: tg.TargetGroupArn,
    TargetGroupName: tg.TargetGroupName,
    Protocol: tg.Protocol,
    Port: tg.Port,
    VpcId: tg.VpcId,
    HealthCheckProtocol: tg.HealthCheckProtocol,
    HealthCheckPort: tg.HealthCheckPort,
    HealthCheckEnabled: tg.HealthCheckEnabled,
    HealthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: tg.HealthyThresholdCount,
    UnhealthyThresholdCount: tg.UnhealthyThresholdCount,
    HealthCheckPath: tg.HealthCheckPath,
    Matcher: tg.Matcher,
    LoadBalancerArns: tg.LoadBalancerArns,
    TargetType: tg.TargetType,
    ProtocolVersion: tg.ProtocolVersion,
    IpAddressType: tg.IpAddressType,
  };
}

/** HealthCheckPort of a target: the group's port setting, with traffic-port resolved to the target's port. */
export function targetHealthShape(tg: TargetGroupW, t: TargetW, include: string[]): Record<string, unknown> {
  const extra = t as TargetW & {
    HealthCheckPort?: string;
    AnomalyDetection?: unknown;
    AdministrativeOverride?: unknown;
  };
  const hcPort =
    extra.HealthCheckPort ??
    (tg.HealthCheckPort === undefined
      ? undefined
      : tg.HealthCheckPort === "traffic-port"
        ? t.Port?.toString()
        : tg.HealthCheckPort);
  const wantsAnomaly = include.includes("AnomalyDetection") || include.includes("All");
  return {
    Target: { Id: t.Id, Port: t.Port, AvailabilityZone: t.AvailabilityZone },
    HealthCheckPort: hcPort,
    TargetHealth: { State: t.State, Reason: t.Reason, Description: t.Description },
    AnomalyDetection: wantsAnomaly
      ? (extra.AnomalyDetection ?? { Result: "normal", MitigationInEffect: "no" })
      : undefined,
    AdministrativeOverride: extra.AdministrativeOverride ?? {
      State: "no_override",
      Reason: "AdministrativeOverride.NoOverride",
      Description: "No override is currently active on target",
    },
  };
}

export function attributesShape(attrs: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(attrs).map(([Key, Value]) => ({ Key, Value }));
}

// ---------------------------------------------------------------- lookups

const ARN_KIND =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(loadbalancer|targetgroup|listener|listener-rule)\//;

function checkArn(arn: string, kind: string, label: string): void {
  if (ARN_KIND.exec(arn)?.[1] !== kind)
    throw new SimError("ValidationError", `'${arn}' is not a valid ${label} ARN`);
}

export function findLb(world: World, arn: string): LoadBalancerW {
  checkArn(arn, "loadbalancer", "load balancer");
  const lb = world.loadBalancers.find((x) => x.LoadBalancerArn === arn);
  if (!lb) throw new SimError("LoadBalancerNotFound", `Load balancer '${arn}' not found`);
  return lb;
}

export function findTg(world: World, arn: string): TargetGroupW {
  checkArn(arn, "targetgroup", "target group");
  const tg = world.targetGroups.find((x) => x.TargetGroupArn === arn);
  if (!tg) throw new SimError("TargetGroupNotFound", `Target groups '${arn}' not found`);
  return tg;
}

export function findListener(world: World, arn: string): ListenerW {
  checkArn(arn, "listener", "listener");
  const l = world.listeners.find((x) => x.ListenerArn === arn);
  if (!l) throw new SimError("ListenerNotFound", `Listener '${arn}' not found`);
  return l;
}

export function findRule(world: World, arn: string): RuleW {
  checkArn(arn, "listener-rule", "rule");
  for (const l of world.listeners) {
    const r = rulesOf(l).find((x) => x.RuleArn === arn);
    if (r) return r;
  }
  throw new SimError("RuleNotFound", `One or more rules not found`);
}

// ---------------------------------------------------------------- paging

/** Marker/PageSize paging; the marker is opaque to clients (here: the offset, encoded). */
export function page<T>(items: T[], params: QueryParams): { items: T[]; NextMarker?: string } {
  const size = qInt(params.PageSize, "PageSize");
  if (size !== undefined && (size < 1 || size > 400)) {
    throw new SimError(
      "ValidationError",
      `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value ${size < 1 ? "greater than or equal to 1" : "less than or equal to 400"}`,
    );
  }
  const marker = qString(params.Marker, "Marker");
  let offset = 0;
  if (marker) {
    const m = /^offset:(\d+)$/.exec(Buffer.from(marker, "base64").toString("utf8"));
    if (!m) throw new SimError("ValidationError", "Invalid value for parameter Marker");
    offset = Number(m[1]);
  }
  const limit = size ?? 400;
  const slice = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString("base64") : undefined;
  return { items: slice, ...(next ? { NextMarker: next } : {}) };
}
