/**
 * What changed on the resources of this diagnosis, over the window plus a lead (CHANGES_LEAD_SECONDS):
 * CloudTrail write events (ReadOnly=false, paged, at most 2 calls a second as CloudTrail allows), Auto Scaling
 * activities of the groups whose instances or target groups are ours, and ECS deployments of the services
 * registered in our target groups (only when a group has ip targets). Events on other resources are dropped
 * here, so noise never reaches the report. Values from the records are outside text: they become plain strings
 * and are escaped by the renderers like everything else.
 */
import { LookupEventsCommand, type Event } from "@aws-sdk/client-cloudtrail";
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import { DescribeServicesCommand, ListClustersCommand, ListServicesCommand } from "@aws-sdk/client-ecs";
import type { Change, ChangeSource } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { allPages, awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";
import type { PartTracker } from "./parts.ts";
import { summarizeEvent } from "./change-summary.ts";

/** How long before the window changes are searched (a change usually precedes its errors by minutes). */
export const CHANGES_LEAD_SECONDS = 2 * 3600;
/** CloudTrail pages read at most (50 events each), so a busy account cannot stall a diagnosis. */
const MAX_TRAIL_PAGES = 10;
/** CloudTrail LookupEvents allows 2 requests per second per account and region. */
const TRAIL_PAGE_GAP_MS = 500;

/** The snapshot as far as it is collected when the history is read. */
export type ChangeInput = Omit<Snapshot, "parts" | "changes" | "changesChecked" | "accessLogs">;

export interface ChangeHistory {
  changes: Change[];
  checked: { from: string; to: string; sources: ChangeSource[] };
}

/** The names, ids and ARNs of everything this diagnosis looked at. */
export function resourcesOf(s: ChangeInput): Set<string> {
  const ids = new Set<string>([s.loadBalancer.arn, s.loadBalancer.name, ...s.loadBalancer.securityGroupIds]);
  for (const l of s.listeners) {
    ids.add(l.arn);
    for (const r of l.rules) ids.add(r.arn);
  }
  for (const tg of s.targetGroups) {
    ids.add(tg.arn);
    ids.add(tg.name);
    for (const t of tg.targets) ids.add(t.id);
  }
  for (const h of Object.values(s.targetHosts)) {
    ids.add(h.resourceId);
    for (const g of h.securityGroupIds) ids.add(g);
  }
  const subnets = new Set([
    ...s.loadBalancer.subnetIds,
    ...Object.values(s.targetHosts).map((h) => h.subnetId),
  ]);
  for (const n of s.networkAcls) if (n.subnetIds.some((x) => subnets.has(x))) ids.add(n.id);
  ids.delete("");
  return ids;
}

export async function collectChanges(
  clients: AwsClients,
  parts: PartTracker,
  s: ChangeInput,
  window: { start: Date; end: Date },
): Promise<ChangeHistory | undefined> {
  if (!clients.cloudtrail) {
    parts.skip("changes", "the change-history clients are not configured");
    return undefined;
  }
  const from = new Date(window.start.getTime() - CHANGES_LEAD_SECONDS * 1000);
  const to = window.end;
  const ours = resourcesOf(s);
  const sources: ChangeSource[] = [];
  const hasInstances = s.targetGroups.some((g) => g.targetType === "instance" && g.targets.length);
  const hasIps = s.targetGroups.some((g) => g.targetType === "ip" && g.targets.length);
  const [trail, scaling, deploys] = await Promise.all([
    parts.run("changes", () => trailChanges(clients, ours, from, to)),
    hasInstances ? parts.run("changes", () => scalingChanges(clients, s, from, to)) : [],
    hasIps ? parts.run("changes", () => ecsChanges(clients, s, from, to)) : [],
  ]);
  if (trail) sources.push("cloudtrail");
  if (hasInstances && scaling) sources.push("autoscaling");
  if (hasIps && deploys) sources.push("ecs");
  const changes = [...(trail ?? []), ...(scaling ?? []), ...(deploys ?? [])];
  return { changes, checked: { from: from.toISOString(), to: to.toISOString(), sources } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The next free LookupEvents slot per CloudTrail client. The limit is per account and region, not per
 * diagnosis: diagnoses running one after another (or at once) in one process share it, so every call of a
 * client is paced, not only a diagnosis's later pages. Keyed weakly: a client dropped frees its entry.
 */
const nextTrailSlot = new WeakMap<object, number>();

async function trailTurn(client: object): Promise<void> {
  const now = Date.now();
  const slot = Math.max(now, nextTrailSlot.get(client) ?? 0);
  nextTrailSlot.set(client, slot + TRAIL_PAGE_GAP_MS);
  if (slot > now) await sleep(slot - now);
}

async function trailChanges(clients: AwsClients, ours: Set<string>, from: Date, to: Date): Promise<Change[]> {
  const trail = clients.cloudtrail!;
  const events: Event[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_TRAIL_PAGES; page++) {
    await trailTurn(trail);
    const out = await awsCall(clients, "cloudtrail:LookupEvents", (abortSignal) =>
      trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }],
          StartTime: from,
          EndTime: to,
          NextToken: token,
        }),
        { abortSignal },
      ),
    );
    events.push(...(out.Events ?? []));
    token = out.NextToken;
    if (!token) break;
  }
  const changes: Change[] = [];
  for (const e of events) {
    const record = parseRecord(e.CloudTrailEvent);
    const touched = touchedResources(e, record, ours);
    if (!touched.length || !e.EventTime || !e.EventName) continue;
    const identity = record.userIdentity as { arn?: unknown } | undefined;
    const actor = typeof identity?.arn === "string" ? identity.arn : e.Username;
    changes.push({
      time: new Date(e.EventTime).toISOString(),
      source: "cloudtrail",
      event: e.EventName,
      ...(actor ? { actor } : {}),
      resources: touched,
      summary: summarizeEvent(e.EventName, record.requestParameters, touched),
    });
  }
  return changes;
}

function parseRecord(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Our resources the event names: in its Resources list or anywhere in its request parameters. */
function touchedResources(e: Event, record: Record<string, unknown>, ours: Set<string>): string[] {
  const found = new Set<string>();
  for (const r of e.Resources ?? [])
    if (r.ResourceName && ours.has(r.ResourceName)) found.add(r.ResourceName);
  const walk = (v: unknown, depth: number) => {
    if (depth > 8) return;
    if (typeof v === "string") {
      if (ours.has(v)) found.add(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(record.requestParameters, 0);
  return [...found];
}

async function scalingChanges(clients: AwsClients, s: ChangeInput, from: Date, to: Date): Promise<Change[]> {
  const as = clients.autoscaling!;
  const tgArns = new Set(s.targetGroups.map((g) => g.arn));
  const instances = new Set(
    s.targetGroups.filter((g) => g.targetType === "instance").flatMap((g) => g.targets.map((t) => t.id)),
  );
  const pages = await allPages(
    (NextToken) =>
      awsCall(clients, "autoscaling:DescribeAutoScalingGroups", (abortSignal) =>
        as.send(new DescribeAutoScalingGroupsCommand({ NextToken }), { abortSignal }),
      ),
    (p) => p.NextToken,
  );
  const groups = pages
    .flatMap((p) => p.AutoScalingGroups ?? [])
    .filter(
      (g) =>
        (g.TargetGroupARNs ?? []).some((a) => tgArns.has(a)) ||
        (g.Instances ?? []).some((i) => i.InstanceId && instances.has(i.InstanceId)),
    );
  const out: Change[] = [];
  for (const g of groups) {
    const name = g.AutoScalingGroupName ?? "";
    const acts = await awsCall(clients, "autoscaling:DescribeScalingActivities", (abortSignal) =>
      as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 100 }), {
        abortSignal,
      }),
    );
    for (const a of acts.Activities ?? []) {
      const t = a.StartTime ? new Date(a.StartTime) : undefined;
      if (!t || t < from || t > to) continue;
      out.push({
        time: t.toISOString(),
        source: "autoscaling",
        event: "ScalingActivity",
        resources: [name],
        summary: `${a.Description ?? "scaling activity"} (${a.StatusCode ?? "status unknown"})`,
      });
    }
  }
  return out;
}

async function ecsChanges(clients: AwsClients, s: ChangeInput, from: Date, to: Date): Promise<Change[]> {
  const ecs = clients.ecs!;
  const tgArns = new Set(s.targetGroups.map((g) => g.arn));
  const clusters = (
    await allPages(
      (nextToken) =>
        awsCall(clients, "ecs:ListClusters", (abortSignal) =>
          ecs.send(new ListClustersCommand({ nextToken }), { abortSignal }),
        ),
      (p) => p.nextToken,
    )
  ).flatMap((p) => p.clusterArns ?? []);
  const out: Change[] = [];
  for (const cluster of clusters) {
    const services = (
      await allPages(
        (nextToken) =>
          awsCall(clients, "ecs:ListServices", (abortSignal) =>
            ecs.send(new ListServicesCommand({ cluster, nextToken }), { abortSignal }),
          ),
        (p) => p.nextToken,
      )
    ).flatMap((p) => p.serviceArns ?? []);
    for (let i = 0; i < services.length; i += 10) {
      const described = await awsCall(clients, "ecs:DescribeServices", (abortSignal) =>
        ecs.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10) }), {
          abortSignal,
        }),
      );
      for (const svc of described.services ?? []) {
        if (!(svc.loadBalancers ?? []).some((lb) => lb.targetGroupArn && tgArns.has(lb.targetGroupArn)))
          continue;
        for (const d of svc.deployments ?? []) {
          const t = d.createdAt ? new Date(d.createdAt) : undefined;
          if (!t || t < from || t > to) continue;
          const taskDef = (d.taskDefinition ?? "").split("/").pop();
          out.push({
            time: t.toISOString(),
            source: "ecs",
            event: "Deployment",
            resources: [svc.serviceName ?? ""],
            summary: `deployment of ${svc.serviceName ?? "a service"} to ${taskDef || "a task definition"} (${d.status ?? "?"}, rollout ${d.rolloutState ?? "unknown"})`,
          });
        }
      }
    }
  }
  return out;
}
