/**
 * Findings of the network-ACL check: one per (target group, ACL, direction, first denying rule),
 * with the legs it breaks, the entries that decided, and the exact CLI commands that add an allow
 * rule in front of the deny (NACL changes stay guidance: they affect every subnet on the ACL).
 */
import type { Evidence, Finding } from "../../domain/report.ts";
import type { NetworkAcl, Snapshot } from "../../domain/snapshot.ts";
import { parseCidr } from "./cidr.ts";
import { confidence } from "../evidence/confidence.ts";
import { corroborate } from "./corroboration.ts";
import { describeEntry, freeRuleNumberBefore, IMPLICIT_DENY_RULE, type NaclVerdict } from "./nacl-eval.ts";
import { groupBy, listOf, type AlbSubnet, type TargetPath } from "./paths.ts";
import { EPHEMERAL_PORTS, formatPorts, type PortRange } from "./protocol.ts";

export interface Leg {
  name: "alb-out" | "target-in" | "target-out" | "alb-in";
  acl: NetworkAcl | null;
  subnetId: string;
  egress: boolean;
  ports: PortRange;
  /** The other side as evaluated (a target /32 or an ALB subnet CIDR). */
  peer: string;
  /** The CIDR an allow rule should name (the whole subnet on the other side). */
  fixPeer: string;
}

export interface NaclBlock {
  path: TargetPath;
  alb: AlbSubnet;
  leg: Leg;
  /** The service port this leg carries traffic for (the request's destination port). */
  port: number;
  trafficPort: boolean;
  healthCheck: boolean;
  verdict: NaclVerdict;
}

/** Rule numbers promised to commands so far, per ACL and direction, so two commands never collide. */
export type RuleNumberPool = Map<string, Set<number>>;

/** One evidence line for blocks that share a leg and a deciding entry: subnets, targets and ports listed. */
function legText(group: NaclBlock[]): string {
  const targets = listOf(
    group.map((b) => b.path.target.id),
    4,
  );
  const albs = listOf(group.map((b) => `${b.alb.id} (${b.alb.cidr})`));
  const ports = [
    ...new Set(group.map((b) => (b.trafficPort ? `${b.port}` : `${b.port} (the health-check port)`))),
  ].join(", ");
  const ephemeral = formatPorts(EPHEMERAL_PORTS);
  switch (group[0].leg.name) {
    case "alb-out":
      return `requests from the ALB nodes to ${targets} on tcp ${ports}`;
    case "target-in":
      return `requests from the ALB nodes in ${albs} to ${targets} on tcp ${ports}`;
    case "target-out":
      return `replies from ${targets} (tcp ${ports}) to the ALB nodes in ${albs} on the ephemeral ports ${ephemeral}`;
    case "alb-in":
      return `replies from ${targets} (tcp ${ports}) to the ALB nodes' ephemeral ports ${ephemeral}`;
  }
}

function deniedText(b: NaclBlock): string {
  const { verdict, leg } = b;
  const byEntry = groupBy(verdict.denied, (p) => String(p.entry?.ruleNumber ?? IMPLICIT_DENY_RULE));
  const parts: string[] = [];
  for (const pieces of byEntry.values()) {
    const entry = pieces[0].entry;
    const scope: string[] = [];
    const ports = [...new Set(pieces.map((p) => formatPorts(p.ports)))];
    const addrs = [...new Set(pieces.map((p) => p.addresses))];
    if (ports.length !== 1 || ports[0] !== formatPorts(leg.ports)) {
      scope.push(`ports ${ports.join(", ")} of ${formatPorts(leg.ports)}`);
    }
    const whole = parseCidr(leg.peer);
    const one = addrs.length === 1 ? parseCidr(addrs[0]) : null;
    if (!whole || !one || one.first !== whole.first || one.last !== whole.last) {
      scope.push(`addresses ${addrs.join(", ")} of ${leg.peer}`);
    }
    const where = scope.length ? ` for ${scope.join(", ")}` : "";
    parts.push(
      entry
        ? `${describeEntry(entry, leg.egress)} decides first${where}`
        : `no rule matches${where}, so the implicit * deny drops it`,
    );
  }
  return parts.join("; ");
}

function command(
  acl: NetworkAcl,
  egress: boolean,
  ruleNumber: number | null,
  denyRule: number,
  ports: PortRange,
  cidr: string,
): string {
  const family = parseCidr(cidr)?.family ?? 4;
  const block = family === 6 ? `--ipv6-cidr-block ${cidr}` : `--cidr-block ${cidr}`;
  const rest = `--protocol tcp --port-range From=${ports.from},To=${ports.to} ${block} --rule-action allow`;
  const dir = egress ? "--egress" : "--ingress";
  if (ruleNumber === null) {
    return (
      `# no free rule number below ${denyRule} in ${acl.id}: replacing rule ${denyRule} removes its deny, check what else it blocks first\n` +
      `aws ec2 replace-network-acl-entry --network-acl-id ${acl.id} ${dir} --rule-number ${denyRule} ${rest}`
    );
  }
  return `aws ec2 create-network-acl-entry --network-acl-id ${acl.id} ${dir} --rule-number ${ruleNumber} ${rest}`;
}

export function naclFinding(s: Snapshot, blocks: NaclBlock[], pool: RuleNumberPool = new Map()): Finding {
  const first = blocks[0];
  const acl = first.leg.acl as NetworkAcl;
  const egress = first.leg.egress;
  const denyRule = first.verdict.firstDenyRule ?? IMPLICIT_DENY_RULE;
  const tgs = [...new Map(blocks.map((b) => [b.path.tg.arn, b.path.tg])).values()];
  const partial = blocks.every((b) => b.verdict.result === "partial");
  const subnets = [...new Set(blocks.map((b) => b.leg.subnetId))];
  const evidence: Evidence[] = [];
  const texts = new Map<NaclVerdict, string>();
  const denied = (b: NaclBlock) => {
    const known = texts.get(b.verdict);
    if (known !== undefined) return known;
    const t = deniedText(b);
    texts.set(b.verdict, t);
    return t;
  };
  const lines = groupBy(blocks, (b) => `${b.leg.name}|${denied(b)}`);
  for (const group of [...lines.values()].slice(0, 6)) {
    const on = listOf(group.map((b) => b.leg.subnetId));
    evidence.push({
      source: "network-acls",
      detail: `${acl.id} (${egress ? "egress" : "ingress"}, on ${on}) drops ${legText(group)}: ${denied(group[0])}`,
    });
  }
  if (lines.size > 6)
    evidence.push({ source: "network-acls", detail: `and ${lines.size - 6} more blocked paths` });
  // Corroborate per target group; keep the strongest agreement and every distinct line.
  let boost = Number.NEGATIVE_INFINITY;
  const seen = new Set(evidence.map((e) => e.detail));
  for (const tg of tgs) {
    const mine = blocks.filter((b) => b.path.tg.arn === tg.arn);
    const corr = corroborate(
      s,
      tg,
      mine.map((b) => b.path.target.id),
      {
        traffic: mine.some((b) => b.trafficPort),
        healthChecks: mine.some((b) => b.healthCheck),
        total: !partial,
      },
    );
    boost = Math.max(boost, corr.boost);
    for (const e of corr.evidence) {
      if (seen.has(e.detail)) continue;
      seen.add(e.detail);
      evidence.push(tgs.length > 1 ? { ...e, detail: `${tg.name}: ${e.detail}` } : e);
    }
  }

  const key = `${acl.id}|${egress}`;
  const taken = pool.get(key) ?? new Set<number>();
  pool.set(key, taken);
  const wanted = groupBy(blocks, (b) => `${b.leg.fixPeer}|${b.leg.ports.from}-${b.leg.ports.to}`);
  const snippets = [...wanted.values()].map((g) => {
    const { fixPeer, ports } = g[0].leg;
    const n = freeRuleNumberBefore(acl, egress, denyRule, taken);
    if (n !== null) taken.add(n);
    return {
      label: `${acl.id} ${egress ? "egress" : "ingress"}: allow tcp ${formatPorts(ports)} ${egress ? "to" : "from"} ${fixPeer}`,
      language: "bash",
      code: command(acl, egress, n, denyRule, ports, fixPeer),
    };
  });
  const ephemeral = blocks.some((b) => b.leg.name === "target-out" || b.leg.name === "alb-in");
  const hcOnly = blocks.every((b) => !b.trafficPort);
  const ports = [...new Set(blocks.map((b) => b.port))].join(", ");
  const title = ephemeral
    ? `Network ACL ${acl.id} drops return traffic between the targets and the ALB's ephemeral ports`
    : `Network ACL ${acl.id} denies ${egress ? "outbound" : "inbound"} tcp ${ports} between the ALB and the targets${hcOnly ? " (health-check port)" : ""}`;
  const denyLabel = denyRule === IMPLICIT_DENY_RULE ? "the final * deny" : `rule ${denyRule}`;
  return {
    id: "nacl-blocks-traffic",
    severity: "critical",
    confidence: confidence((partial ? 0.6 : 0.75) + boost, 0.98),
    title,
    evidence,
    resources: [
      acl.id,
      ...subnets,
      ...tgs.map((t) => t.arn),
      ...new Set(blocks.map((b) => b.path.target.id)),
    ],
    fixes: [
      {
        id: "fix-nacl",
        automated: false,
        summary: `Add ${egress ? "egress" : "ingress"} allow rule${snippets.length > 1 ? "s" : ""} to ${acl.id} ahead of ${denyLabel}`,
        snippets,
        params: { networkAclId: acl.id, egress, beforeRule: denyRule },
      },
    ],
  };
}
