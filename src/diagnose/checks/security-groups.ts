/**
 * Security-group check: for every target the ALB forwards to, do the target's groups admit the ALB
 * on the traffic port and on the health-check port, and do the ALB's own groups let that traffic
 * out? Real rule evaluation (src/diagnose/net/security-group-eval.ts); targets that share a cause
 * are reported together, one finding per (target group, cause).
 */
import type { Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import type { Check } from "../check.ts";
import { partFailed } from "../evidence/parts.ts";
import { groupBy, targetPaths, type TargetPath } from "../net/paths.ts";
import {
  evaluateSecurityGroups,
  rulesForTraffic,
  type SgPeer,
  type SgVerdict,
} from "../net/security-group-eval.ts";
import { egressFinding, ingressFinding, type EgressBlock, type IngressBlock } from "../net/sg-findings.ts";

/** The ALB as a peer of the targets' groups: its groups and every address its nodes may use. */
function albPeer(s: Snapshot, p: TargetPath): SgPeer {
  return {
    groupIds: s.loadBalancer.securityGroupIds,
    ranges: p.albSubnets.map((a) => ({ cidr: a.cidr, label: `${a.id} ${a.cidr}` })),
  };
}

/** Some rule of these groups admits the port from a CIDR (it might cover an ALB subnet we cannot see). */
function cidrRuleOnPort(s: Snapshot, groupIds: string[], port: number): boolean {
  return rulesForTraffic(s.securityGroups, groupIds, "ingress", "tcp", port).some(
    (r) => r.ipv4Ranges.length + r.ipv6Ranges.length > 0,
  );
}

/** Verdicts depend only on groups, port and peer: targets of one group share them (memo per run). */
type Memo = Map<string, SgVerdict | null>;

function memoized(memo: Memo, key: string, compute: () => SgVerdict | null): SgVerdict | null {
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) ?? null;
}

function ingressVerdict(s: Snapshot, p: TargetPath, port: number, memo: Memo): SgVerdict | null {
  const key = [
    "in",
    port,
    (p.host?.securityGroupIds ?? []).join(","),
    p.albSubnets.map((a) => a.cidr).join(","),
    p.unknownAlbSubnets.length,
  ].join("|");
  return memoized(memo, key, () => computeIngress(s, p, port));
}

function computeIngress(s: Snapshot, p: TargetPath, port: number): SgVerdict | null {
  const groups = p.host?.securityGroupIds ?? [];
  if (groups.length === 0) return null;
  const v = evaluateSecurityGroups(s.securityGroups, groups, {
    direction: "ingress",
    protocol: "tcp",
    port,
    peer: albPeer(s, p),
  });
  if (v.admitted) return v;
  // Unknown groups or unknown ALB subnets could hold the admitting rule: no verdict rather than a false alarm.
  if (v.missingGroups.length > 0) return null;
  if (p.unknownAlbSubnets.length > 0 && cidrRuleOnPort(s, groups, port)) return null;
  return v;
}

function egressVerdict(s: Snapshot, p: TargetPath, port: number, memo: Memo): SgVerdict | null {
  const key = ["out", port, (p.host?.securityGroupIds ?? []).join(","), p.ip ?? "", Boolean(p.host)].join(
    "|",
  );
  return memoized(memo, key, () => computeEgress(s, p, port));
}

function computeEgress(s: Snapshot, p: TargetPath, port: number): SgVerdict | null {
  const albGroups = s.loadBalancer.securityGroupIds;
  if (albGroups.length === 0) return null;
  const peer: SgPeer = {
    groupIds: p.host?.securityGroupIds ?? [],
    ranges: p.ip ? [{ cidr: p.ip, label: p.ip }] : [],
  };
  if (peer.groupIds.length === 0 && peer.ranges.length === 0) return null;
  const v = evaluateSecurityGroups(s.securityGroups, albGroups, {
    direction: "egress",
    protocol: "tcp",
    port,
    peer,
  });
  if (v.admitted) return v;
  if (v.missingGroups.length > 0) return null;
  // Without the target's host we do not know its groups: a group-referencing egress rule might admit it.
  const groupRule = rulesForTraffic(s.securityGroups, albGroups, "egress", "tcp", port).some(
    (r) => r.groupIds.length,
  );
  return !p.host && groupRule ? null : v;
}

function run(s: Snapshot): Finding[] {
  if (partFailed(s, "security-groups") || Object.keys(s.securityGroups).length === 0) return [];
  const ingress: IngressBlock[] = [];
  const egress: EgressBlock[] = [];
  const memo: Memo = new Map();
  for (const p of targetPaths(s)) {
    const hcPort =
      p.healthCheckPort !== null && p.healthCheckPort !== p.trafficPort ? p.healthCheckPort : null;
    const traffic = ingressVerdict(s, p, p.trafficPort, memo);
    const hc = hcPort === null ? null : ingressVerdict(s, p, hcPort, memo);
    if (traffic && !traffic.admitted) {
      // The health check shares the traffic port when hcPort is null (or is off, then it doesn't matter).
      const hcBlocked = hcPort === null ? p.healthCheckPort !== null : hc !== null && !hc.admitted;
      ingress.push({
        kind: "sg-blocks-alb-to-target",
        path: p,
        port: p.trafficPort,
        verdict: traffic,
        hcBlocked,
        hcPort,
      });
    } else if (traffic && hc && !hc.admitted && hcPort !== null) {
      ingress.push({
        kind: "sg-blocks-health-check-port",
        path: p,
        port: hcPort,
        verdict: hc,
        hcBlocked: true,
        hcPort,
      });
    }
    const ports = hcPort === null ? [p.trafficPort] : [p.trafficPort, hcPort];
    const blockedPorts = ports.filter((port) => {
      const v = egressVerdict(s, p, port, memo);
      return v !== null && !v.admitted;
    });
    if (blockedPorts.length > 0)
      egress.push({ path: p, ports: blockedPorts, trafficBlocked: blockedPorts.includes(p.trafficPort) });
  }

  const findings: Finding[] = [];
  const ingressGroups = groupBy(ingress, (b) =>
    [
      b.kind,
      b.path.tg.arn,
      [...(b.path.host?.securityGroupIds ?? [])].sort().join("+"),
      b.port,
      b.path.albSubnets.map((a) => a.id).join("+"),
      b.verdict.coverage,
      b.hcBlocked,
      b.hcPort,
    ].join("|"),
  );
  for (const blocks of ingressGroups.values()) findings.push(ingressFinding(s, blocks));
  const egressGroups = groupBy(egress, (b) => [b.path.tg.arn, b.ports.join(",")].join("|"));
  for (const blocks of egressGroups.values()) findings.push(egressFinding(s, blocks));
  return findings;
}

export const securityGroupCheck: Check = { name: "security-groups", run };
