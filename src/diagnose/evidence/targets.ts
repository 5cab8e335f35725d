import type { Snapshot, Target, TargetGroup } from "../../domain/snapshot.ts";

/** The ALB's idle timeout in seconds (AWS default 60 when the attribute is absent). */
export function idleTimeoutSeconds(snapshot: Snapshot): number {
  const raw = snapshot.loadBalancer.attributes["idle_timeout.timeout_seconds"];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 60;
}

export function idleTimeoutKnown(snapshot: Snapshot): boolean {
  return snapshot.loadBalancer.attributes["idle_timeout.timeout_seconds"] !== undefined;
}

/** A target with the group it belongs to and the "ip:port" the access logs name it by. */
export interface LocatedTarget {
  group: TargetGroup;
  target: Target;
  /** "10.0.2.100:8080", or undefined when the IP is unknown (instance not described) or for Lambda. */
  address?: string;
}

/** The private IP of a target: its id for ip targets, the instance's address for instance targets. */
export function targetIp(snapshot: Snapshot, group: TargetGroup, target: Target): string | undefined {
  if (group.targetType === "ip") return target.id;
  if (group.targetType === "instance") return snapshot.targetHosts[target.id]?.privateIp;
  return undefined;
}

export function locateTargets(snapshot: Snapshot): LocatedTarget[] {
  const out: LocatedTarget[] = [];
  for (const group of snapshot.targetGroups) {
    for (const target of group.targets) {
      const ip = targetIp(snapshot, group, target);
      const port = target.port ?? group.port;
      const address = ip && port !== undefined ? `${ip.includes(":") ? `[${ip}]` : ip}:${port}` : undefined;
      out.push({ group, target, address });
    }
  }
  return out;
}

/** Address -> located target (the first when the same address is registered in several groups). */
export function targetsByAddress(snapshot: Snapshot): Map<string, LocatedTarget> {
  const map = new Map<string, LocatedTarget>();
  for (const lt of locateTargets(snapshot)) if (lt.address && !map.has(lt.address)) map.set(lt.address, lt);
  return map;
}

export const isDraining = (t: Target) => t.state === "draining" || t.state === "unhealthy.draining";
export const isHealthy = (t: Target) => t.state === "healthy";
export const isUnhealthy = (t: Target) => t.state === "unhealthy" || t.state === "unhealthy.draining";

/** Target groups that some listener action forwards to with a weight above 0. */
export function forwardedGroupArns(snapshot: Snapshot): Set<string> {
  const arns = new Set<string>();
  for (const l of snapshot.listeners) {
    for (const a of [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)]) {
      for (const tg of a.targetGroups ?? []) if (tg.weight > 0) arns.add(tg.arn);
    }
  }
  return arns;
}

/** Resource ids that identify a target on the network: the target id, its instance/ENI, its security groups and subnet. */
export function targetResourceIds(snapshot: Snapshot, target: Target): string[] {
  const host = snapshot.targetHosts[target.id];
  if (!host) return [target.id];
  return [target.id, host.resourceId, ...host.securityGroupIds, ...(host.subnetId ? [host.subnetId] : [])];
}
