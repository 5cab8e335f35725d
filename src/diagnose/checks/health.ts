/**
 * Target-health states (alb-facts §4): no-registered-targets (a forwarded group with nothing registered: 503),
 * no-healthy-targets (every target unhealthy: the ALB fails open and clients see 502/504 or app errors), and
 * targets-unhealthy (some targets fail health checks). These are often symptoms: the engine links them to a
 * cause (security group, NACL, health-check settings, TLS) through `causedBy` when one is found.
 *
 * Confidence: DescribeTargetHealth states are direct facts, so 0.95 for the current state (0.85 when the
 * listeners could not be read to confirm the group is forwarded to); a past flap seen only in
 * UnHealthyHostCount is 0.6 and info.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot, Target, TargetGroup } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { classCount, listFew, usableLogs } from "../evidence/logs.ts";
import { metricLow, metricSum, unhealthyHostPeak } from "../evidence/metrics.ts";
import { forwardedGroupArns, isDraining, isHealthy, isUnhealthy } from "../evidence/targets.ts";

export const targetHealthCheck: Check = { name: "target-health", run };

function run(s: Snapshot): Finding[] {
  const listenersKnown = s.listeners.length > 0;
  const forwarded = forwardedGroupArns(s);
  const findings: Finding[] = [];
  for (const g of s.targetGroups) {
    if (g.healthError) continue;
    if (listenersKnown && !forwarded.has(g.arn)) continue;
    const f = noRegistered(s, g, listenersKnown) ?? unhealthy(s, g) ?? pastFlap(s, g);
    if (f) findings.push(f);
  }
  return findings;
}

/** Targets that take part in routing: registered, not being removed. */
function activeTargets(g: TargetGroup): Target[] {
  return g.targets.filter((t) => t.state !== "unused" && !isDraining(t));
}

function noRegistered(s: Snapshot, g: TargetGroup, listenersKnown: boolean): Finding | null {
  const registered = g.targets.filter((t) => !(t.state === "unused" && t.reason === "Target.NotRegistered"));
  const usable = registered.filter((t) => t.state !== "unused");
  if (usable.length > 0) return null;
  const evidence: Evidence[] = [
    {
      source: "target-health",
      detail:
        registered.length === 0
          ? `target group ${g.name} has no registered targets, yet a listener forwards to it`
          : `all ${registered.length} targets of ${g.name} are unused (${listFew(reasonsOf(registered))})`,
    },
  ];
  add503Evidence(s, evidence);
  return {
    id: "no-registered-targets",
    severity: "critical",
    confidence: confidence(listenersKnown ? 0.95 : 0.85),
    title: `Target group ${g.name} has no targets to send requests to (503)`,
    evidence,
    resources: [g.arn, ...registered.map((t) => t.id)],
    fixes: [],
  };
}

function unhealthy(s: Snapshot, g: TargetGroup): Finding | null {
  const active = activeTargets(g);
  const bad = active.filter(isUnhealthy);
  if (bad.length === 0) return null;
  const all = bad.length === active.length;
  const evidence: Evidence[] = [
    {
      source: "target-health",
      detail: `${bad.length} of ${active.length} targets of ${g.name} are unhealthy: ${listFew(reasonsOf(bad), 4)}`,
    },
  ];
  const healthyMin = metricLow(s, "HealthyHostCount", "Minimum", g.resourceId);
  const unhealthyPeak = unhealthyHostPeak(s, g.resourceId);
  if (unhealthyPeak !== null) {
    evidence.push({
      source: "metrics",
      detail: `UnHealthyHostCount peaked at ${unhealthyPeak}${healthyMin === null ? "" : `, HealthyHostCount fell to ${healthyMin}`} in the window`,
    });
  }
  if (all) {
    evidence.push({
      source: "target-health",
      detail:
        "with no healthy target the ALB fails open and routes to all of them, so clients see 502/504 or errors from the targets",
    });
  }
  return {
    id: all ? "no-healthy-targets" : "targets-unhealthy",
    severity: all ? "critical" : "warning",
    confidence: confidence(0.95),
    title: all
      ? `No healthy targets in ${g.name}: every target fails its health check`
      : `${bad.length} of ${active.length} targets in ${g.name} fail their health checks`,
    evidence,
    resources: [g.arn, ...bad.map((t) => t.id)],
    fixes: [],
  };
}

/** Healthy now, but UnHealthyHostCount rose during the window. */
function pastFlap(s: Snapshot, g: TargetGroup): Finding | null {
  if (activeTargets(g).some((t) => !isHealthy(t))) return null;
  const peak = unhealthyHostPeak(s, g.resourceId);
  if (!peak || peak <= 0) return null;
  return {
    id: "targets-unhealthy",
    severity: "info",
    confidence: confidence(0.6),
    title: `Targets in ${g.name} failed health checks during the window (healthy now)`,
    evidence: [
      {
        source: "metrics",
        detail: `UnHealthyHostCount reached ${peak} in the window; all targets are healthy now`,
      },
    ],
    resources: [g.arn],
    fixes: [],
  };
}

/** "Target.Timeout ×2 (Request timed out)" per distinct reason. */
export function reasonsOf(targets: Target[]): string[] {
  const groups = new Map<string, { n: number; description?: string }>();
  for (const t of targets) {
    const key = t.reason ?? t.state;
    const e = groups.get(key) ?? { n: 0, description: t.description };
    e.n++;
    groups.set(key, e);
  }
  return [...groups.entries()].map(([r, e]) => `${r} ×${e.n}${e.description ? ` (${e.description})` : ""}`);
}

function add503Evidence(s: Snapshot, evidence: Evidence[]): void {
  const logs = usableLogs(s);
  const fromLogs = logs ? classCount(logs, "elb-503-no-target") : null;
  const fromMetrics = metricSum(s, "HTTPCode_ELB_503_Count");
  if (fromLogs)
    evidence.push({ source: "access-logs", detail: `${fromLogs} ELB 503s with no target chosen` });
  if (fromMetrics)
    evidence.push({ source: "metrics", detail: `HTTPCode_ELB_503_Count ${fromMetrics} in the window` });
}
