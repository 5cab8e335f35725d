/**
 * health-check-too-slow (alb-facts §5.3): interval × unhealthy threshold of 3 minutes or more lets a failing target
 * take traffic for minutes; reported with 502/504s on targets that turned unhealthy (access logs), or, without
 * logs, ELB 502/504s in the detection period before UnHealthyHostCount rose.
 *
 * Confidence: 0.5, + 0.15 when detection takes 5 minutes or more, + 0.15 when the logs put the errors on the
 * now-unhealthy targets; at most 0.85.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot, Target, TargetGroup } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { listFew, usableLogs } from "../evidence/logs.ts";
import { metricByMinute } from "../evidence/metrics.ts";
import { isUnhealthy, targetsByAddress } from "../evidence/targets.ts";
import { minuteMs } from "../evidence/time.ts";
import { fixHealthCheckFix, type HealthCheckPatch } from "../fixes/fix-health-check.ts";

export const healthCheckTooSlowCheck: Check = {
  name: "health-check-timing",
  run: (s) => s.targetGroups.flatMap((g) => tooSlow(s, g) ?? []),
};

const SLOW_DETECTION_SECONDS = 180;

function tooSlow(s: Snapshot, g: TargetGroup): Finding | null {
  const hc = g.healthCheck;
  if (!hc.enabled) return null;
  const detection = hc.intervalSeconds * hc.unhealthyThreshold;
  if (detection < SLOW_DETECTION_SECONDS) return null;

  const evidence: Evidence[] = [
    {
      source: "health-check",
      detail: `a failing target keeps receiving traffic for up to ${detection} s (interval ${hc.intervalSeconds} s × unhealthy threshold ${hc.unhealthyThreshold}, timeout ${hc.timeoutSeconds} s)`,
    },
  ];
  let c = 0.5 + (detection >= 300 ? 0.15 : 0);
  const errorsOnUnhealthy = errorsOnTargets(s, g, g.targets.filter(isUnhealthy));
  if (errorsOnUnhealthy.count > 0) {
    c += 0.15;
    evidence.push({
      source: "access-logs",
      detail: `${errorsOnUnhealthy.count} ELB 502/504s went to targets that are now unhealthy (${listFew(errorsOnUnhealthy.ids)})`,
    });
  } else if (!errorsBeforeUnhealthy(s, g, detection, evidence)) {
    return null;
  } else {
    const now = g.targets.filter(isUnhealthy).map((t) => t.id);
    if (now.length) evidence.push({ source: "target-health", detail: `unhealthy now: ${listFew(now)}` });
  }
  const interval = Math.min(hc.intervalSeconds, 10);
  const patch: HealthCheckPatch = {
    HealthCheckIntervalSeconds: interval,
    UnhealthyThresholdCount: Math.min(hc.unhealthyThreshold, 2),
    HealthCheckTimeoutSeconds: Math.min(hc.timeoutSeconds, interval - 1, 5),
  };
  const fix = fixHealthCheckFix(g, patch);
  return {
    id: "health-check-too-slow",
    severity: "warning",
    confidence: confidence(c, 0.85),
    title: `Health checks of ${g.name} take ${Math.round(detection / 60)} minutes to take a failing target out`,
    evidence,
    resources: [g.arn],
    fixes: fix ? [fix] : [],
  };
}

function errorsOnTargets(s: Snapshot, g: TargetGroup, targets: Target[]): { count: number; ids: string[] } {
  const logs = usableLogs(s);
  if (!logs || targets.length === 0) return { count: 0, ids: [] };
  const ids = new Set(targets.map((t) => t.id));
  let count = 0;
  const hit: string[] = [];
  for (const [address, lt] of targetsByAddress(s)) {
    if (lt.group.arn !== g.arn || !ids.has(lt.target.id)) continue;
    const b = logs.byTarget[address];
    const n = (b?.errors["502"] ?? 0) + (b?.errors["504"] ?? 0);
    if (n > 0) {
      count += n;
      hit.push(lt.target.id);
    }
  }
  return { count, ids: hit };
}

/** Metrics-only: ELB 502/504s in the detection period before UnHealthyHostCount first rose. */
function errorsBeforeUnhealthy(
  s: Snapshot,
  g: TargetGroup,
  detection: number,
  evidence: Evidence[],
): boolean {
  const unhealthy = metricByMinute(s, "UnHealthyHostCount", "Maximum", g.resourceId);
  const series = unhealthy.size
    ? unhealthy
    : metricByMinute(s, "UnHealthyHostCount", "Average", g.resourceId);
  const firstUnhealthy = [...series.entries()]
    .filter(([, v]) => v > 0)
    .map(([k]) => k)
    .sort()[0];
  if (!firstUnhealthy) return false;
  const t = minuteMs(firstUnhealthy);
  let errors = 0;
  for (const metric of ["HTTPCode_ELB_502_Count", "HTTPCode_ELB_504_Count"]) {
    for (const [k, v] of metricByMinute(s, metric)) {
      const m = minuteMs(k);
      if (m < t && m >= t - detection * 1000) errors += v;
    }
  }
  if (errors === 0) return false;
  evidence.push({
    source: "metrics",
    detail: `${errors} ELB 502/504s in the ${detection} s before UnHealthyHostCount rose at ${firstUnhealthy}`,
  });
  return true;
}
