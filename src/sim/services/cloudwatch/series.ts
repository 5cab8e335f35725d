/**
 * Reading the scenario's metric series as CloudWatch would: find the series whose identity matches
 * exactly (namespace, name, and the SAME dimension set: CloudWatch never aggregates across dimension
 * combinations it was not sent), then re-aggregate its stored periods into the requested Period.
 *
 * Aggregation of several stored periods into one requested period:
 *   Sum and SampleCount add up; Maximum is the max and Minimum the min; Average is weighted by
 *   SampleCount when the series has it (else the plain mean of the sub-period averages).
 *   Percentiles (pNN) cannot be recombined from sub-period percentiles; we take the MAX of the
 *   sub-period values, an upper bound that keeps "p99 near the idle timeout" visible. This is an
 *   approximation of what CloudWatch computes from the raw samples.
 * A requested Period shorter than the stored one returns the stored periods as they are.
 */
import { SimError } from "../../contract.ts";
import type { MetricW, World } from "../../world.ts";

export interface MetricId {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name?: string; Value?: string }[];
}

export interface Point {
  /** Start of the period (CloudWatch stamps a datapoint with its period's start). */
  start: number;
  value: number;
}

const BASIC = new Set(["Sum", "Average", "Minimum", "Maximum", "SampleCount"]);
const PERCENTILE = /^p(\d{1,2}(\.\d+)?|100(\.0+)?)$/;

/** Canonical name of a statistic, or undefined when CloudWatch would not accept it. */
export function canonicalStat(stat: string): string | undefined {
  if (BASIC.has(stat)) return stat;
  if (PERCENTILE.test(stat)) return `p${Number(stat.slice(1))}`;
  return undefined;
}

export function findSeries(world: World, id: MetricId): MetricW | undefined {
  const want = (id.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort();
  return world.metrics.find((m) => {
    if (m.Namespace !== id.Namespace || m.MetricName !== id.MetricName) return false;
    const have = m.Dimensions.map((d) => `${d.Name}=${d.Value}`).sort();
    return have.length === want.length && have.every((x, i) => x === want[i]);
  });
}

export function unitOf(m: MetricW): string {
  if (m.Unit) return m.Unit;
  if (m.MetricName === "TargetResponseTime") return "Seconds";
  if (m.MetricName === "ELBAuthLatency") return "Milliseconds";
  if (/Bytes$/.test(m.MetricName)) return "Bytes";
  return "Count";
}

/** The stored values of one statistic per stored period, deriving Sum/SampleCount where the series allows. */
function storedValues(m: MetricW, stat: string): (number | undefined)[] | undefined {
  const s = m.Stats;
  const key = Object.keys(s).find((k) => canonicalStat(k) === stat);
  if (key) return s[key];
  if (stat === "Sum" && s.Average && s.SampleCount) return s.Average.map((a, i) => a * s.SampleCount[i]);
  if (stat === "SampleCount" && s.Sum && s.Average) {
    return s.Sum.map((sum, i) => (s.Average[i] ? sum / s.Average[i] : undefined));
  }
  return undefined;
}

function combine(stat: string, values: number[], weights: number[] | undefined): number {
  switch (stat) {
    case "Sum":
    case "SampleCount":
      return values.reduce((a, b) => a + b, 0);
    case "Minimum":
      return Math.min(...values);
    case "Average": {
      if (weights && weights.some((w) => w > 0)) {
        const total = weights.reduce((a, b) => a + b, 0);
        return values.reduce((a, v, i) => a + v * weights[i], 0) / total;
      }
      return values.reduce((a, b) => a + b, 0) / values.length;
    }
    default:
      // Maximum, and percentiles: the max of sub-period percentiles (see the header comment).
      return Math.max(...values);
  }
}

/**
 * Datapoints of `stat` for the window [start, end), in periods of `period` seconds aligned to multiples
 * of the period since the epoch, ascending by time.
 */
export function datapoints(m: MetricW, stat: string, start: Date, end: Date, period: number): Point[] {
  const values = storedValues(m, stat);
  if (!values) return [];
  const weights = stat === "Average" ? storedValues(m, "SampleCount") : undefined;
  const n = values.length;
  const stored = m.Period * 1000;
  const bucketMs = Math.max(period * 1000, stored);
  const buckets = new Map<number, { v: number[]; w: number[] }>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === undefined || v === null || Number.isNaN(v)) continue;
    const pointStart = m.End.getTime() - (n - i) * stored;
    const bucket = Math.floor(pointStart / bucketMs) * bucketMs;
    const b = buckets.get(bucket) ?? { v: [], w: [] };
    b.v.push(v);
    b.w.push(weights?.[i] ?? 0);
    buckets.set(bucket, b);
  }
  const from = Math.floor(start.getTime() / bucketMs) * bucketMs;
  return [...buckets.entries()]
    .filter(([t]) => t >= from && t < end.getTime())
    .sort((a, b) => a[0] - b[0])
    .map(([t, b]) => ({ start: t, value: combine(stat, b.v, weights ? b.w : undefined) }));
}

export function checkPeriod(period: number | undefined, name: string): number {
  if (period === undefined) throw new SimError("MissingParameter", `The parameter ${name} is required.`);
  const ok =
    Number.isInteger(period) && (period >= 60 ? period % 60 === 0 : [1, 5, 10, 20, 30].includes(period));
  if (!ok) {
    throw new SimError(
      "InvalidParameterValue",
      `The parameter ${name} must be 1, 5, 10, 20, 30, or a multiple of 60, got ${period}.`,
    );
  }
  return period;
}

/** Timestamps arrive as Dates (query, CBOR tag 1), epoch seconds (JSON) or ISO strings. */
export function toDate(v: unknown, name: string): Date {
  let d: Date | undefined;
  if (v instanceof Date) d = v;
  else if (typeof v === "number") d = new Date(v * 1000);
  else if (typeof v === "string") d = /^\d+(\.\d+)?$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
  else if (v && typeof v === "object" && "value" in v) d = toDate((v as { value: unknown }).value, name);
  if (v === undefined || v === null)
    throw new SimError("MissingParameter", `The parameter ${name} is required.`);
  if (!d || Number.isNaN(d.getTime())) {
    throw new SimError(
      "InvalidParameterValue",
      `The parameter ${name} must be a timestamp, got ${JSON.stringify(v)}.`,
    );
  }
  return d;
}

export function checkWindow(start: Date, end: Date): void {
  if (start.getTime() >= end.getTime()) {
    throw new SimError(
      "InvalidParameterValue",
      "The parameter StartTime must be less than the parameter EndTime.",
    );
  }
}
