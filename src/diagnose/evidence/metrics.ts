import type { MetricSeries, Snapshot } from "../../domain/snapshot.ts";

/**
 * Reading CloudWatch series from a snapshot. ELB publishes nothing for a minute without data, so a series
 * that was collected but has no points means 0; when metrics could not be collected at all the answer is null
 * ("unknown"), never 0.
 */

export function metricsAvailable(snapshot: Snapshot): boolean {
  if (snapshot.metrics.length > 0) return true;
  const part = snapshot.parts.find((p) => p.id === "metrics");
  return part?.status === "ok";
}

/** "2026-03-15T14:21:00Z" -> "2026-03-15T14:21Z", the minute key of LogSummary.byMinute. */
export function minuteKey(iso: string): string {
  return `${iso.slice(0, 16)}Z`;
}

function seriesFor(snapshot: Snapshot, metric: string, stat: string, targetGroup?: string): MetricSeries[] {
  return snapshot.metrics.filter(
    (s) =>
      s.metric === metric &&
      s.stat === stat &&
      (targetGroup === undefined ? !s.targetGroup : s.targetGroup === targetGroup),
  );
}

/**
 * The series of one statistic: LB-wide (targetGroup undefined) or for one target group (its resource id).
 * For an LB-wide sum missing from the snapshot, the per-group series are added up instead
 * (target metrics are often only collected per group).
 */
function pointsOf(
  snapshot: Snapshot,
  metric: string,
  stat: string,
  targetGroup?: string,
): { t: string; v: number }[] | null {
  const direct = seriesFor(snapshot, metric, stat, targetGroup);
  if (direct.length > 0) return direct.flatMap((s) => s.points);
  if (targetGroup === undefined && stat === "Sum") {
    const perGroup = snapshot.metrics.filter((s) => s.metric === metric && s.stat === stat && s.targetGroup);
    if (perGroup.length > 0) return perGroup.flatMap((s) => s.points);
  }
  return metricsAvailable(snapshot) ? [] : null;
}

/** Sum over the window of a count metric; null when metrics are unknown. */
export function metricSum(snapshot: Snapshot, metric: string, targetGroup?: string): number | null {
  const points = pointsOf(snapshot, metric, "Sum", targetGroup);
  return points === null ? null : points.reduce((a, p) => a + p.v, 0);
}

/** The largest datapoint of a statistic (Maximum, p99...); null when there is no datapoint. */
export function metricPeak(
  snapshot: Snapshot,
  metric: string,
  stat: string,
  targetGroup?: string,
): number | null {
  return extreme(snapshot, metric, stat, targetGroup, Math.max);
}

/** How many targets of a group were unhealthy at the worst point: UnHealthyHostCount Maximum, else Average. */
export function unhealthyHostPeak(snapshot: Snapshot, targetGroup: string): number | null {
  return (
    metricPeak(snapshot, "UnHealthyHostCount", "Maximum", targetGroup) ??
    metricPeak(snapshot, "UnHealthyHostCount", "Average", targetGroup)
  );
}

/** The lowest datapoint of a statistic in the window (e.g. how far HealthyHostCount fell). */
export function metricLow(
  snapshot: Snapshot,
  metric: string,
  stat: string,
  targetGroup?: string,
): number | null {
  return extreme(snapshot, metric, stat, targetGroup, Math.min);
}

function extreme(
  snapshot: Snapshot,
  metric: string,
  stat: string,
  targetGroup: string | undefined,
  pick: (...values: number[]) => number,
): number | null {
  const points = pointsOf(snapshot, metric, stat, targetGroup);
  if (!points || points.length === 0) return null;
  return pick(...points.map((p) => p.v));
}

/** Minute key -> value of a statistic (values of several series in the same minute are added). */
export function metricByMinute(
  snapshot: Snapshot,
  metric: string,
  stat = "Sum",
  targetGroup?: string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of pointsOf(snapshot, metric, stat, targetGroup) ?? []) {
    const k = minuteKey(p.t);
    out.set(k, (out.get(k) ?? 0) + p.v);
  }
  return out;
}

/** Number of minutes in which a count metric is above zero. */
export function minutesWithData(byMinute: Map<string, number>): number {
  let n = 0;
  for (const v of byMinute.values()) if (v > 0) n++;
  return n;
}

/** Pearson correlation of two per-minute series over the union of their minutes (missing = 0); null if undefined. */
export function correlation(a: Map<string, number>, b: Map<string, number>): number | null {
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  if (keys.length < 3) return null;
  const xs = keys.map((k) => a.get(k) ?? 0);
  const ys = keys.map((k) => b.get(k) ?? 0);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < keys.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
