/**
 * The healthy baseline Snapshot and the small constructors (rules, NACL entries, series, log summary)
 * behind test/helpers/snapshot-builder.ts. Tests import everything from snapshot-builder.ts.
 */
import type { LogSummary } from "../../src/domain/log-summary.ts";
import { CHECK_PART_IDS } from "../../src/domain/ids.ts";
import type {
  IpPermission,
  MetricSeries,
  NaclEntry,
  NetworkAcl,
  Snapshot,
  Target,
  TargetGroup,
  TargetHost,
} from "../../src/domain/snapshot.ts";

export const IDS = {
  region: "us-east-1",
  accountId: "123456789012",
  vpc: "vpc-1",
  lbName: "my-alb",
  lbArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
  lbResourceId: "app/my-alb/50dc6c495c0c9188",
  listenerArn:
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2",
  tgArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067",
  tgResourceId: "targetgroup/api/73e2d6bc24d8a067",
  albSg: "sg-alb",
  appSg: "sg-app",
  albSubnets: ["subnet-pub-a", "subnet-pub-b"],
  appSubnets: ["subnet-app-a", "subnet-app-b"],
  defaultAcl: "acl-default",
  instances: ["i-0a1", "i-0a2"],
  instanceIps: ["10.0.11.10", "10.0.12.10"],
  window: { start: "2026-03-15T13:30:00Z", end: "2026-03-15T14:30:00Z" },
} as const;

/** Minutes in the baseline window; metric series have one point per minute. */
export const MINUTES = 60;

/** An IpPermission for tcp FROM..TO (TO defaults to FROM) from the given groups / CIDRs. */
export function tcp(
  from: number,
  peers: { groups?: string[]; cidrs?: string[]; ipv6?: string[]; prefixLists?: string[] } = {},
  to: number = from,
): IpPermission {
  return perm("tcp", from, to, peers);
}

/** An all-traffic ("-1") IpPermission. */
export function allTraffic(
  peers: { groups?: string[]; cidrs?: string[]; ipv6?: string[]; prefixLists?: string[] } = {},
): IpPermission {
  return perm("-1", undefined, undefined, peers);
}

export function perm(
  protocol: string,
  fromPort: number | undefined,
  toPort: number | undefined,
  peers: { groups?: string[]; cidrs?: string[]; ipv6?: string[]; prefixLists?: string[] },
): IpPermission {
  return {
    protocol,
    ...(fromPort === undefined ? {} : { fromPort }),
    ...(toPort === undefined ? {} : { toPort }),
    ipv4Ranges: peers.cidrs ?? [],
    ipv6Ranges: peers.ipv6 ?? [],
    groupIds: peers.groups ?? [],
    prefixListIds: peers.prefixLists ?? [],
  };
}

/** A NACL entry; protocol "6" tcp, "17" udp, "-1" all. */
export function naclEntry(
  ruleNumber: number,
  action: "allow" | "deny",
  opts: { egress?: boolean; protocol?: string; cidr?: string; ipv6?: string; ports?: [number, number] } = {},
): NaclEntry {
  return {
    ruleNumber,
    protocol: opts.protocol ?? (opts.ports ? "6" : "-1"),
    action,
    egress: opts.egress ?? false,
    ...(opts.ipv6 ? { ipv6CidrBlock: opts.ipv6 } : { cidrBlock: opts.cidr ?? "0.0.0.0/0" }),
    ...(opts.ports ? { portRange: { from: opts.ports[0], to: opts.ports[1] } } : {}),
  };
}

/** The entries of a fresh AWS default ACL: 100 allow all, then the implicit * deny (32767), both ways. */
export function defaultAclEntries(): NaclEntry[] {
  return [
    naclEntry(100, "allow"),
    naclEntry(32767, "deny"),
    naclEntry(100, "allow", { egress: true }),
    naclEntry(32767, "deny", { egress: true }),
  ];
}

export function series(metric: string, values: number[], stat = "Sum", targetGroup?: string): MetricSeries {
  const end = Date.parse(IDS.window.end);
  const n = values.length;
  return {
    metric,
    stat,
    ...(targetGroup ? { targetGroup } : {}),
    points: values.map((v, i) => ({ t: new Date(end - (n - i) * 60_000).toISOString(), v })),
  };
}

const flat = (v: number) => Array.from({ length: MINUTES }, () => v);

/** A clean access-log summary (requests, no errors); mutate it with `accessLogs`. */
export function cleanLogSummary(requests = 72_000): LogSummary {
  return {
    enabled: true,
    bucket: "alb-logs",
    prefix: "prod",
    window: { ...IDS.window },
    objects: { listed: 24, scanned: 24, bytes: 9_400_000, failed: [] },
    lines: { total: requests, inWindow: requests, malformed: 0 },
    byStatus: { "200": requests },
    byTargetStatus: { "200": requests },
    byClass: {},
    byErrorReason: {},
    byTarget: {},
    byTargetGroup: { [IDS.tgArn]: { requests, errors: {}, classes: {} } },
    byPath: {},
    byMinute: {},
    latency: {
      targetProcessing: { count: requests, p50: 0.04, p90: 0.09, p99: 0.3, max: 1.2 },
      total: { count: requests, p50: 0.05, p90: 0.1, p99: 0.32, max: 1.25 },
    },
    samples: {},
    assumptions: { idleTimeoutSeconds: 60 },
    durationMs: 120,
  };
}

/** The healthy baseline described in snapshot-builder.ts (a new object on every call). */
export function baseline(): Snapshot {
  const targets: Target[] = IDS.instances.map((id, i) => ({
    id,
    port: 8080,
    availabilityZone: i === 0 ? "us-east-1a" : "us-east-1b",
    healthCheckPort: "8080",
    state: "healthy",
  }));
  const hosts: Record<string, TargetHost> = {};
  IDS.instances.forEach((id, i) => {
    hosts[id] = {
      targetId: id,
      kind: "instance",
      resourceId: id,
      privateIp: IDS.instanceIps[i],
      subnetId: IDS.appSubnets[i],
      vpcId: IDS.vpc,
      securityGroupIds: [IDS.appSg],
      state: "running",
    };
  });
  const tg: TargetGroup = {
    arn: IDS.tgArn,
    name: "api",
    resourceId: IDS.tgResourceId,
    protocol: "HTTP",
    protocolVersion: "HTTP1",
    port: 8080,
    targetType: "instance",
    vpcId: IDS.vpc,
    healthCheck: {
      enabled: true,
      protocol: "HTTP",
      port: "traffic-port",
      path: "/health",
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
      matcher: { httpCode: "200" },
    },
    attributes: {
      "deregistration_delay.timeout_seconds": "300",
      "stickiness.enabled": "false",
      "load_balancing.algorithm.type": "round_robin",
      "slow_start.duration_seconds": "0",
    },
    targets,
  };
  const subnet = (id: string, cidr: string, az: string) => ({
    id,
    vpcId: IDS.vpc,
    cidrBlock: cidr,
    ipv6CidrBlocks: [],
    availabilityZone: az,
  });
  const acl: NetworkAcl = {
    id: IDS.defaultAcl,
    vpcId: IDS.vpc,
    isDefault: true,
    entries: defaultAclEntries(),
    subnetIds: [...IDS.albSubnets, ...IDS.appSubnets],
  };
  const tgId = IDS.tgResourceId;
  return {
    region: IDS.region,
    accountId: IDS.accountId,
    window: { ...IDS.window },
    loadBalancer: {
      name: IDS.lbName,
      arn: IDS.lbArn,
      resourceId: IDS.lbResourceId,
      dnsName: "my-alb-1234567890.us-east-1.elb.amazonaws.com",
      scheme: "internet-facing",
      type: "application",
      vpcId: IDS.vpc,
      state: "active",
      subnetIds: [...IDS.albSubnets],
      securityGroupIds: [IDS.albSg],
      ipAddressType: "ipv4",
      attributes: {
        "idle_timeout.timeout_seconds": "60",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "alb-logs",
        "access_logs.s3.prefix": "prod",
        "routing.http.desync_mitigation_mode": "defensive",
      },
    },
    listeners: [
      {
        arn: IDS.listenerArn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        defaultActions: [{ type: "forward", targetGroups: [{ arn: IDS.tgArn, weight: 1 }] }],
        rules: [],
      },
    ],
    targetGroups: [tg],
    targetHosts: hosts,
    securityGroups: {
      [IDS.albSg]: {
        id: IDS.albSg,
        name: "alb",
        vpcId: IDS.vpc,
        ingress: [tcp(443, { cidrs: ["0.0.0.0/0"], ipv6: ["::/0"] })],
        egress: [allTraffic({ cidrs: ["0.0.0.0/0"] })],
      },
      [IDS.appSg]: {
        id: IDS.appSg,
        name: "app",
        vpcId: IDS.vpc,
        ingress: [tcp(8080, { groups: [IDS.albSg] })],
        egress: [allTraffic({ cidrs: ["0.0.0.0/0"] })],
      },
    },
    subnets: {
      "subnet-pub-a": subnet("subnet-pub-a", "10.0.1.0/24", "us-east-1a"),
      "subnet-pub-b": subnet("subnet-pub-b", "10.0.2.0/24", "us-east-1b"),
      "subnet-app-a": subnet("subnet-app-a", "10.0.11.0/24", "us-east-1a"),
      "subnet-app-b": subnet("subnet-app-b", "10.0.12.0/24", "us-east-1b"),
    },
    networkAcls: [acl],
    metrics: [
      series("RequestCount", flat(1200)),
      series("HTTPCode_ELB_5XX_Count", flat(0)),
      series("HTTPCode_ELB_502_Count", flat(0)),
      series("HTTPCode_ELB_503_Count", flat(0)),
      series("HTTPCode_ELB_504_Count", flat(0)),
      series("HTTPCode_Target_5XX_Count", flat(0)),
      series("TargetConnectionErrorCount", flat(0)),
      series("TargetTLSNegotiationErrorCount", flat(0)),
      series("TargetResponseTime", flat(0.08), "Average"),
      series("TargetResponseTime", flat(0.4), "p99"),
      series("TargetResponseTime", flat(1.2), "Maximum"),
      series("HealthyHostCount", flat(2), "Average", tgId),
      series("UnHealthyHostCount", flat(0), "Average", tgId),
      series("RequestCount", flat(1200), "Sum", tgId),
      series("HTTPCode_Target_5XX_Count", flat(0), "Sum", tgId),
    ],
    accessLogs: cleanLogSummary(),
    parts: CHECK_PART_IDS.map((id) => ({ id, status: "ok" as const, durationMs: 5 })),
  };
}
