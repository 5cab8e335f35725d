/**
 * Network-ACL evaluation. NACLs are stateless and ordered: for each packet the entries of one
 * direction are tried by ascending rule number, the first that matches protocol, port and address
 * decides, and a packet no entry matches is denied (the "*" rule, which AWS lists as 32767).
 *
 * A query is not one packet but a set: a port range (the ALB's ephemeral ports 1024-65535) times an
 * address range (an ALB subnet, where any node address may be). We split that box by the entries in
 * order, so the verdict says exactly which part each entry decides: a deny of 1024-2047 in front of
 * an allow of 1024-65535 still blocks some real return ports and is reported as such.
 */
import type { NaclEntry, NetworkAcl, Snapshot } from "../../domain/snapshot.ts";
import { formatRange, parseCidr, type IpFamily } from "./cidr.ts";
import {
  ALL_PORTS,
  formatPorts,
  hasPorts,
  protocolLabel,
  protocolMatches,
  type PortRange,
  type TrafficProtocol,
} from "./protocol.ts";

export interface NaclQuery {
  egress: boolean;
  protocol: TrafficProtocol;
  /** Destination ports of the packets (NACL port ranges always match the destination port). */
  ports: PortRange;
  /** The other side: source for ingress, destination for egress (CIDR or single address). */
  peer: string;
}

/** A part of the query decided by one entry (entry null: the implicit final deny). */
export interface NaclPiece {
  action: "allow" | "deny";
  entry: NaclEntry | null;
  ports: PortRange;
  /** The addresses of this part, as a CIDR or "first-last". */
  addresses: string;
}

export interface NaclVerdict {
  result: "allow" | "deny" | "partial";
  allowed: NaclPiece[];
  denied: NaclPiece[];
  /** The lowest rule number that denies part of the query (32767 for the implicit deny); null when allowed. */
  firstDenyRule: number | null;
}

interface Box {
  pFrom: number;
  pTo: number;
  aFirst: bigint;
  aLast: bigint;
}

export const IMPLICIT_DENY_RULE = 32767;

function intersect(a: Box, b: Box): Box | null {
  const box = {
    pFrom: Math.max(a.pFrom, b.pFrom),
    pTo: Math.min(a.pTo, b.pTo),
    aFirst: a.aFirst > b.aFirst ? a.aFirst : b.aFirst,
    aLast: a.aLast < b.aLast ? a.aLast : b.aLast,
  };
  return box.pFrom <= box.pTo && box.aFirst <= box.aLast ? box : null;
}

/** `a` minus `cut` (cut lies inside a): up to four disjoint boxes. */
function subtract(a: Box, cut: Box): Box[] {
  const out: Box[] = [];
  if (a.pFrom < cut.pFrom) out.push({ ...a, pTo: cut.pFrom - 1 });
  if (cut.pTo < a.pTo) out.push({ ...a, pFrom: cut.pTo + 1 });
  const mid = { ...a, pFrom: cut.pFrom, pTo: cut.pTo };
  if (a.aFirst < cut.aFirst) out.push({ ...mid, aLast: cut.aFirst - 1n });
  if (cut.aLast < a.aLast) out.push({ ...mid, aFirst: cut.aLast + 1n });
  return out;
}

function entryBox(e: NaclEntry, family: IpFamily): Box | null {
  const text = family === 4 ? e.cidrBlock : e.ipv6CidrBlock;
  const range = text ? parseCidr(text) : null;
  if (!range || range.family !== family) return null;
  const ports = hasPorts(e.protocol) && e.portRange ? e.portRange : ALL_PORTS;
  return { pFrom: ports.from, pTo: ports.to, aFirst: range.first, aLast: range.last };
}

/** Entries of one direction in evaluation order. */
export function orderedEntries(acl: NetworkAcl, egress: boolean): NaclEntry[] {
  return acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
}

export function evaluateNacl(acl: NetworkAcl, q: NaclQuery): NaclVerdict {
  const peer = parseCidr(q.peer);
  if (!peer) throw new Error(`evaluateNacl: not a CIDR or address: ${q.peer}`);
  let remaining: Box[] = [{ pFrom: q.ports.from, pTo: q.ports.to, aFirst: peer.first, aLast: peer.last }];
  const pieces: NaclPiece[] = [];
  const piece = (action: "allow" | "deny", entry: NaclEntry | null, b: Box): NaclPiece => ({
    action,
    entry,
    ports: { from: b.pFrom, to: b.pTo },
    addresses: formatRange(peer.family, b.aFirst, b.aLast),
  });
  for (const e of orderedEntries(acl, q.egress)) {
    if (remaining.length === 0) break;
    if (!protocolMatches(e.protocol, q.protocol)) continue;
    const eb = entryBox(e, peer.family);
    if (!eb) continue;
    const next: Box[] = [];
    for (const b of remaining) {
      const hit = intersect(b, eb);
      if (!hit) {
        next.push(b);
        continue;
      }
      pieces.push(piece(e.action, e, hit));
      next.push(...subtract(b, hit));
    }
    remaining = next;
  }
  for (const b of remaining) pieces.push(piece("deny", null, b));
  const allowed = pieces.filter((p) => p.action === "allow");
  const denied = pieces.filter((p) => p.action === "deny");
  const denyRules = denied.map((p) => p.entry?.ruleNumber ?? IMPLICIT_DENY_RULE);
  return {
    result: denied.length === 0 ? "allow" : allowed.length === 0 ? "deny" : "partial",
    allowed,
    denied,
    firstDenyRule: denyRules.length ? Math.min(...denyRules) : null,
  };
}

/** "rule 100 deny tcp 1024-65535 from 10.0.1.0/24", "rule * deny all traffic to 0.0.0.0/0". */
export function describeEntry(e: NaclEntry | null, egress: boolean): string {
  if (!e) return `the implicit rule * deny (no rule matches)`;
  const num = e.ruleNumber === IMPLICIT_DENY_RULE ? "*" : String(e.ruleNumber);
  const proto = protocolLabel(e.protocol);
  const ports = hasPorts(e.protocol) && e.portRange ? ` ${formatPorts(e.portRange)}` : "";
  const where = e.cidrBlock ?? e.ipv6CidrBlock ?? "?";
  return `rule ${num} ${e.action} ${proto}${ports} ${egress ? "to" : "from"} ${where}`;
}

export interface AclForSubnet {
  /** The ACL in force; null when the VPC's default ACL is not in the snapshot (AWS default: allow all). */
  acl: NetworkAcl | null;
  how: "associated" | "vpc-default" | "aws-default";
}

/**
 * The ACL a subnet uses: its explicit association, else its VPC's default ACL, else (not collected)
 * a fresh AWS default ACL, which allows everything both ways.
 */
export function aclForSubnet(
  snapshot: Pick<Snapshot, "networkAcls" | "subnets">,
  subnetId: string,
): AclForSubnet {
  const explicit = snapshot.networkAcls.find((a) => a.subnetIds.includes(subnetId));
  if (explicit) return { acl: explicit, how: explicit.isDefault ? "vpc-default" : "associated" };
  const vpcId = snapshot.subnets[subnetId]?.vpcId;
  const dflt = snapshot.networkAcls.find((a) => a.isDefault && (vpcId === undefined || a.vpcId === vpcId));
  if (dflt) return { acl: dflt, how: "vpc-default" };
  return { acl: null, how: "aws-default" };
}

/**
 * A free rule number for a new allow that must be evaluated before `beforeRule` (in the same
 * direction): the highest free number below it, preferring multiples of 10 when one is free.
 * Null when every number below is taken. `taken` holds numbers already promised to other commands.
 */
export function freeRuleNumberBefore(
  acl: NetworkAcl | null,
  egress: boolean,
  beforeRule: number,
  taken: Set<number> = new Set(),
): number | null {
  const used = new Set([...(acl ? orderedEntries(acl, egress).map((e) => e.ruleNumber) : []), ...taken]);
  if (beforeRule >= IMPLICIT_DENY_RULE) {
    // Only the implicit deny blocks: append after the last real rule.
    const real = [...used].filter((n) => n < IMPLICIT_DENY_RULE);
    const last = real.length ? Math.max(...real) : 0;
    for (let n = Math.ceil((last + 1) / 10) * 10; n < IMPLICIT_DENY_RULE; n += 10) if (!used.has(n)) return n;
  }
  const limit = Math.min(beforeRule, IMPLICIT_DENY_RULE) - 1;
  for (let n = Math.floor(limit / 10) * 10; n >= 10; n -= 10) if (!used.has(n) && n <= limit) return n;
  for (let n = limit; n >= 1; n--) if (!used.has(n)) return n;
  return null;
}
