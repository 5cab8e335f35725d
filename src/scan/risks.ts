/**
 * Latent risks of one ALB from its configuration alone (no access logs): what would turn into 502/504s
 * under the right traffic, before any alarm. Two sources: rules over the snapshot here (idle timeout vs
 * backend keep-alive defaults, access logs, health-check port, empty or all-unhealthy target groups,
 * deregistration delay vs the slowest responses in the metrics), and the diagnosis checks whose findings
 * need no traffic (security groups, network ACLs), run on the same snapshot.
 */
import type { Report } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";

export type RiskLevel = "high" | "medium" | "low";

export interface ScanRisk {
  id: string;
  level: RiskLevel;
  detail: string;
}

/** How much a risk weighs in the ranking. */
export const RISK_WEIGHT: Record<RiskLevel, number> = { high: 10, medium: 4, low: 1 };

/** Node.js's and Apache's keep-alive defaults (5 s); gunicorn's is 2 s. An idle timeout at or above races them. */
const BACKEND_KEEPALIVE_DEFAULT_S = 5;

/** Findings of the checks that judge configuration, not traffic. */
const CONFIG_FINDINGS: Record<string, RiskLevel> = {
  "sg-blocks-alb-to-target": "high",
  "sg-blocks-health-check-port": "high",
  "alb-sg-egress-blocked": "high",
  "nacl-blocks-traffic": "high",
};

export function risksOf(snapshot: Snapshot, report: Report): ScanRisk[] {
  const risks: ScanRisk[] = [];
  const lb = snapshot.loadBalancer;
  const idle = Number(lb.attributes["idle_timeout.timeout_seconds"] ?? 60);
  if (idle >= BACKEND_KEEPALIVE_DEFAULT_S)
    risks.push({
      id: "idle-timeout-vs-keepalive",
      level: "medium",
      detail: `idle timeout ${idle} s is at or above common backend keep-alive defaults (${BACKEND_KEEPALIVE_DEFAULT_S} s in Node.js and Apache): targets must keep idle connections open longer`,
    });
  if (lb.attributes["access_logs.s3.enabled"] !== "true")
    risks.push({
      id: "access-logs-off",
      level: "low",
      detail: "access logs are off: a 502 could not be traced",
    });

  for (const tg of snapshot.targetGroups) {
    if (tg.targetType === "lambda") continue;
    const hc = tg.healthCheck;
    if (hc.port !== "traffic-port" && tg.port !== undefined && Number(hc.port) !== tg.port)
      risks.push({
        id: "health-check-other-port",
        level: "medium",
        detail: `${tg.name} checks health on port ${hc.port} but traffic goes to ${tg.port}: targets can look healthy while the traffic port fails`,
      });
    if (tg.healthError) continue;
    if (tg.targets.length === 0)
      risks.push({ id: "empty-target-group", level: "high", detail: `${tg.name} has no registered targets` });
    else if (!tg.targets.some((t) => t.state === "healthy"))
      risks.push({
        id: "no-healthy-targets",
        level: "high",
        detail: `${tg.name}: none of its ${tg.targets.length} targets is healthy`,
      });
    const delay = Number(tg.attributes["deregistration_delay.timeout_seconds"] ?? 300);
    const slowest = slowestResponse(snapshot, tg.resourceId);
    if (slowest !== undefined && delay < slowest)
      risks.push({
        id: "deregistration-shorter-than-requests",
        level: "medium",
        detail: `${tg.name}: deregistration delay ${delay} s is shorter than its slowest responses (${slowest.toFixed(1)} s): deploys cut requests off`,
      });
  }
  const seen = new Set<string>();
  for (const f of report.findings) {
    const level = CONFIG_FINDINGS[f.id];
    if (!level || seen.has(f.id)) continue;
    seen.add(f.id);
    risks.push({ id: f.id, level, detail: f.title });
  }
  return risks;
}

/** The highest TargetResponseTime Maximum of the group (or of the load balancer) in the window, in seconds. */
function slowestResponse(snapshot: Snapshot, tgResourceId: string): number | undefined {
  const series = snapshot.metrics.filter((m) => m.metric === "TargetResponseTime" && m.stat === "Maximum");
  const own = series.filter((m) => m.targetGroup === tgResourceId);
  const points = (own.length ? own : series.filter((m) => !m.targetGroup)).flatMap((m) => m.points);
  return points.length ? Math.max(...points.map((p) => p.v)) : undefined;
}

export function scoreOf(risks: ScanRisk[]): number {
  return risks.reduce((sum, r) => sum + RISK_WEIGHT[r.level], 0);
}
