/**
 * IP protocols as security groups and network ACLs spell them: names ("tcp"), numbers as strings
 * ("6"), or "-1"/"all" for every protocol. Both evaluators compare through this one normalisation.
 */

export type TrafficProtocol = "tcp" | "udp";

const NUMBERS: Record<string, string> = { tcp: "6", udp: "17", icmp: "1", icmpv6: "58" };
const NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** "-1" for all protocols, otherwise the protocol number as a string ("6", "17", "50"). */
export function protocolNumber(protocol: string): string {
  const p = protocol.trim().toLowerCase();
  if (p === "-1" || p === "all") return "-1";
  return NUMBERS[p] ?? p;
}

/** Does a rule with this protocol apply to the traffic's protocol? */
export function protocolMatches(ruleProtocol: string, traffic: TrafficProtocol): boolean {
  const rule = protocolNumber(ruleProtocol);
  return rule === "-1" || rule === protocolNumber(traffic);
}

/** "all traffic", "tcp", "udp", "proto 50", for evidence. */
export function protocolLabel(protocol: string): string {
  const n = protocolNumber(protocol);
  if (n === "-1") return "all traffic";
  return NAMES[n] ?? `protocol ${n}`;
}

/** Rules with port ranges: tcp and udp only; every other protocol covers all ports. */
export function hasPorts(protocol: string): boolean {
  const n = protocolNumber(protocol);
  return n === "6" || n === "17";
}

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** The ALB's ephemeral source ports: return traffic from targets arrives on these. */
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };

export function formatPorts(r: PortRange): string {
  if (r.from === 0 && r.to === 65535) return "all ports";
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}
