/**
 * The network paths a diagnosis must check: for each target of each forwarded target group, where
 * the target lives (IP, subnet, security groups), which ports the ALB uses to reach it (traffic and
 * health check), and which ALB subnets' nodes talk to it. Lambda and ALB-type targets have no
 * network path of this kind and are left out, as are "unused" targets (they get no traffic).
 */
import type { Snapshot, Subnet, Target, TargetGroup, TargetHost } from "../../domain/snapshot.ts";
import { contains, parseCidr, parseIp, type IpFamily } from "./cidr.ts";

export interface AlbSubnet {
  id: string;
  /** The subnet CIDR of the target's address family (node addresses come from it). */
  cidr: string;
  availabilityZone?: string;
}

export interface TargetPath {
  tg: TargetGroup;
  target: Target;
  host?: TargetHost;
  /** The address the ALB connects to (the ip target itself, or the instance's private IP). */
  ip?: string;
  family?: IpFamily;
  /** The target's subnet (from its host, or found by address for ip targets). */
  subnet?: Subnet;
  trafficPort: number;
  /** Null when health checks are disabled. */
  healthCheckPort: number | null;
  /** ALB subnets whose nodes connect to this target (all of them unless cross-zone is off). */
  albSubnets: AlbSubnet[];
  /** ALB subnets the snapshot lacks (so their addresses are unknown). */
  unknownAlbSubnets: string[];
}

const NETWORK_TARGET_TYPES = new Set(["instance", "ip"]);

function healthCheckPortOf(tg: TargetGroup, target: Target, trafficPort: number): number | null {
  if (!tg.healthCheck.enabled) return null;
  const configured = tg.healthCheck.port;
  if (configured === "traffic-port") return trafficPort;
  for (const candidate of [configured, target.healthCheckPort]) {
    const n = Number(candidate);
    if (candidate && Number.isInteger(n) && n > 0) return n;
  }
  return trafficPort;
}

function subnetOf(s: Snapshot, host: TargetHost | undefined, ip: string | undefined): Subnet | undefined {
  if (host?.subnetId && s.subnets[host.subnetId]) return s.subnets[host.subnetId];
  const addr = ip ? parseCidr(ip) : null;
  if (!addr) return undefined;
  return Object.values(s.subnets).find((sub) =>
    [sub.cidrBlock, ...sub.ipv6CidrBlocks].some((c) => {
      const r = parseCidr(c);
      return r !== null && contains(r, addr);
    }),
  );
}

export function targetPaths(s: Snapshot): TargetPath[] {
  const paths: TargetPath[] = [];
  for (const tg of s.targetGroups) {
    if (!NETWORK_TARGET_TYPES.has(tg.targetType)) continue;
    const crossZone = tg.attributes["load_balancing.cross_zone.enabled"] !== "false";
    for (const target of tg.targets) {
      if (target.state === "unused") continue;
      const trafficPort = target.port ?? tg.port;
      if (trafficPort === undefined) continue;
      const host = s.targetHosts[target.id];
      const ip = tg.targetType === "ip" ? target.id : host?.privateIp;
      const parsed = ip ? parseIp(ip) : null;
      const family: IpFamily | undefined = parsed?.family;
      const subnet = subnetOf(s, host, ip);
      // "all" is what AWS reports for ip targets outside the VPC: no zone to match.
      const targetAz = target.availabilityZone === "all" ? undefined : target.availabilityZone;
      const az = targetAz ?? subnet?.availabilityZone;
      const albSubnets: AlbSubnet[] = [];
      const unknownAlbSubnets: string[] = [];
      for (const id of s.loadBalancer.subnetIds) {
        const sub = s.subnets[id];
        if (!sub) {
          unknownAlbSubnets.push(id);
          continue;
        }
        if (!crossZone && az && sub.availabilityZone && sub.availabilityZone !== az) continue;
        const cidr = family === 6 ? sub.ipv6CidrBlocks[0] : sub.cidrBlock;
        if (cidr) albSubnets.push({ id, cidr, availabilityZone: sub.availabilityZone });
        else unknownAlbSubnets.push(id);
      }
      paths.push({
        tg,
        target,
        host,
        ip,
        family,
        subnet,
        trafficPort,
        healthCheckPort: healthCheckPortOf(tg, target, trafficPort),
        albSubnets,
        unknownAlbSubnets,
      });
    }
  }
  return paths;
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** "a, b, c and 4 more". */
export function listOf(items: string[], max = 5): string {
  const uniq = [...new Set(items)];
  if (uniq.length <= max) return uniq.join(", ");
  return `${uniq.slice(0, max).join(", ")} and ${uniq.length - max} more`;
}
