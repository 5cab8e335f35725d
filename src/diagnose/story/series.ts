/**
 * The window as per-interval counts, for the onset: 5xx by class, requests, target p99 and unhealthy hosts,
 * from either source on one grid so the two can be compared (the report's chart timeline is timeline.ts).
 * CloudWatch is the primary source (complete counts, no delivery delay); the access-log minutes stand in when
 * metrics could not be read, and are compared with them when both exist (see onset.ts).
 */
import type { BucketStats, LogSummary } from "../../domain/log-summary.ts";
import type { MetricSeries, Snapshot } from "../../domain/snapshot.ts";
import { metricPeriodFor } from "../../domain/window.ts";
import { usableLogs } from "../evidence/logs.ts";
import { metricsAvailable } from "../evidence/metrics.ts";
import { minuteMs } from "../evidence/time.ts";

/** A class of errors in the onset's series: the ALB's own 502/503/504, other ELB 5xx, the targets' 5xx, 460, 464. */
export type SeriesClass = "elb-502" | "elb-503" | "elb-504" | "elb-5xx-other" | "target-5xx" | "460" | "464";

export interface ReportSeries {
  /** Where the counts come from: CloudWatch (complete counts) or the access-log minutes. */
  source: "metrics" | "access-logs";
  periodSeconds: number;
  /** Start of every interval of the window, in order (ISO). */
  times: string[];
  /** Errors per interval by class; only classes with a count somewhere. */
  classes: { id: SeriesClass; label: string; counts: number[] }[];
  /** All 5xx per interval (ELB and target): the series the onset is found on. */
  errors5xx: number[];
  requests: number[] | null;
  /** Target response time p99 per interval (seconds; null where no datapoint). */
  targetP99: (number | null)[] | null;
  /** Unhealthy hosts per interval, summed over the target groups (null where no datapoint). */
  unhealthyHosts: (number | null)[] | null;
}

export const SERIES_LABELS: Record<SeriesClass, string> = {
  "elb-502": "ELB 502",
  "elb-503": "ELB 503",
  "elb-504": "ELB 504",
  "elb-5xx-other": "ELB 5xx other",
  "target-5xx": "Target 5xx",
  "460": "460",
  "464": "464",
};

/** The intervals of a window: aligned to the period (as CloudWatch stamps datapoints), covering it whole. */
export interface Grid {
  startMs: number;
  periodSeconds: number;
  length: number;
}

export function gridOf(window: { start: string; end: string }, periodSeconds?: number): Grid {
  const s = Date.parse(window.start);
  const e = Date.parse(window.end);
  const period = periodSeconds ?? metricPeriodFor(Math.max(60, (e - s) / 1000));
  const p = period * 1000;
  const startMs = Math.floor(s / p) * p;
  return { startMs, periodSeconds: period, length: Math.max(1, Math.ceil((e - startMs) / p)) };
}

const indexOf = (grid: Grid, ms: number): number => {
  const i = Math.floor((ms - grid.startMs) / (grid.periodSeconds * 1000));
  return i >= 0 && i < grid.length ? i : -1;
};

type Combine = "sum" | "max";

/**
 * One statistic per interval: the LB-wide series, or, when only per-group series exist, their sum.
 * Missing count datapoints are 0 (ELB publishes nothing for a quiet minute); other statistics stay null.
 */
export function metricIntervals(
  metrics: MetricSeries[],
  grid: Grid,
  metric: string,
  stat: string,
  options: { perGroup?: boolean; combine?: Combine; zeroFill?: boolean } = {},
): (number | null)[] | null {
  const mine = metrics.filter((m) => m.metric === metric && m.stat === stat);
  const lbWide = mine.filter((m) => !m.targetGroup);
  const chosen = options.perGroup || lbWide.length === 0 ? mine.filter((m) => m.targetGroup) : lbWide;
  if (chosen.length === 0) return null;
  const out: (number | null)[] = new Array(grid.length).fill(options.zeroFill ? 0 : null);
  for (const series of chosen) {
    for (const p of series.points) {
      const i = indexOf(grid, Date.parse(p.t));
      if (i < 0) continue;
      const prev = out[i];
      out[i] = prev === null ? p.v : options.combine === "max" ? Math.max(prev, p.v) : prev + p.v;
    }
  }
  return out;
}

const counts = (metrics: MetricSeries[], grid: Grid, metric: string): number[] | null =>
  metricIntervals(metrics, grid, metric, "Sum", { zeroFill: true }) as number[] | null;

/** 5xx per interval (ELB and target) from CloudWatch series alone: the onset's series, also for a lead range. */
export function metricErrors5xx(metrics: MetricSeries[], grid: Grid): number[] | null {
  const elb = counts(metrics, grid, "HTTPCode_ELB_5XX_Count");
  const target = counts(metrics, grid, "HTTPCode_Target_5XX_Count");
  if (!elb && !target) return null;
  return Array.from({ length: grid.length }, (_, i) => (elb?.[i] ?? 0) + (target?.[i] ?? 0));
}

function fromMetrics(s: Snapshot, grid: Grid): ReportSeries {
  const m = s.metrics;
  const zero = () => new Array<number>(grid.length).fill(0);
  const e502 = counts(m, grid, "HTTPCode_ELB_502_Count") ?? zero();
  const e503 = counts(m, grid, "HTTPCode_ELB_503_Count") ?? zero();
  const e504 = counts(m, grid, "HTTPCode_ELB_504_Count") ?? zero();
  const e5xx = counts(m, grid, "HTTPCode_ELB_5XX_Count");
  const t5xx = counts(m, grid, "HTTPCode_Target_5XX_Count") ?? zero();
  // The 5XX total also counts 500 and the rest, which have no metric of their own.
  const other = e5xx ? e5xx.map((v, i) => Math.max(0, v - e502[i] - e503[i] - e504[i])) : zero();
  const byClass: [SeriesClass, number[]][] = [
    ["elb-502", e502],
    ["elb-503", e503],
    ["elb-504", e504],
    ["elb-5xx-other", other],
    ["target-5xx", t5xx],
  ];
  return {
    source: "metrics",
    periodSeconds: grid.periodSeconds,
    times: timesOf(grid),
    classes: present(byClass),
    errors5xx: metricErrors5xx(m, grid) ?? zero(),
    requests: counts(m, grid, "RequestCount"),
    targetP99: metricIntervals(m, grid, "TargetResponseTime", "p99", { combine: "max" }),
    unhealthyHosts: metricIntervals(m, grid, "UnHealthyHostCount", "Maximum", { perGroup: true }),
  };
}

/** The access-log minutes on the same grid (several minutes add up when the period is longer). */
export function logSeries(logs: LogSummary, grid: Grid): ReportSeries {
  const zero = () => new Array<number>(grid.length).fill(0);
  const by: Record<SeriesClass, number[]> = {
    "elb-502": zero(),
    "elb-503": zero(),
    "elb-504": zero(),
    "elb-5xx-other": zero(),
    "target-5xx": zero(),
    "460": zero(),
    "464": zero(),
  };
  const all5xx = zero();
  const requests = zero();
  for (const [key, b] of Object.entries(logs.byMinute)) {
    const i = indexOf(grid, minuteMs(key));
    if (i < 0) continue;
    const c = classesOf(b);
    for (const id of Object.keys(c) as SeriesClass[]) by[id][i] += c[id];
    all5xx[i] += fiveHundreds(b);
    requests[i] += b.requests;
  }
  return {
    source: "access-logs",
    periodSeconds: grid.periodSeconds,
    times: timesOf(grid),
    classes: present(Object.entries(by) as [SeriesClass, number[]][]),
    errors5xx: all5xx,
    requests,
    targetP99: null,
    unhealthyHosts: null,
  };
}

/** A minute's lines by series class: the analyzer's cause classes folded into what a chart can show. */
function classesOf(b: BucketStats): Record<SeriesClass, number> {
  const k = b.classes;
  const elb502 = (k["elb-502-target-closed"] ?? 0) + (k["elb-502-malformed-response"] ?? 0);
  const elb503 = k["elb-503-no-target"] ?? 0;
  const elb504 =
    (k["elb-504-idle-timeout"] ?? 0) + (k["elb-504-connect-timeout"] ?? 0) + (k["elb-504-other"] ?? 0);
  const target = k["target-5xx"] ?? 0;
  return {
    "elb-502": elb502,
    "elb-503": elb503,
    "elb-504": elb504,
    "elb-5xx-other": Math.max(0, fiveHundreds(b) - elb502 - elb503 - elb504 - target),
    "target-5xx": target,
    "460": b.errors["460"] ?? 0,
    "464": b.errors["464"] ?? 0,
  };
}

/** Lines with a 5xx ELB status (a target's 5xx is passed on as the ELB status too). */
const fiveHundreds = (b: BucketStats): number =>
  Object.entries(b.errors).reduce((a, [code, n]) => (code.startsWith("5") ? a + n : a), 0);

const timesOf = (g: Grid): string[] =>
  Array.from({ length: g.length }, (_, i) => new Date(g.startMs + i * g.periodSeconds * 1000).toISOString());

const present = (byClass: [SeriesClass, number[]][]): ReportSeries["classes"] =>
  byClass
    .filter(([, v]) => v.some((x) => x > 0))
    .map(([id, v]) => ({ id, label: SERIES_LABELS[id], counts: v }));

/**
 * The window's series for people: CloudWatch when it was collected, else the access-log minutes; undefined
 * when neither is there. `logs` is the other source, on the same grid, for the agreement check.
 */
export function storySeries(s: Snapshot): { series: ReportSeries; logs?: ReportSeries } | undefined {
  const grid = gridOf(s.window);
  const logs = usableLogs(s);
  const fromLogs = logs ? logSeries(logs, grid) : undefined;
  if (metricsAvailable(s) && s.metrics.length > 0) return { series: fromMetrics(s, grid), logs: fromLogs };
  return fromLogs ? { series: fromLogs } : undefined;
}
