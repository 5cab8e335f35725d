/**
 * Evidence outside the rules that agrees (or disagrees) with a network block: targets that time
 * out their health checks, connections the ALB could not establish, and 504s at the 10 s connect
 * timeout in the access logs. Rule analysis alone says the path is closed; these say it matters now.
 */
import type { Evidence } from "../../domain/report.ts";
import type { Snapshot, TargetGroup } from "../../domain/snapshot.ts";
import { listOf } from "./paths.ts";

/** Health reasons a silently dropped connection produces. */
const TIMEOUT_REASONS = new Set(["Target.Timeout", "Target.FailedHealthChecks"]);

export interface Corroboration {
  evidence: Evidence[];
  /** Added to the base confidence. Negative when the targets contradict the rules. */
  boost: number;
  /** Targets (of those asked about) that time out their health checks. */
  timedOut: string[];
}

export interface CorroborationScope {
  /** The block affects live traffic (not only health checks): count connect errors and 504s. */
  traffic: boolean;
  /** The block affects health checks (traffic port = health-check port, or the HC port itself). */
  healthChecks: boolean;
  /** The block is total, so healthy targets would contradict it (a partial block may leave them healthy). */
  total: boolean;
}

/** Sum of a metric over the window, for the target group's series or else the LB-wide one. */
export function metricSum(s: Snapshot, metric: string, tg?: TargetGroup): number | null {
  const all = s.metrics.filter((m) => m.metric === metric && m.stat === "Sum");
  const series = (tg && all.find((m) => m.targetGroup === tg.resourceId)) ?? all.find((m) => !m.targetGroup);
  if (!series) return null;
  return series.points.reduce((acc, p) => acc + p.v, 0);
}

export function corroborate(
  s: Snapshot,
  tg: TargetGroup,
  targetIds: string[],
  scope: CorroborationScope,
): Corroboration {
  const evidence: Evidence[] = [];
  let boost = 0;
  const targets = tg.targets.filter((t) => targetIds.includes(t.id));
  const timedOut = targets.filter(
    (t) => t.state.startsWith("unhealthy") && TIMEOUT_REASONS.has(t.reason ?? ""),
  );
  if (scope.healthChecks && timedOut.length > 0) {
    const reasons = [...new Set(timedOut.map((t) => t.reason))].join("/");
    evidence.push({
      source: "target-health",
      detail: `${listOf(timedOut.map((t) => t.id))} ${timedOut.length === 1 ? "is" : "are"} unhealthy with ${reasons} (health checks get no answer)`,
    });
    boost += 0.1;
  } else if (scope.healthChecks && scope.total && tg.healthCheck.enabled && targets.length > 0) {
    const healthy = targets.filter((t) => t.state === "healthy");
    if (healthy.length === targets.length) {
      evidence.push({
        source: "target-health",
        detail: `but ${listOf(healthy.map((t) => t.id))} report healthy, which the rules say cannot be: the network data may be stale or incomplete`,
      });
      boost -= 0.25;
    }
  }
  if (scope.traffic) {
    const connErrors = metricSum(s, "TargetConnectionErrorCount", tg);
    if (connErrors !== null && connErrors > 0) {
      evidence.push({
        source: "metrics",
        detail: `TargetConnectionErrorCount is ${connErrors} in the window: the ALB failed to open connections to targets`,
      });
      boost += 0.05;
    }
    const logs = s.accessLogs;
    // Per target group when the summary has the group; LB-wide only when it has no per-group breakdown.
    const perTg = logs?.byTargetGroup[tg.arn];
    const connectTimeouts = perTg
      ? (perTg.classes["elb-504-connect-timeout"] ?? 0)
      : (logs?.byClass["elb-504-connect-timeout"] ?? 0);
    if (connectTimeouts > 0) {
      evidence.push({
        source: "access-logs",
        detail: `${connectTimeouts} ELB 504s with -1 processing times at the ~10 s connect timeout: connections were dropped, not refused`,
      });
      boost += 0.05;
    }
  }
  return { evidence, boost, timedOut: timedOut.map((t) => t.id) };
}
