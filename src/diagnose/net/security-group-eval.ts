/**
 * Security-group evaluation: do these groups admit (ingress) or emit (egress) tcp/udp traffic on a
 * port to or from a peer? Security groups are allow-only and stateful: the traffic passes when any
 * rule of any group matches protocol, port and peer; return traffic needs no rule.
 *
 * A peer is what the other side is known to be: the groups its network interfaces carry and the
 * addresses it may use (an ALB's subnets, a target's IP). A group reference admits the peer when the
 * peer carries that group; CIDR rules admit it only when their union covers every address the peer
 * may use - an ALB node can sit anywhere in its subnets, so a rule covering one of two ALB subnets
 * admits only part of the ALB ("some").
 */
import type { IpPermission, SecurityGroup } from "../../domain/snapshot.ts";
import { coverage, overlaps, parseCidr, type Coverage, type IpRange } from "./cidr.ts";
import { formatPorts, hasPorts, protocolLabel, protocolMatches, type TrafficProtocol } from "./protocol.ts";

export type Direction = "ingress" | "egress";

export interface SgPeer {
  /** Security groups the peer's network interfaces carry. */
  groupIds: string[];
  /** Addresses the peer may use: CIDRs or single IPs, labelled for evidence (e.g. "subnet-a 10.0.1.0/24"). */
  ranges: { cidr: string; label?: string }[];
}

export interface SgQuery {
  direction: Direction;
  protocol: TrafficProtocol;
  port: number;
  peer: SgPeer;
}

export interface SgRuleRef {
  groupId: string;
  /** The rule as people read it, naming the matching peer: "tcp 8080 from sg-alb". */
  text: string;
}

export interface SgVerdict {
  /** Every address of the peer is admitted on the port (by a group reference or by CIDRs). */
  admitted: boolean;
  coverage: Coverage;
  /** Rules that admit the peer, or part of it, on the port. */
  admittedBy: SgRuleRef[];
  /** Labels of peer ranges not (fully) admitted, when coverage is "some". */
  uncovered: string[];
  /** Rules that name the peer but not this protocol/port: the near misses people look for. */
  otherPorts: SgRuleRef[];
  /** What the evaluation could not know (prefix lists) or had to assume. */
  notes: string[];
  /** Groups asked about that were not in the snapshot. */
  missingGroups: string[];
}

/** "tcp 8080", "tcp 1024-65535", "all traffic". */
export function describeProtoPorts(p: IpPermission): string {
  const label = protocolLabel(p.protocol);
  if (!hasPorts(p.protocol)) return label;
  return `${label} ${formatPorts(portsOf(p))}`;
}

function portsOf(p: IpPermission): { from: number; to: number } {
  // tcp/udp rules always carry ports in AWS; treat a missing bound as open-ended rather than fail.
  return { from: p.fromPort ?? 0, to: p.toPort ?? 65535 };
}

function matchesTraffic(p: IpPermission, protocol: TrafficProtocol, port: number): boolean {
  if (!protocolMatches(p.protocol, protocol)) return false;
  if (!hasPorts(p.protocol)) return true;
  const r = portsOf(p);
  // ICMP-style -1 bounds never reach here (hasPorts is tcp/udp only).
  return r.from <= port && port <= r.to;
}

function ref(groupId: string, p: IpPermission, dir: Direction, peer: string): SgRuleRef {
  return { groupId, text: `${describeProtoPorts(p)} ${dir === "ingress" ? "from" : "to"} ${peer}` };
}

/** Evaluates a query against the union of `groupIds`' rules in `groups` (the snapshot's map). */
export function evaluateSecurityGroups(
  groups: Record<string, SecurityGroup>,
  groupIds: string[],
  q: SgQuery,
): SgVerdict {
  const admittedBy: SgRuleRef[] = [];
  const otherPorts: SgRuleRef[] = [];
  const notes: string[] = [];
  const missingGroups = groupIds.filter((id) => !groups[id]);
  const peerRanges = q.peer.ranges
    .map((r) => ({ label: r.label ?? r.cidr, range: parseCidr(r.cidr) }))
    .filter((r): r is { label: string; range: IpRange } => r.range !== null);
  const admittingRanges: IpRange[] = [];
  let groupAdmits = false;

  for (const gid of groupIds) {
    const sg = groups[gid];
    if (!sg) continue;
    for (const p of q.direction === "ingress" ? sg.ingress : sg.egress) {
      const fits = matchesTraffic(p, q.protocol, q.port);
      for (const g of p.groupIds) {
        if (!q.peer.groupIds.includes(g)) continue;
        if (fits) {
          groupAdmits = true;
          admittedBy.push(ref(gid, p, q.direction, g));
        } else otherPorts.push(ref(gid, p, q.direction, g));
      }
      for (const text of [...p.ipv4Ranges, ...p.ipv6Ranges]) {
        const range = parseCidr(text);
        if (!range) {
          notes.push(`${gid}: unparsable range "${text}" ignored`);
          continue;
        }
        const touching = peerRanges.some((pr) => overlaps(range, pr.range));
        if (!touching) continue;
        if (fits) {
          admittingRanges.push(range);
          admittedBy.push(ref(gid, p, q.direction, text));
        } else otherPorts.push(ref(gid, p, q.direction, text));
      }
      if (fits) {
        for (const pl of p.prefixListIds) {
          notes.push(
            `${gid} has ${describeProtoPorts(p)} ${q.direction === "ingress" ? "from" : "to"} prefix list ${pl}; ` +
              `its entries were not collected, so it is treated as not admitting`,
          );
        }
      }
    }
  }

  let cov: Coverage;
  const uncovered: string[] = [];
  if (groupAdmits) {
    cov = "all";
  } else if (peerRanges.length === 0) {
    cov = "none";
  } else {
    const each = peerRanges.map((pr) => ({ pr, c: coverage(pr.range, admittingRanges) }));
    for (const { pr, c } of each)
      if (c !== "all") uncovered.push(c === "some" ? `part of ${pr.label}` : pr.label);
    cov = each.every((e) => e.c === "all") ? "all" : each.every((e) => e.c === "none") ? "none" : "some";
  }
  return {
    admitted: cov === "all",
    coverage: cov,
    admittedBy: dedupe(admittedBy),
    uncovered,
    otherPorts: dedupe(otherPorts),
    notes: [...new Set(notes)],
    missingGroups,
  };
}

function dedupe(refs: SgRuleRef[]): SgRuleRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.groupId} ${r.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A whole rule with all its peers: "tcp 443 to 0.0.0.0/0, sg-app". */
export function describeRule(p: IpPermission, dir: Direction): string {
  const peers = [...p.groupIds, ...p.ipv4Ranges, ...p.ipv6Ranges, ...p.prefixListIds];
  return `${describeProtoPorts(p)} ${dir === "ingress" ? "from" : "to"} ${peers.join(", ") || "nothing"}`;
}

/** The rules of these groups that match protocol and port, whatever their peers. */
export function rulesForTraffic(
  groups: Record<string, SecurityGroup>,
  groupIds: string[],
  direction: Direction,
  protocol: TrafficProtocol,
  port: number,
): IpPermission[] {
  return groupIds.flatMap((id) => {
    const sg = groups[id];
    if (!sg) return [];
    return (direction === "ingress" ? sg.ingress : sg.egress).filter((p) =>
      matchesTraffic(p, protocol, port),
    );
  });
}
