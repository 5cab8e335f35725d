/**
 * When the errors started, peaked and ended, from the per-interval 5xx series (series.ts).
 *
 * The episode is found around the peak: intervals at or above a fifth of the peak, allowing short gaps (a
 * quiet minute inside an outage is still the outage), extended back over the ramp of non-zero intervals
 * before it, so a first partial minute counts as the start. It has recovered when the last intervals of the
 * window are all below that level; otherwise it is still going (end null).
 * Errors at the window's first interval mean the start is earlier: the collector then reads the 5xx counts of
 * a bounded lead before the window (ONSET_LEAD_SECONDS) and the start is searched there too.
 */
import type { Onset } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { gridOf, metricErrors5xx, type ReportSeries } from "./series.ts";

/** How far before the window the search for an onset goes (3 hours, one GetMetricData call). */
export const ONSET_LEAD_SECONDS = 3 * 3600;
/** Intervals below the episode's level that still belong to it (gaps) / that mean it recovered. */
const MAX_GAP = 2;
const QUIET_TO_RECOVER = 3;

export interface Episode {
  start: number;
  peak: number;
  /** Index of the last interval at the episode's level. */
  last: number;
  recovered: boolean;
}

/** The episode around the peak of `a`; undefined when there are no errors. */
export function episodeOf(a: number[], peakFrom = 0): Episode | undefined {
  let peak = -1;
  for (let i = peakFrom; i < a.length; i++) if (a[i] > 0 && (peak < 0 || a[i] > a[peak])) peak = i;
  if (peak < 0) return undefined;
  const level = Math.max(1, Math.ceil(a[peak] / 5));
  const walk = (from: number, step: 1 | -1): number => {
    let edge = from;
    let gap = 0;
    for (let i = from + step; i >= 0 && i < a.length; i += step) {
      if (a[i] >= level) {
        edge = i;
        gap = 0;
      } else if (++gap > MAX_GAP) break;
    }
    return edge;
  };
  let start = walk(peak, -1);
  while (start > 0 && a[start - 1] > 0) start--;
  const last = walk(peak, 1);
  const tail = a.slice(Math.max(last + 1, a.length - QUIET_TO_RECOVER));
  const recovered = a.length - 1 - last >= QUIET_TO_RECOVER && tail.every((v) => v < level);
  return { start, peak, last, recovered };
}

const SERIES_NAME = {
  metrics: "HTTPCode_ELB_5XX_Count+HTTPCode_Target_5XX_Count",
  "access-logs": "access-logs",
};

/** The onset of the window's series, widened with the snapshot's lead counts when errors were there at its start. */
export function findOnset(s: Snapshot, series: ReportSeries, logs?: ReportSeries): Onset | undefined {
  const windowEp = episodeOf(series.errors5xx);
  if (!windowEp) return undefined;
  const times = series.times;
  const step = series.periodSeconds * 1000;
  const at = (i: number) => times[i] ?? new Date(Date.parse(times[0]) + i * step).toISOString();
  const onset: Onset = {
    start: at(windowEp.start),
    peak: at(windowEp.peak),
    end: windowEp.recovered ? at(windowEp.last + 1) : null,
    series: SERIES_NAME[series.source],
    peakCount: series.errors5xx[windowEp.peak],
    periodSeconds: series.periodSeconds,
  };
  if (windowEp.start === 0) Object.assign(onset, widened(s, series));
  if (logs && series.source === "metrics") {
    const agreement = compare(series, logs);
    if (agreement) onset.agreement = agreement;
  }
  return onset;
}

/** Where the episode began, searched in the lead before the window (same period). */
function widened(s: Snapshot, series: ReportSeries): Partial<Onset> {
  const lead = s.metricsLead;
  const windowStart = series.times[0];
  if (!lead || series.source !== "metrics")
    return { beforeWindow: true, startFound: false, searchedFrom: windowStart };
  const grid = gridOf({ start: lead.start, end: windowStart }, series.periodSeconds);
  const before = metricErrors5xx(lead.metrics, grid);
  if (!before) return { beforeWindow: true, startFound: false, searchedFrom: windowStart };
  const all = [...before, ...series.errors5xx];
  // The peak stays the window's own; only the start moves back.
  const ep = episodeOf(all, before.length);
  if (!ep) return { beforeWindow: true, startFound: false, searchedFrom: windowStart };
  const startFound = ep.start > 0;
  return {
    beforeWindow: true,
    startFound,
    searchedFrom: new Date(grid.startMs).toISOString(),
    start: new Date(grid.startMs + ep.start * series.periodSeconds * 1000).toISOString(),
  };
}

/**
 * CloudWatch and the access logs count the same requests, so over the intervals the logs cover (delivery lags
 * by up to 5 minutes) they must agree: totals within 10% (or 2), and the same first interval with errors.
 */
function compare(metrics: ReportSeries, logs: ReportSeries): Onset["agreement"] {
  const covered = (logs.requests ?? []).map((r, i) => r > 0 || logs.errors5xx[i] > 0);
  if (!covered.some(Boolean)) return undefined;
  let m = 0;
  let l = 0;
  covered.forEach((c, i) => {
    if (!c) return;
    m += metrics.errors5xx[i] ?? 0;
    l += logs.errors5xx[i] ?? 0;
  });
  const first = (a: number[]) => a.findIndex((v, i) => covered[i] && v > 0);
  const totalsAgree = Math.abs(m - l) <= Math.max(2, 0.1 * Math.max(m, l));
  const fm = first(metrics.errors5xx);
  const fl = first(logs.errors5xx);
  const startsAgree = fm < 0 || fl < 0 ? fm === fl : Math.abs(fm - fl) <= 1;
  const minutes = covered.filter(Boolean).length;
  const detail =
    `CloudWatch counts ${m} 5xx and the access logs ${l} over the ${minutes} intervals the logs cover` +
    (startsAgree
      ? ""
      : `; the first errors differ (${metrics.times[fm] ?? "none"} vs ${logs.times[fl] ?? "none"})`);
  return { with: "access-logs", agrees: totalsAgree && startsAgree, detail };
}
