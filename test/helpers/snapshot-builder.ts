/**
 * Hand-built Snapshots for check-level tests: a healthy baseline plus small mutators.
 *
 *   const s = buildSnapshot(
 *     setIngress("sg-app", [tcp(443, { groups: ["sg-alb"] })]),
 *     targetHealth("i-0a1", "unhealthy", "Target.Timeout"),
 *     metric("TargetConnectionErrorCount", [0, 4, 9]),
 *   );
 *
 * Baseline (IDS, in snapshot-baseline.ts): ALB "my-alb" (internet-facing, HTTPS 443) in subnet-pub-a 10.0.1.0/24 and
 * subnet-pub-b 10.0.2.0/24 with sg-alb (ingress tcp 443 from 0.0.0.0/0 and ::/0, egress all);
 * one target group "api" (HTTP 8080, instance, health check traffic-port /health) with two healthy
 * targets i-0a1 (10.0.11.10, subnet-app-a 10.0.11.0/24) and i-0a2 (10.0.12.10, subnet-app-b
 * 10.0.12.0/24) carrying sg-app (ingress tcp 8080 from sg-alb, egress all); the VPC's default NACL
 * (allow all both ways) on all four subnets; quiet metrics; access logs enabled with a clean summary;
 * every part collected "ok".
 * Mutators change the fresh copy in place; each call of buildSnapshot starts from a new baseline.
 */
import type { ClassCounts, LogSummary } from "../../src/domain/log-summary.ts";
import type {
  IpPermission,
  NaclEntry,
  Snapshot,
  TargetGroup,
  TargetHost,
} from "../../src/domain/snapshot.ts";
import { allTraffic, baseline, cleanLogSummary, IDS, series } from "./snapshot-baseline.ts";

export {
  allTraffic,
  cleanLogSummary,
  defaultAclEntries,
  IDS,
  MINUTES,
  naclEntry,
  perm,
  tcp,
} from "./snapshot-baseline.ts";

export type Mutator = (s: Snapshot) => void;

/** A fresh baseline with the mutators applied in order. */
export function buildSnapshot(...mutators: Mutator[]): Snapshot {
  const s = baseline();
  for (const m of mutators) m(s);
  return s;
}

// ---- mutators -------------------------------------------------------------------------------

/** Any ad-hoc change. */
export const edit = (fn: (s: Snapshot) => void): Mutator => fn;

function tgOf(s: Snapshot, arn: string = IDS.tgArn): TargetGroup {
  const tg = s.targetGroups.find((t) => t.arn === arn);
  if (!tg) throw new Error(`snapshot-builder: no target group ${arn}`);
  return tg;
}

/** Replace a security group's ingress rules. */
export const setIngress =
  (groupId: string, rules: IpPermission[]): Mutator =>
  (s) => {
    s.securityGroups[groupId].ingress = rules;
  };

/** Replace a security group's egress rules. */
export const setEgress =
  (groupId: string, rules: IpPermission[]): Mutator =>
  (s) => {
    s.securityGroups[groupId].egress = rules;
  };

/** Add (or replace) a security group. */
export const addSecurityGroup =
  (
    id: string,
    ingress: IpPermission[],
    egress: IpPermission[] = [allTraffic({ cidrs: ["0.0.0.0/0"] })],
  ): Mutator =>
  (s) => {
    s.securityGroups[id] = { id, name: id.replace(/^sg-/, ""), vpcId: IDS.vpc, ingress, egress };
  };

/** Set the security groups of one target host (or of every host when targetId is omitted). */
export const hostSecurityGroups =
  (groupIds: string[], targetId?: string): Mutator =>
  (s) => {
    for (const h of Object.values(s.targetHosts)) {
      if (targetId === undefined || h.targetId === targetId) h.securityGroupIds = [...groupIds];
    }
  };

/** Set a target's health state (and reason/description). */
export const targetHealth =
  (
    targetId: string,
    state: string,
    reason?: string,
    description?: string,
    tgArn: string = IDS.tgArn,
  ): Mutator =>
  (s) => {
    const t = tgOf(s, tgArn).targets.find((x) => x.id === targetId);
    if (!t) throw new Error(`snapshot-builder: no target ${targetId}`);
    t.state = state;
    if (reason === undefined) delete t.reason;
    else t.reason = reason;
    if (description === undefined) delete t.description;
    else t.description = description;
  };

/** Every target of the group unhealthy with one reason. */
export const allTargetsUnhealthy =
  (reason = "Target.Timeout", description = "Request timed out", tgArn: string = IDS.tgArn): Mutator =>
  (s) => {
    for (const t of tgOf(s, tgArn).targets) Object.assign(t, { state: "unhealthy", reason, description });
  };

/** Change the health-check port ("traffic-port" or a number). Updates each target's healthCheckPort. */
export const healthCheckPort =
  (port: string | number, tgArn: string = IDS.tgArn): Mutator =>
  (s) => {
    const tg = tgOf(s, tgArn);
    tg.healthCheck.port = String(port);
    for (const t of tg.targets)
      t.healthCheckPort = port === "traffic-port" ? String(t.port ?? tg.port) : String(port);
  };

/** Patch the health-check settings. */
export const healthCheck =
  (patch: Partial<TargetGroup["healthCheck"]>, tgArn: string = IDS.tgArn): Mutator =>
  (s) => {
    Object.assign(tgOf(s, tgArn).healthCheck, patch);
  };

/** Change the traffic port of the group and of every registered target. */
export const trafficPort =
  (port: number, tgArn: string = IDS.tgArn): Mutator =>
  (s) => {
    const tg = tgOf(s, tgArn);
    tg.port = port;
    for (const t of tg.targets) {
      t.port = port;
      if (tg.healthCheck.port === "traffic-port") t.healthCheckPort = String(port);
    }
  };

/** Set a target-group attribute. */
export const tgAttribute =
  (key: string, value: string, tgArn: string = IDS.tgArn): Mutator =>
  (s) => {
    tgOf(s, tgArn).attributes[key] = value;
  };

/** Set a load-balancer attribute. */
export const lbAttribute =
  (key: string, value: string): Mutator =>
  (s) => {
    s.loadBalancer.attributes[key] = value;
  };

/** Turn the baseline into ip targets: the targets become their IPs, hosts become ENIs. */
export const ipTargets = (): Mutator => (s) => {
  const tg = tgOf(s);
  tg.targetType = "ip";
  const hosts: Record<string, TargetHost> = {};
  tg.targets.forEach((t, i) => {
    const old = s.targetHosts[t.id];
    const ip = old?.privateIp ?? IDS.instanceIps[i];
    t.id = ip;
    hosts[ip] = {
      ...old,
      targetId: ip,
      kind: "eni",
      resourceId: `eni-0${i + 1}`,
      privateIp: ip,
    };
  });
  s.targetHosts = hosts;
};

/** Replace a NACL's entries (defaults to the VPC default ACL). */
export const naclEntries =
  (entries: NaclEntry[], aclId: string = IDS.defaultAcl): Mutator =>
  (s) => {
    const acl = s.networkAcls.find((a) => a.id === aclId);
    if (!acl) throw new Error(`snapshot-builder: no network ACL ${aclId}`);
    acl.entries = entries;
  };

/**
 * Give subnets their own (non-default) ACL with these entries; the subnets leave the default ACL.
 */
export const customAcl =
  (aclId: string, subnetIds: readonly string[], entries: NaclEntry[]): Mutator =>
  (s) => {
    for (const a of s.networkAcls) a.subnetIds = a.subnetIds.filter((id) => !subnetIds.includes(id));
    s.networkAcls = s.networkAcls.filter((a) => a.id !== aclId);
    s.networkAcls.push({ id: aclId, vpcId: IDS.vpc, isDefault: false, entries, subnetIds: [...subnetIds] });
  };

/** Replace (or add) a metric series. Values are per minute, ending at the window end. */
export const metric =
  (name: string, values: number[], opts: { stat?: string; targetGroup?: string } = {}): Mutator =>
  (s) => {
    const stat = opts.stat ?? "Sum";
    s.metrics = s.metrics.filter(
      (m) => !(m.metric === name && m.stat === stat && m.targetGroup === opts.targetGroup),
    );
    s.metrics.push(series(name, values, stat, opts.targetGroup));
  };

/** Patch the access-log summary (or remove it with `null`). */
export const accessLogs =
  (patch: Partial<LogSummary> | null): Mutator =>
  (s) => {
    if (patch === null) delete s.accessLogs;
    else s.accessLogs = { ...(s.accessLogs ?? cleanLogSummary()), ...patch };
  };

/** Add error classes to the access-log summary (also in byStatus by ELB code, and under the target group). */
export const logClasses =
  (classes: ClassCounts, tgArn: string | null = IDS.tgArn): Mutator =>
  (s) => {
    const logs = s.accessLogs ?? cleanLogSummary();
    // A real summary counts each line LB-wide and under its target group (null: no group was chosen).
    const bucket =
      tgArn === null ? undefined : (logs.byTargetGroup[tgArn] ??= { requests: 0, errors: {}, classes: {} });
    for (const [key, n = 0] of Object.entries(classes)) {
      const cls = key as keyof ClassCounts;
      logs.byClass[cls] = (logs.byClass[cls] ?? 0) + n;
      const code = /^elb-(\d{3})/.exec(cls)?.[1];
      if (code) logs.byStatus[code] = (logs.byStatus[code] ?? 0) + n;
      if (bucket) {
        bucket.classes[cls] = (bucket.classes[cls] ?? 0) + n;
        if (code) bucket.errors[code] = (bucket.errors[code] ?? 0) + n;
      }
    }
    s.accessLogs = logs;
  };

/** Mark a collection part as failed (and, for data parts, empty what it would have filled). */
export const partError =
  (partId: string, error: string): Mutator =>
  (s) => {
    const run = s.parts.find((p) => p.id === partId);
    if (run) Object.assign(run, { status: "error", error });
    else s.parts.push({ id: partId, status: "error", durationMs: 5, error });
    if (partId === "security-groups") s.securityGroups = {};
    if (partId === "network-acls") s.networkAcls = [];
    if (partId === "subnets") s.subnets = {};
    if (partId === "instances") s.targetHosts = {};
    if (partId === "metrics") s.metrics = [];
    if (partId === "access-logs") delete s.accessLogs;
  };
