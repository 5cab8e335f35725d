/**
 * Collect one Snapshot of everything about one ALB, in parallel along the dependency graph:
 *   round 1: LB attributes, listeners, target groups, and the VPC's subnets, network ACLs, security groups
 *   round 2: rules, target-group attributes, target health, CloudWatch metrics, access-log scan
 *   round 3: the instances / ENIs behind the targets, and the tags of the load balancer and its groups
 * Every call has a deadline; every failure is captured per part (see PartTracker), never thrown.
 */
import type { LoadBalancer as SdkLoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LogSummary } from "../../domain/log-summary.ts";
import type { LoadBalancer, Snapshot, TargetGroup, TargetHost } from "../../domain/snapshot.ts";
import { resourceIdOf } from "../arn.ts";
import type { AwsClients } from "../clients.ts";
import {
  describeLbAttributes,
  describeListeners,
  describeRules,
  forwardedTargetGroupArns,
  toListener,
} from "./load-balancer.ts";
import { collectChanges } from "./changes.ts";
import { getMetrics } from "./metrics.ts";
import { errorsAtWindowStart, readOnsetLead } from "./onset-lead.ts";
import {
  describeInstanceHosts,
  describeIpTargetHosts,
  describeNetworkAcls,
  describeSecurityGroups,
  describeSubnets,
} from "./network.ts";
import { PartTracker } from "./parts.ts";
import { attachTags } from "./tags.ts";
import {
  describeTargetGroupAttributes,
  describeTargetGroups,
  describeTargetHealth,
  toTargetGroup,
} from "./target-groups.ts";

export interface LogScanRequest {
  loadBalancer: LoadBalancer;
  accountId: string;
  region: string;
  window: { start: Date; end: Date };
  idleTimeoutSeconds: number;
}
/** Scans the access logs of the window (src/logs); throws AlbDoctorError("access-denied") when unreadable. */
export type LogScanner = (request: LogScanRequest) => Promise<LogSummary>;

export interface CollectOptions {
  window: { start: Date; end: Date };
  scanLogs?: LogScanner;
}

export async function collectSnapshot(
  clients: AwsClients,
  sdkLb: SdkLoadBalancer & { LoadBalancerArn: string },
  options: CollectOptions,
): Promise<Snapshot> {
  const parts = new PartTracker();
  const lb = toLoadBalancer(sdkLb);
  const [, , , region, accountId] = lb.arn.split(":");
  const { start, end } = options.window;

  // Round 1
  const [attributes, sdkListeners, sdkGroups, subnets, networkAcls, securityGroups] = await Promise.all([
    parts.run("load-balancer", () => describeLbAttributes(clients, lb.arn)),
    parts.run("listeners", () => describeListeners(clients, lb.arn)),
    parts.run("target-groups", () => describeTargetGroups(clients, { loadBalancerArn: lb.arn })),
    parts.run("subnets", () => describeSubnets(clients, lb.vpcId)),
    parts.run("network-acls", () => describeNetworkAcls(clients, lb.vpcId)),
    parts.run("security-groups", () => describeSecurityGroups(clients, lb.vpcId)),
  ]);
  lb.attributes = attributes ?? {};
  const targetGroups = (sdkGroups ?? []).map(toTargetGroup);
  const idleTimeoutSeconds = Number(lb.attributes["idle_timeout.timeout_seconds"] ?? 60) || 60;

  // Round 2
  const logsPromise = scanLogs(parts, options.scanLogs, {
    loadBalancer: lb,
    accountId,
    region,
    window: options.window,
    idleTimeoutSeconds,
  });
  const [listeners, , metrics] = await Promise.all([
    Promise.all(
      (sdkListeners ?? []).map(async (l) =>
        toListener(
          l,
          (await parts.run("listeners", () => describeRules(clients, l.ListenerArn ?? ""))) ?? [],
        ),
      ),
    ),
    Promise.all(targetGroups.map((tg) => fillTargetGroup(clients, parts, tg))),
    parts.run("metrics", () =>
      getMetrics(clients, {
        lbResourceId: lb.resourceId,
        targetGroups: targetGroups.map((tg) => ({
          resourceId: tg.resourceId,
          lambda: tg.targetType === "lambda",
        })),
        start,
        end,
      }),
    ),
  ]);
  await addForwardedGroupsMissing(clients, parts, listeners, targetGroups);

  // Round 3 (runs while the log scan may still be going)
  const [targetHosts, metricsLead] = await Promise.all([
    describeTargetHosts(clients, parts, targetGroups),
    metrics && errorsAtWindowStart(metrics, options.window)
      ? // Best effort: without the lead the onset says the errors predate the window, no part failed.
        readOnsetLead(clients, lb.resourceId, options.window).catch(() => undefined)
      : undefined,
    parts.run("tags", () => attachTags(clients, lb, targetGroups)),
  ]);
  const base = {
    region,
    accountId,
    window: { start: start.toISOString(), end: end.toISOString() },
    loadBalancer: lb,
    listeners,
    targetGroups,
    targetHosts,
    securityGroups: securityGroups ?? {},
    subnets: subnets ?? {},
    networkAcls: networkAcls ?? [],
    metrics: metrics ?? [],
    ...(metricsLead ? { metricsLead } : {}),
  };
  // Round 4: the change history needs the targets' hosts (their security groups and subnets).
  const [history, accessLogs] = await Promise.all([
    collectChanges(clients, parts, base, options.window),
    logsPromise,
  ]);

  return {
    ...base,
    ...(history ? { changes: history.changes, changesChecked: history.checked } : {}),
    ...(accessLogs ? { accessLogs } : {}),
    parts: parts.toCheckRuns(),
  };
}

function toLoadBalancer(lb: SdkLoadBalancer & { LoadBalancerArn: string }): LoadBalancer {
  return {
    name: lb.LoadBalancerName ?? "",
    arn: lb.LoadBalancerArn,
    resourceId: resourceIdOf(lb.LoadBalancerArn),
    dnsName: lb.DNSName ?? "",
    scheme: lb.Scheme ?? "internet-facing",
    type: lb.Type ?? "application",
    vpcId: lb.VpcId ?? "",
    state: lb.State?.Code,
    subnetIds: (lb.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean),
    securityGroupIds: lb.SecurityGroups ?? [],
    ipAddressType: lb.IpAddressType,
    attributes: {},
  };
}

async function fillTargetGroup(clients: AwsClients, parts: PartTracker, tg: TargetGroup): Promise<void> {
  const [attributes, targets] = await Promise.all([
    parts.run("target-groups", () => describeTargetGroupAttributes(clients, tg.arn)),
    parts.run("target-health", () => describeTargetHealth(clients, tg.arn)),
  ]);
  tg.attributes = attributes ?? {};
  if (targets) tg.targets = targets;
  else tg.healthError = "target health could not be read";
}

/** A rule may forward to a group DescribeTargetGroups(LoadBalancerArn) did not list; fetch those too. */
async function addForwardedGroupsMissing(
  clients: AwsClients,
  parts: PartTracker,
  listeners: ReturnType<typeof toListener>[],
  targetGroups: TargetGroup[],
): Promise<void> {
  const known = new Set(targetGroups.map((t) => t.arn));
  const missing = forwardedTargetGroupArns(listeners).filter((arn) => arn && !known.has(arn));
  if (!missing.length) return;
  const extra =
    (await parts.run("target-groups", () => describeTargetGroups(clients, { arns: missing }))) ?? [];
  const groups = extra.map(toTargetGroup);
  await Promise.all(groups.map((tg) => fillTargetGroup(clients, parts, tg)));
  targetGroups.push(...groups);
}

async function describeTargetHosts(
  clients: AwsClients,
  parts: PartTracker,
  targetGroups: TargetGroup[],
): Promise<Record<string, TargetHost>> {
  const instanceIds = new Set<string>();
  const ips = new Set<string>();
  for (const tg of targetGroups) {
    for (const t of tg.targets) {
      if (tg.targetType === "instance") instanceIds.add(t.id);
      else if (tg.targetType === "ip") ips.add(t.id);
    }
  }
  const [instances, enis] = await Promise.all([
    instanceIds.size ? parts.run("instances", () => describeInstanceHosts(clients, [...instanceIds])) : [],
    ips.size ? parts.run("instances", () => describeIpTargetHosts(clients, [...ips])) : [],
  ]);
  return Object.fromEntries([...(instances ?? []), ...(enis ?? [])].map((h) => [h.targetId, h]));
}

async function scanLogs(
  parts: PartTracker,
  scanner: LogScanner | undefined,
  request: LogScanRequest,
): Promise<LogSummary | undefined> {
  const attrs = request.loadBalancer.attributes;
  if (!scanner) {
    parts.skip("access-logs", "the access-log analyzer is not available in this build");
    return undefined;
  }
  if (parts.failed("load-balancer")) {
    parts.skip(
      "access-logs",
      "unknown whether access logging is on: the load balancer attributes could not be read",
    );
    return undefined;
  }
  if (attrs["access_logs.s3.enabled"] !== "true") {
    parts.skip("access-logs", "access logging is disabled on this load balancer");
    return undefined;
  }
  return parts.run("access-logs", () => scanner(request));
}
