/**
 * Ranking: severity, then confidence; findings[0] is the root cause. A symptom whose cause was also found
 * (no healthy targets because a security group blocks the ALB) points to it through `causedBy`, says
 * "see <cause>" in its evidence, and is placed right after that cause whatever its own severity.
 */
import { DIAGNOSIS_IDS, type DiagnosisId } from "../domain/ids.ts";
import type { Finding, Severity } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** What makes targets fail their health checks, in order of preference. */
const UNHEALTHY_TARGET_CAUSES: DiagnosisId[] = [
  "sg-blocks-alb-to-target",
  "sg-blocks-health-check-port",
  "alb-sg-egress-blocked",
  "nacl-blocks-traffic",
  "health-check-misconfigured",
  "target-tls-failure",
  "targets-overloaded",
  "health-check-too-slow",
];

/** Symptoms and, in order of preference, the causes that explain them. */
export const CAUSES_OF: Partial<Record<DiagnosisId, DiagnosisId[]>> = {
  "no-healthy-targets": UNHEALTHY_TARGET_CAUSES,
  "targets-unhealthy": UNHEALTHY_TARGET_CAUSES,
};

const SYMPTOM_IDS = new Set(Object.keys(CAUSES_OF));

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    b.confidence - a.confidence ||
    // On a tie, a cause ranks before a symptom, then the order of findings.md.
    Number(SYMPTOM_IDS.has(a.id)) - Number(SYMPTOM_IDS.has(b.id)) ||
    DIAGNOSIS_IDS.indexOf(a.id) - DIAGNOSIS_IDS.indexOf(b.id)
  );
}

/**
 * The resources a finding is about, widened with what they imply on the network: a target group brings its
 * targets, their instances/ENIs, security groups, subnets and those subnets' NACLs, plus the ALB's own groups,
 * subnets and NACLs (which every path crosses). The load balancer ARN itself links nothing.
 */
function scopeOf(f: Finding, snapshot?: Snapshot): Set<string> {
  const scope = new Set(f.resources.filter((r) => r !== snapshot?.loadBalancer.arn));
  if (!snapshot) return scope;
  const subnets = new Set<string>();
  for (const g of snapshot.targetGroups) {
    if (!scope.has(g.arn)) continue;
    for (const t of g.targets) {
      scope.add(t.id);
      const host = snapshot.targetHosts[t.id];
      if (!host) continue;
      scope.add(host.resourceId);
      for (const sg of host.securityGroupIds) scope.add(sg);
      if (host.subnetId) subnets.add(host.subnetId);
    }
    for (const sg of snapshot.loadBalancer.securityGroupIds) scope.add(sg);
    for (const sn of snapshot.loadBalancer.subnetIds) subnets.add(sn);
  }
  for (const sn of subnets) scope.add(sn);
  for (const acl of snapshot.networkAcls) if (acl.subnetIds.some((sn) => subnets.has(sn))) scope.add(acl.id);
  return scope;
}

const isGroupArn = (r: string) => r.includes(":targetgroup/");

function related(symptom: Finding, cause: Finding, snapshot?: Snapshot): boolean {
  // A cause that names target groups explains only those groups' symptoms.
  const causeGroups = cause.resources.filter(isGroupArn);
  if (causeGroups.length > 0 && symptom.resources.some(isGroupArn)) {
    return symptom.resources.some((r) => isGroupArn(r) && causeGroups.includes(r));
  }
  const scope = scopeOf(symptom, snapshot);
  return cause.resources.some((r) => r !== snapshot?.loadBalancer.arn && scope.has(r));
}

/** Returns new, ranked findings (the input is not changed). */
export function rankFindings(findings: Finding[], snapshot?: Snapshot): Finding[] {
  const sorted = findings.map((f) => ({ ...f, evidence: [...f.evidence] })).sort(compareFindings);

  const causeOf = new Map<Finding, Finding>();
  for (const symptom of sorted) {
    const causeIds = CAUSES_OF[symptom.id];
    if (!causeIds) continue;
    const cause = sorted.find((c) => causeIds.includes(c.id) && related(symptom, c, snapshot));
    if (!cause) continue;
    causeOf.set(symptom, cause);
    symptom.causedBy = cause.id;
    symptom.evidence.push({ source: "target-health", detail: `see ${cause.id}: ${cause.title}` });
  }

  // Causes keep their order; each symptom follows the cause it points to.
  const out: Finding[] = [];
  const placed = new Set<Finding>();
  const place = (f: Finding) => {
    if (placed.has(f)) return;
    placed.add(f);
    out.push(f);
    for (const s of sorted) if (s !== f && !placed.has(s) && causeOf.get(s) === f) place(s);
  };
  for (const f of sorted) if (!f.causedBy) place(f);
  for (const f of sorted) place(f); // symptoms whose cause could not be placed (defensive)
  return out;
}
