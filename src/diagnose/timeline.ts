/**
 * The window interval by interval (5xx by class, target p99, unhealthy targets) for the charts and the
 * sparkline. CloudWatch counts are complete, so they come first; the access-log minutes stand in when
 * metrics are missing, and always give 460 and 464, which have no metric of their own.
 */
import type { LogErrorClass, LogSummary } from "../domain/log-summary.ts";
import type { Timeline, TimelineClass, TimelinePoint } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";
import { usableLogs } from "./evidence/logs.ts";
import { metricByMinute, metricsAvailable } from "./evidence/metrics.ts";

/** More slots than this means a broken window; the timeline is then left out rather than built huge. */
const MAX_SLOTS = 2000;

/** Log classes behind each timeline class (ELB-generated only; forwarded target 5xx are target5xx). */
const LOG_CLASSES: Record<TimelineClass, LogErrorClass[]> = {
  elb502: ["elb-502-target-closed", "elb-502-malformed-response"],
  elb503: ["elb-503-no-target"],
  elb504: ["elb-504-idle-timeout", "elb-504-connect-timeout", "elb-504-other"],
  target5xx: ["target-5xx"],
  elbOther: ["elb-5xx-other", "lambda-error", "auth-error", "waf-error"],
  c460: ["client-closed"],
  c464: ["protocol-mismatch"],
};

const METRIC_CLASSES: [TimelineClass, string][] = [
  ["elb502", "HTTPCode_ELB_502_Count"],
  ["elb503", "HTTPCode_ELB_503_Count"],
  ["elb504", "HTTPCode_ELB_504_Count"],
  ["target5xx", "HTTPCode_Target_5XX_Count"],
];

export function buildTimeline(s: Snapshot): Timeline | undefined {
  const logs = usableLogs(s);
  const metrics = metricsAvailable(s) && s.metrics.length > 0;
  if (!metrics && !logs) return undefined;
  const intervalSeconds = metrics ? metricInterval(s) : 60;
  const step = intervalSeconds * 1000;
  const start = Math.floor(Date.parse(s.window.start) / step) * step;
  const end = Date.parse(s.window.end);
  const count = Math.ceil((end - start) / step);
  if (!Number.isFinite(count) || count < 1 || count > MAX_SLOTS) return undefined;
  const points: TimelinePoint[] = Array.from({ length: count }, (_, i) => ({
    t: new Date(start + i * step).toISOString(),
    errors: {},
    p99: null,
    unhealthy: null,
  }));
  const slotOf = (minute: string) => {
    const i = Math.floor((Date.parse(minute) - start) / step);
    return i >= 0 && i < count ? points[i] : undefined;
  };
  const add = (p: TimelinePoint | undefined, cls: TimelineClass, n: number) => {
    if (p && n > 0) p.errors[cls] = (p.errors[cls] ?? 0) + n;
  };

  if (metrics) {
    for (const [cls, metric] of METRIC_CLASSES)
      for (const [m, v] of metricByMinute(s, metric)) add(slotOf(m), cls, v);
    // The 5XX total also counts ELB 500, 505, 561...: what the three named codes leave.
    const named = ["HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count"].map((m) =>
      metricByMinute(s, m),
    );
    for (const [m, v] of metricByMinute(s, "HTTPCode_ELB_5XX_Count"))
      add(slotOf(m), "elbOther", v - named.reduce((a, n) => a + (n.get(m) ?? 0), 0));
  }
  if (logs) addLogMinutes(logs, metrics ? ["c460", "c464"] : Object.keys(LOG_CLASSES), slotOf, add);

  for (const [m, v] of metricByMinute(s, "TargetResponseTime", "p99")) {
    const p = slotOf(m);
    if (p) p.p99 = Math.max(p.p99 ?? 0, v);
  }
  addUnhealthy(s, slotOf);
  return { intervalSeconds, source: metrics ? "metrics" : "access-logs", points };
}

function addLogMinutes(
  logs: LogSummary,
  classes: string[],
  slotOf: (minute: string) => TimelinePoint | undefined,
  add: (p: TimelinePoint | undefined, cls: TimelineClass, n: number) => void,
) {
  for (const [minute, b] of Object.entries(logs.byMinute)) {
    const p = slotOf(minute);
    for (const cls of classes as TimelineClass[])
      add(
        p,
        cls,
        LOG_CLASSES[cls].reduce((a, c) => a + (b.classes[c] ?? 0), 0),
      );
  }
}

/** Per target group the worst value in the interval, added over groups (a target is in one group's count). */
function addUnhealthy(s: Snapshot, slotOf: (minute: string) => TimelinePoint | undefined) {
  for (const tg of s.targetGroups) {
    const worst = new Map<TimelinePoint, number>();
    for (const [m, v] of metricByMinute(s, "UnHealthyHostCount", "Maximum", tg.resourceId)) {
      const p = slotOf(m);
      if (p) worst.set(p, Math.max(worst.get(p) ?? 0, v));
    }
    for (const [p, v] of worst) p.unhealthy = (p.unhealthy ?? 0) + v;
  }
}

/**
 * The CloudWatch period the collector used, read from the datapoints (the smallest gap between two of one
 * series); without two datapoints, the collector's rule for the window's length.
 */
function metricInterval(s: Snapshot): number {
  let gap = Infinity;
  for (const series of s.metrics) {
    for (let i = 1; i < series.points.length; i++) {
      const d = (Date.parse(series.points[i].t) - Date.parse(series.points[i - 1].t)) / 1000;
      if (d > 0 && d < gap) gap = d;
    }
  }
  if (Number.isFinite(gap)) return Math.max(60, Math.round(gap / 60) * 60);
  const seconds = (Date.parse(s.window.end) - Date.parse(s.window.start)) / 1000;
  return seconds <= 3 * 3600 ? 60 : seconds <= 24 * 3600 ? 300 : 3600;
}
