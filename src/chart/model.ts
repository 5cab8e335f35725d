/**
 * One chart of the window, whatever draws it (Slack's data_visualization block, the PNG, the sparkline):
 * the report's timeline bucketed to at most `maxPoints` intervals, 5xx series by class (the biggest first,
 * the rest folded into "Other 5xx" past `maxSeries`), target p99 and unhealthy targets, and where the onset
 * and the changes fall. Pure and deterministic: the same report gives the same chart.
 */
import {
  TIMELINE_CLASSES,
  type Change,
  type Report,
  type TimelineClass,
  type TimelinePoint,
} from "../domain/report.ts";

/** Legend names: our own words, at most 20 characters (Slack's limit for a series name). */
export const CLASS_NAMES: Record<TimelineClass, string> = {
  elb502: "ELB 502",
  elb503: "ELB 503",
  elb504: "ELB 504",
  target5xx: "Target 5xx",
  elbOther: "ELB 5xx other",
  c460: "460 client closed",
  c464: "464 protocol",
};
export const OTHER_NAME = "Other 5xx";

export interface ChartSeries {
  name: string;
  /** The classes the series adds up (one, or several for "Other 5xx"). */
  classes: TimelineClass[];
  values: number[];
  total: number;
}

export interface ChartMarker {
  index: number;
  kind: "onset" | "change";
  time: string;
  change?: Change;
}

export interface ChartModel {
  /** Seconds per bucket, and how many timeline points one bucket holds. */
  intervalSeconds: number;
  factor: number;
  /** Bucket start times (ISO). */
  times: string[];
  errors: ChartSeries[];
  /** Per bucket; null where unknown. Absent when never known in the window. */
  p99?: (number | null)[];
  unhealthy?: (number | null)[];
  markers: ChartMarker[];
  /** Classes folded into "Other 5xx" to stay within maxSeries (0 when none). */
  folded: number;
}

export interface ChartOptions {
  maxPoints?: number;
  maxSeries?: number;
}

/** The chart of a report, or undefined when there is nothing to draw (no timeline, or no 5xx at all). */
export function chartModel(report: Report, options: ChartOptions = {}): ChartModel | undefined {
  const timeline = report.timeline;
  if (!timeline || timeline.points.length === 0) return undefined;
  const maxPoints = Math.max(1, options.maxPoints ?? Infinity);
  const factor = Math.max(1, Math.ceil(timeline.points.length / maxPoints));
  const buckets = chunk(timeline.points, factor);
  const step = timeline.intervalSeconds * factor * 1000;

  const perClass = TIMELINE_CLASSES.map((cls) => {
    const values = buckets.map((b) => b.reduce((a, p) => a + (p.errors[cls] ?? 0), 0));
    return { name: CLASS_NAMES[cls], classes: [cls], values, total: sum(values) };
  }).filter((s) => s.total > 0);
  if (perClass.length === 0) return undefined;
  const { series, folded } = fold(perClass, Math.max(1, options.maxSeries ?? Infinity));

  const times = buckets.map((b) => b[0].t);
  const indexOf = (iso: string): number | undefined => {
    const i = Math.floor((Date.parse(iso) - Date.parse(times[0])) / step);
    return Number.isFinite(i) && i >= 0 && i < times.length ? i : undefined;
  };
  const markers: ChartMarker[] = [];
  const onset = report.onset;
  if (onset && !onset.beforeWindow) {
    const index = indexOf(onset.start);
    if (index !== undefined) markers.push({ index, kind: "onset", time: onset.start });
  }
  for (const change of report.changes ?? []) {
    const index = indexOf(change.time);
    if (index !== undefined) markers.push({ index, kind: "change", time: change.time, change });
  }
  markers.sort((a, b) => a.index - b.index || a.time.localeCompare(b.time));

  return {
    intervalSeconds: timeline.intervalSeconds * factor,
    factor,
    times,
    errors: series,
    ...known(
      "p99",
      buckets.map((b) => peak(b, (p) => p.p99)),
    ),
    ...known(
      "unhealthy",
      buckets.map((b) => peak(b, (p) => p.unhealthy)),
    ),
    markers,
    folded,
  };
}

/** Total 5xx per bucket over every series (the sparkline's values). */
export function totals(model: ChartModel): number[] {
  return model.times.map((_, i) => model.errors.reduce((a, s) => a + s.values[i], 0));
}

/** "3 min", "1 h": the bucket length for titles and axis labels. */
export function intervalWords(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "14:05", or "03-15 14:05" when the chart spans more than one UTC day. */
export function timeLabel(iso: string, multiDay: boolean): string {
  const d = new Date(iso);
  const hm = d.toISOString().slice(11, 16);
  return multiDay ? `${d.toISOString().slice(5, 10)} ${hm}` : hm;
}

export function spansDays(model: ChartModel): boolean {
  const first = model.times[0].slice(0, 10);
  return model.times.some((t) => t.slice(0, 10) !== first);
}

function fold(series: ChartSeries[], maxSeries: number): { series: ChartSeries[]; folded: number } {
  if (series.length <= maxSeries) return { series, folded: 0 };
  // The biggest keep their own line; the order of the rest follows TIMELINE_CLASSES, not size.
  const kept = new Set([...series].sort((a, b) => b.total - a.total).slice(0, maxSeries - 1));
  const rest = series.filter((s) => !kept.has(s));
  const other: ChartSeries = {
    name: OTHER_NAME,
    classes: rest.flatMap((s) => s.classes),
    values: rest[0].values.map((_, i) => rest.reduce((a, s) => a + s.values[i], 0)),
    total: rest.reduce((a, s) => a + s.total, 0),
  };
  return { series: [...series.filter((s) => kept.has(s)), other], folded: rest.length };
}

function chunk(points: TimelinePoint[], size: number): TimelinePoint[][] {
  const out: TimelinePoint[][] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size));
  return out;
}

function peak(bucket: TimelinePoint[], get: (p: TimelinePoint) => number | null): number | null {
  const values = bucket.map(get).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

function known<K extends "p99" | "unhealthy">(key: K, values: (number | null)[]) {
  return (values.some((v) => v !== null) ? { [key]: values } : {}) as Partial<Record<K, (number | null)[]>>;
}

function sum(values: number[]): number {
  return values.reduce((a, v) => a + v, 0);
}
