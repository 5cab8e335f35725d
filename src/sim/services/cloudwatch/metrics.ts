/**
 * CloudWatch GetMetricData and GetMetricStatistics over the scenario's series, with CloudWatch's
 * validation (statistic names, periods, windows, the 1,440-datapoint limit of GetMetricStatistics) and
 * GetMetricData's MaxDatapoints / NextToken paging. Inputs and outputs are in the SDK's shapes; the
 * protocol layer (../cloudwatch.ts) turns them into JSON, CBOR or query XML.
 */
import type {
  GetMetricDataInput,
  GetMetricStatisticsInput,
  MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { createHash } from "node:crypto";
import { SimError } from "../../contract.ts";
import type { World } from "../../world.ts";
import { canonicalStat, checkPeriod, checkWindow, datapoints, findSeries, toDate, unitOf } from "./series.ts";

const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

interface QueryResult {
  Id: string;
  Label: string;
  /** Descending or ascending per ScanBy. */
  points: { t: number; v: number }[];
}

function evaluate(q: MetricDataQuery, i: number, start: Date, end: Date, world: World): QueryResult {
  const where = `MetricDataQueries.member.${i + 1}`;
  if (!q.Id || !ID_RE.test(q.Id)) {
    throw new SimError(
      "ValidationError",
      `The value ${q.Id ?? "null"} for parameter ${where}.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.`,
    );
  }
  if (q.Expression !== undefined && q.MetricStat !== undefined) {
    throw new SimError("ValidationError", `${where}: specify exactly one of Expression and MetricStat.`);
  }
  if (q.Expression !== undefined) {
    throw new SimError(
      "ValidationError",
      `${where}.Expression: the simulator does not evaluate metric math or Metrics Insights queries; use MetricStat.`,
    );
  }
  const ms = q.MetricStat;
  if (!ms)
    throw new SimError("ValidationError", `${where}: specify exactly one of Expression and MetricStat.`);
  const period = checkPeriod(ms.Period, `${where}.MetricStat.Period`);
  const stat = canonicalStat(ms.Stat ?? "");
  if (!stat) {
    throw new SimError(
      "ValidationError",
      `The value ${ms.Stat ?? "null"} for parameter ${where}.MetricStat.Stat is not a valid statistic.`,
    );
  }
  if (!ms.Metric?.MetricName || !ms.Metric.Namespace) {
    throw new SimError("MissingParameter", `${where}.MetricStat.Metric needs Namespace and MetricName.`);
  }
  const series = findSeries(world, ms.Metric);
  const unitOk = !ms.Unit || !series || unitOf(series) === ms.Unit;
  const points = series && unitOk ? datapoints(series, stat, start, end, period) : [];
  return {
    Id: q.Id,
    Label: q.Label ?? ms.Metric.MetricName,
    points: points.map((p) => ({ t: p.start, v: p.value })),
  };
}

function tokenFor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64url");
}

function offsetOf(token: string, fingerprint: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; f?: unknown };
    if (typeof v.o === "number" && v.o >= 0 && v.f === fingerprint) return v.o;
  } catch {
    // not one of ours
  }
  throw new SimError("InvalidNextToken", "The service couldn't process the NextToken you gave.");
}

export function getMetricData(input: GetMetricDataInput, world: World) {
  const queries = input.MetricDataQueries ?? [];
  if (!queries.length) {
    throw new SimError("MissingParameter", "The parameter MetricDataQueries is required.");
  }
  if (queries.length > 500) {
    throw new SimError("ValidationError", "MetricDataQueries can contain at most 500 queries.");
  }
  const ids = queries.map((q) => q.Id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new SimError("ValidationError", `The value ${dup} for Id is used by more than one query.`);
  const start = toDate(input.StartTime, "StartTime");
  const end = toDate(input.EndTime, "EndTime");
  checkWindow(start, end);
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
    throw new SimError("ValidationError", `The value ${scanBy} for parameter ScanBy is not valid.`);
  }
  const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(max) || max < 1) {
    throw new SimError("InvalidParameterValue", "The parameter MaxDatapoints must be a positive integer.");
  }

  const results = queries
    .map((q, i) => evaluate(q, i, start, end, world))
    .filter((_, i) => queries[i].ReturnData !== false)
    .map((r) => ({ ...r, points: scanBy === "TimestampDescending" ? [...r.points].reverse() : r.points }));

  // A token is only valid for the same question (queries, window, order).
  const fingerprint = createHash("sha1")
    .update(JSON.stringify([queries, start.getTime(), end.getTime(), scanBy]))
    .digest("base64url")
    .slice(0, 12);
  const offset = input.NextToken ? offsetOf(input.NextToken, fingerprint) : 0;
  const total = results.reduce((n, r) => n + r.points.length, 0);
  let seen = 0;
  const pageEnd = offset + max;
  const MetricDataResults = results.map((r) => {
    const from = Math.min(Math.max(offset - seen, 0), r.points.length);
    const to = Math.min(Math.max(pageEnd - seen, 0), r.points.length);
    seen += r.points.length;
    const slice = r.points.slice(from, to);
    return {
      Id: r.Id,
      Label: r.Label,
      Timestamps: slice.map((p) => new Date(p.t)),
      Values: slice.map((p) => p.v),
      StatusCode: to < r.points.length ? "PartialData" : "Complete",
      Messages: [],
    };
  });
  return {
    MetricDataResults,
    NextToken: pageEnd < total ? tokenFor(pageEnd, fingerprint) : undefined,
    Messages: [],
  };
}

const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

export function getMetricStatistics(input: GetMetricStatisticsInput, world: World) {
  if (!input.Namespace) throw new SimError("MissingParameter", "The parameter Namespace is required.");
  if (!input.MetricName) throw new SimError("MissingParameter", "The parameter MetricName is required.");
  const start = toDate(input.StartTime, "StartTime");
  const end = toDate(input.EndTime, "EndTime");
  checkWindow(start, end);
  const period = checkPeriod(input.Period, "Period");
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  statistics.forEach((s, i) => {
    if (!STATISTICS.includes(s)) {
      throw new SimError(
        "InvalidParameterValue",
        `The parameter Statistics.member.${i + 1} must be a value in the set [ ${STATISTICS.join(", ")} ].`,
      );
    }
  });
  extended.forEach((s, i) => {
    if (!canonicalStat(s)?.startsWith("p")) {
      throw new SimError(
        "InvalidParameterValue",
        `The parameter ExtendedStatistics.member.${i + 1} must be a percentile such as p99 or p99.9, got ${s}.`,
      );
    }
  });
  if (!statistics.length && !extended.length) {
    throw new SimError("MissingParameter", "Must specify either Statistics or ExtendedStatistics.");
  }
  const requested = Math.ceil((end.getTime() - start.getTime()) / (period * 1000));
  if (requested > 1440) {
    throw new SimError(
      "InvalidParameterCombination",
      `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const series = findSeries(world, input);
  const unit = series ? unitOf(series) : undefined;
  const byTime = new Map<number, Record<string, unknown>>();
  const at = (t: number) => {
    let dp = byTime.get(t);
    if (!dp) byTime.set(t, (dp = { Timestamp: new Date(t), Unit: unit }));
    return dp;
  };
  if (series && (!input.Unit || input.Unit === unit)) {
    for (const s of statistics)
      for (const p of datapoints(series, s, start, end, period)) at(p.start)[s] = p.value;
    for (const s of extended) {
      for (const p of datapoints(series, canonicalStat(s)!, start, end, period)) {
        const dp = at(p.start);
        dp.ExtendedStatistics = { ...(dp.ExtendedStatistics as object), [s]: p.value };
      }
    }
  }
  return {
    Label: input.MetricName,
    Datapoints: [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, dp]) => dp),
  };
}
