/**
 * Keep-alive race or malformed response? Decided by how the ALB-generated 502s that reached a target spread,
 * never by one row shape (alb-facts §10): both `-1 -1 -1 502 -` and `0.000 0.001 -1 502 -` rows come from
 * races and from unparsable responses. A race hits whatever request goes out on a connection the target is
 * closing, so its 502s follow the traffic: spread over the paths of the affected groups in proportion to
 * their requests, rare per request (1 in 10^3..10^5), with tiny (or idle-gap) target times. A malformed
 * response comes from one endpoint or response type: its 502s pile up on a few paths, far above their share
 * of the traffic, at a steady per-path rate, with target times like that path's normal latency.
 *
 * A path is "hot" when it holds more of the 502s than of the traffic (1.5 times its share or more) and a
 * proportional spread could hardly put that many there (binomial tail below 1e-3, Chernoff bound). Rows on a
 * hot path read as malformed when that path fails often enough to be a steady rate (0.5% of its requests or
 * more) or when their target times look like the path's normal latency; so do rows on any path failing more
 * than 2% of its requests with normal-looking target times (too frequent for a race). The others read as a
 * race. Both checks (keepalive.ts, malformed.ts) use this split, so they never both claim the same rows.
 */
import type { BucketStats, LogSummary } from "../../domain/log-summary.ts";
import { listFew, pct, secs } from "./logs.ts";

const CLOSED = "elb-502-target-closed" as const;
const MEASURED = "elb-502-malformed-response" as const;
/** Tail probability under a proportional spread below which a pile-up on a path is not chance. */
const HOT_TAIL = 1e-3;
/** A path failing this share of its requests has a steady failure, not a race's 1 in 10^3..10^5. */
export const STEADY_PATH_RATE = 0.005;
/** Over this rate per request, 502s are too frequent for a race alone. */
export const RACE_MAX_RATE = 0.02;
const OTHER = "(other)";

export type Timing = "tiny" | "like-normal" | "longer" | "unknown";

export interface PathRows {
  path: string;
  requests: number;
  /** Share of the requests of the groups that have such 502s. */
  trafficShare: number;
  closed: number;
  measured: number;
  /** (closed + measured) / requests. */
  rate: number;
  timing: Timing;
  measuredMeanSeconds?: number;
  normalMeanSeconds?: number;
  targetGroup?: string;
  hot: boolean;
  /** Hot, and at a steady rate or with normal-looking target times: read as malformed. */
  malformed: boolean;
}

export interface Distribution {
  /** Both shapes: 502s with a target chosen and target_status_code "-". */
  total: number;
  closed: number;
  measured: number;
  /** Requests of the groups (paths) the 502s landed in. */
  requests: number;
  paths: PathRows[];
  pathsWithRows: number;
  /** Rows the path map holds (the others' spread is unknown). */
  placed: number;
  /** Rows read as malformed (on hot paths), and the rest, read as a race. */
  malformedRows: number;
  raceRows: number;
  /** Of the race rows, those with a measured target time. */
  raceMeasured: number;
  /** Target times of the measured race rows against their paths' normal latency. */
  raceTiming: Timing;
  raceMeasuredMeanSeconds?: number;
  raceNormalMeanSeconds?: number;
}

const count = (b: BucketStats, k: typeof CLOSED | typeof MEASURED) => b.classes[k] ?? 0;

/** Chernoff bound of P(X >= k) for X ~ Binomial(n, p). */
export function binomialTail(k: number, n: number, p: number): number {
  if (n <= 0 || k <= n * p) return 1;
  if (p <= 0) return 0;
  const a = k / n;
  if (a >= 1) return Math.pow(p, n);
  const d = a * Math.log(a / p) + (1 - a) * Math.log((1 - a) / (1 - p));
  return Math.exp(-n * d);
}

export function timingOf(measuredMean: number | undefined, normalMean: number | undefined): Timing {
  if (measuredMean === undefined || normalMean === undefined || normalMean <= 0) return "unknown";
  if (measuredMean >= normalMean / 3 && measuredMean <= normalMean * 3 && normalMean >= 0.005) {
    return "like-normal";
  }
  if (measuredMean < normalMean / 5 || measuredMean < 0.005) return "tiny";
  return measuredMean > normalMean * 3 ? "longer" : "unknown";
}

export function distributionOf(logs: LogSummary): Distribution {
  const entries = Object.entries(logs.byPath);
  const withRows = entries.filter(([, b]) => count(b, CLOSED) + count(b, MEASURED) > 0);
  // The groups the 502s landed in: a race follows the traffic of the backend that races, not of the LB.
  const groups = new Set(withRows.map(([, b]) => b.targetGroup).filter((g): g is string => Boolean(g)));
  const considered =
    groups.size === 0 ? entries : entries.filter(([, b]) => !b.targetGroup || groups.has(b.targetGroup));
  // Without group data per path, the whole window's traffic is the base (byPath may hold only a few paths).
  const pathRequests = considered.reduce((a, [, b]) => a + b.requests, 0);
  const requests = groups.size === 0 ? Math.max(pathRequests, logs.lines.inWindow) : pathRequests;
  let placedClosed = 0;
  let placedMeasured = 0;
  for (const [, b] of withRows) {
    placedClosed += count(b, CLOSED);
    placedMeasured += count(b, MEASURED);
  }
  // Rows the path map does not hold (a summary without paths): their spread is unknown, they stay unplaced.
  const closed = Math.max(placedClosed, logs.byClass[CLOSED] ?? 0);
  const measured = Math.max(placedMeasured, logs.byClass[MEASURED] ?? 0);
  const total = closed + measured;
  const placed = placedClosed + placedMeasured;
  const paths: PathRows[] = withRows.map(([path, b]) => {
    const c = count(b, CLOSED);
    const m = count(b, MEASURED);
    const n = c + m;
    const trafficShare = requests > 0 ? b.requests / requests : 0;
    const timing = timingOf(b.measured502MeanSeconds, b.answered?.meanSeconds);
    const hot =
      path !== OTHER &&
      n >= 3 &&
      n / placed >= 1.5 * trafficShare &&
      binomialTail(n, placed, trafficShare) < HOT_TAIL;
    const rate = b.requests > 0 ? n / b.requests : 1;
    return {
      path,
      requests: b.requests,
      trafficShare,
      closed: c,
      measured: m,
      rate,
      timing,
      measuredMeanSeconds: b.measured502MeanSeconds,
      normalMeanSeconds: b.answered?.meanSeconds,
      targetGroup: b.targetGroup,
      hot,
      malformed:
        (hot && (rate >= STEADY_PATH_RATE || timing === "like-normal")) ||
        (n >= 3 && rate >= RACE_MAX_RATE && timing === "like-normal"),
    };
  });
  paths.sort((a, b) => b.closed + b.measured - (a.closed + a.measured) || (a.path < b.path ? -1 : 1));
  const malformedRows = paths.filter((p) => p.malformed).reduce((a, p) => a + p.closed + p.measured, 0);
  const race = paths.filter((p) => !p.malformed);
  const raceMeasured = race.reduce((a, p) => a + p.measured, 0) + (measured - placedMeasured);
  // Weighted means over the race rows' paths: the 502s' target times, and the same paths' normal latency.
  let wm = 0;
  let wn = 0;
  let w = 0;
  for (const p of race) {
    if (p.measured === 0 || p.measuredMeanSeconds === undefined || p.normalMeanSeconds === undefined)
      continue;
    wm += p.measured * p.measuredMeanSeconds;
    wn += p.measured * p.normalMeanSeconds;
    w += p.measured;
  }
  const raceMeasuredMeanSeconds = w > 0 ? wm / w : undefined;
  const raceNormalMeanSeconds = w > 0 ? wn / w : undefined;
  return {
    total,
    closed,
    measured,
    requests,
    paths,
    placed,
    pathsWithRows: withRows.length,
    malformedRows,
    raceRows: total - malformedRows,
    raceMeasured,
    raceTiming: timingOf(raceMeasuredMeanSeconds, raceNormalMeanSeconds),
    raceMeasuredMeanSeconds,
    raceNormalMeanSeconds,
  };
}

/** "1 in 2,400 requests" */
export function oneIn(errors: number, requests: number): string {
  if (errors <= 0 || requests <= 0) return "none";
  const n = requests / errors;
  return n < 1.5
    ? `${pct(errors, requests)} of requests`
    : `1 in ${Math.round(n).toLocaleString("en-US")} requests`;
}

function shapes(closed: number, measured: number): string {
  const parts = [];
  if (closed) parts.push(`${closed} as '-1 -1 -1'`);
  if (measured) parts.push(`${measured} with a target time but no response`);
  return parts.join(", ");
}

/** The evidence a race reading rests on: spread, rate, timing. */
export function raceEvidence(d: Distribution): string[] {
  const race = d.paths.filter((p) => !p.malformed);
  const out: string[] = [];
  const top = race[0];
  const placed = race.reduce((a, p) => a + p.closed + p.measured, 0);
  const rows = `the ${d.raceRows} 502s without a response (${shapes(d.raceRows - d.raceMeasured, d.raceMeasured)})`;
  if (race.length >= 2 && top) {
    out.push(
      `${rows} spread over ${race.length} paths in proportion to their traffic: the path with the most, ${top.path}, has ${pct(top.closed + top.measured, placed)} of them and ${pct(top.requests, d.requests)} of the requests`,
    );
  } else if (top) {
    const alone = d.pathsWithRows === 1 && top.trafficShare >= 0.5;
    out.push(
      `${rows} are on ${top.path}${alone ? `, which carries ${pct(top.requests, d.requests)} of the affected group's requests: no pile-up beyond its traffic` : ""}`,
    );
  } else {
    out.push(`${rows}: how they spread over paths is unknown (no per-path counts)`);
  }
  out.push(
    `rate: ${oneIn(d.raceRows, d.requests)} (${d.requests} requests to the affected groups): ${d.raceRows / Math.max(1, d.requests) <= RACE_MAX_RATE ? "rare, as races are (1 in 10^3 to 10^5)" : "more frequent than a race alone explains"}`,
  );
  if (
    d.raceMeasured > 0 &&
    d.raceMeasuredMeanSeconds !== undefined &&
    d.raceNormalMeanSeconds !== undefined
  ) {
    const m = secs(d.raceMeasuredMeanSeconds);
    const n = secs(d.raceNormalMeanSeconds);
    const what =
      d.raceTiming === "tiny"
        ? "the connection was gone as the request went out"
        : d.raceTiming === "longer"
          ? "longer than a normal answer: the connection sat idle and was closed"
          : d.raceTiming === "like-normal"
            ? "like a normal answer, which fits a bad response better; the spread says race"
            : "inconclusive";
    out.push(
      `the ${d.raceMeasured} 502s with a target time average ${m} against ${n} for answered requests on the same paths: ${what}`,
    );
  }
  return out;
}

/** The evidence a malformed reading rests on: the hot paths, their rate, their timing. */
export function malformedEvidence(d: Distribution): string[] {
  const hot = d.paths.filter((p) => p.malformed);
  if (hot.length === 0) return [];
  const out = [
    `${d.malformedRows} of ${d.total} 502s without a response pile up on ${listFew(hot.map((p) => p.path))}, far beyond ${hot.length === 1 ? "its" : "their"} share of the traffic (${listFew(hot.map((p) => `${p.path}: ${pct(p.closed + p.measured, d.total)} of the 502s, ${pct(p.requests, d.requests)} of the requests`))})`,
    `a steady per-path rate: ${listFew(hot.map((p) => `${p.path} fails ${oneIn(p.closed + p.measured, p.requests)}`))}, while the other paths ${d.raceRows === 0 ? "have none" : `have ${d.raceRows}`}`,
  ];
  const timed = hot.filter((p) => p.measuredMeanSeconds !== undefined && p.normalMeanSeconds !== undefined);
  if (timed.length) {
    out.push(
      `target times of those 502s: ${listFew(timed.map((p) => `${p.path} ${secs(p.measuredMeanSeconds!)} against its normal ${secs(p.normalMeanSeconds!)}${p.timing === "like-normal" ? " (alike: the target answered, the ALB could not parse it)" : ""}`))}`,
    );
  }
  return out;
}
