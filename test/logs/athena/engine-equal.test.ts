/**
 * For every shipped scenario with access logs, the Athena engine (the real @aws-sdk/client-athena against
 * the simulator's Athena, over the same simulated S3 objects) gives the streaming engine's LogSummary:
 * every count equal, quantiles within the sketch's relative error. Two windows per scenario: all its files,
 * and one cut through the middle (lines on both sides of the bounds).
 */
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import type { BucketStats, LogSummary, Quantiles } from "../../../src/domain/log-summary.ts";
import { OTHER_KEY } from "../../../src/logs/buckets.ts";
import { analyzeWindow } from "../../../src/logs/analyze.ts";
import { analyzeWindowAthena, forgetCreatedTables } from "../../../src/logs/athena/engine.ts";
import { DEFAULT_RELATIVE_ACCURACY } from "../../../src/logs/sketch.ts";
import { listWindowObjects } from "../../../src/logs/window.ts";
import { lbFileId, parseLogKey } from "../../../src/logs/keys.ts";
import { startTestSim } from "../../helpers/sim.ts";

const dir = "scenarios";
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
const withLogs = files.filter(
  (f) => (parse(readFileSync(`${dir}/${f}`, "utf8")) as { accessLogs?: unknown }).accessLogs,
);

/**
 * Non-integer numbers to 9 decimals: the streaming parser computes 1.941 as 1 + 941/1000
 * (1.9409999999999998), Athena parses it as a double; counts are integers and compare exactly.
 */
function round9(x: unknown): unknown {
  if (typeof x === "number") return Number.isInteger(x) ? x : Math.round(x * 1e9) / 1e9;
  if (Array.isArray(x)) return x.map(round9);
  if (x && typeof x === "object")
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round9(v)]));
  return x;
}

type Buckets = Record<string, BucketStats>;
const weight = (b: BucketStats) => Object.values(b.errors).reduce((a, v) => a + v, 0) * 1e9 + b.requests;

/**
 * A top-N map with its ties at the cut folded: which of several equally heavy keys stays out of "(other)"
 * depends on the order lines arrive in (objects are read concurrently), in either engine. Keys heavier
 * than the lightest kept one compare whole; the rest compare as one bucket of requests and errors.
 */
function foldTies(m: Buckets | undefined): Buckets | undefined {
  if (!m || !(OTHER_KEY in m)) return m;
  const kept = Object.entries(m).filter(([k]) => k !== OTHER_KEY);
  const cut = Math.min(...kept.map(([, b]) => weight(b)));
  const out: Buckets = {};
  const rest: BucketStats = { requests: 0, errors: {}, classes: {} };
  for (const [k, b] of Object.entries(m)) {
    if (k !== OTHER_KEY && weight(b) > cut) {
      out[k] = b;
      continue;
    }
    rest.requests += b.requests;
    for (const [s, n] of Object.entries(b.errors)) rest.errors[s] = (rest.errors[s] ?? 0) + n;
    for (const [c, n] of Object.entries(b.classes)) {
      const key = c as keyof BucketStats["classes"];
      rest.classes[key] = (rest.classes[key] ?? 0) + (n ?? 0);
    }
  }
  out["(ties and other)"] = rest;
  return out;
}

/** The summary without what legitimately differs: timings, samples (which lines), the scan record. */
function comparable(s: LogSummary) {
  const { durationMs: _d, samples, malformedSamples, latency, classDurations, scan: _s, ...rest } = s;
  return round9({
    ...rest,
    byTarget: foldTies(rest.byTarget),
    byTargetGroup: foldTies(rest.byTargetGroup),
    byPath: foldTies(rest.byPath),
    byAgent: foldTies(rest.byAgent),
    sampleCounts: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v?.length])),
    malformedSampleCount: malformedSamples?.length ?? 0,
    counts: {
      tpt: latency.targetProcessing.count,
      total: latency.total.count,
      classes: Object.fromEntries(Object.entries(classDurations ?? {}).map(([k, q]) => [k, q?.count])),
    },
    max: { tpt: latency.targetProcessing.max, total: latency.total.max },
  });
}

/**
 * The sketch answers within its relative accuracy of the value at rank q*(n-1); approx_percentile (exact in
 * the simulator) may pick the neighbouring rank, which for sub-millisecond durations differs by tens of
 * microseconds: hence the absolute 0.1 ms beside the relative error.
 */
function closeQuantiles(a: Quantiles, b: Quantiles, what: string): void {
  for (const k of ["p50", "p90", "p99"] as const) {
    const x = a[k];
    const y = b[k];
    if (x === null || y === null) {
      expect(x, `${what}.${k}`).toBe(y);
      continue;
    }
    const tol = 2 * DEFAULT_RELATIVE_ACCURACY * Math.max(Math.abs(x), Math.abs(y)) + 1e-4;
    expect(Math.abs(x - y), `${what}.${k}: stream ${x}, athena ${y}`).toBeLessThanOrEqual(tol);
  }
}

afterAll(() => forgetCreatedTables());

describe("Athena engine == streaming engine on every shipped scenario with access logs", () => {
  // faults.yaml denies the bucket to the bot: the streaming engine reports that, there is nothing to compare.
  it.each(withLogs.filter((f) => f !== "faults.yaml"))("%s", { timeout: 120_000 }, async (file) => {
    const data = parse(readFileSync(`${dir}/${file}`, "utf8")) as Record<string, unknown>;
    const sim = await startTestSim({
      ...data,
      buckets: [...((data.buckets as unknown[]) ?? []), { Name: "athena-results-equal" }],
      athena: {},
    });
    try {
      for (const lb of sim.world.loadBalancers) {
        const attrs = lb.Attributes;
        if (attrs["access_logs.s3.enabled"] !== "true") continue;
        const loc = {
          bucket: attrs["access_logs.s3.bucket"],
          prefix: attrs["access_logs.s3.prefix"] || undefined,
          accountId: sim.world.accountId,
          region: sim.world.region,
          lbResourceId: `app/${lb.LoadBalancerName}/${lb.Id}`,
        };
        const idleTimeoutSeconds = Number(attrs["idle_timeout.timeout_seconds"] ?? 60) || 60;
        // The files' interval ends, from the simulated bucket itself (no listing of every day since 1970).
        const ends = [...(sim.world.buckets.get(loc.bucket)?.Objects.keys() ?? [])]
          .map((k) => parseLogKey(k))
          .filter((k) => k !== null && k.lbFileId === lbFileId(loc.lbResourceId))
          .map((k) => k!.endMs)
          .sort((a, b) => a - b);
        if (ends.length === 0) continue;
        const first = ends[0] - 5 * 60_000;
        const last = ends.at(-1)! + 60_000;
        const windows = [
          { start: new Date(first), end: new Date(last) },
          { start: new Date((first + last) / 2 - 150_000), end: new Date(last - 61_000) },
        ];
        for (const window of windows) {
          const stream = await analyzeWindow({
            s3: sim.clients.s3,
            ...loc,
            window,
            idleTimeoutSeconds,
            workers: 0,
          });
          const objects = await listWindowObjects(sim.clients.s3, loc, {
            startMs: window.start.getTime(),
            endMs: window.end.getTime(),
          });
          const athena = await analyzeWindowAthena({
            athena: sim.clients.athena!,
            config: {
              workGroup: "primary",
              outputLocation: "s3://athena-results-equal/q/",
              database: "albdoctor",
            },
            ...loc,
            window,
            idleTimeoutSeconds,
            objects,
            pollMs: 5,
          });
          expect(stream.lines.inWindow, `${file}: lines in the window`).toBeGreaterThanOrEqual(0);
          expect(comparable(athena), `${file} ${window.start.toISOString()}`).toEqual(comparable(stream));
          closeQuantiles(
            stream.latency.targetProcessing,
            athena.latency.targetProcessing,
            "targetProcessing",
          );
          closeQuantiles(stream.latency.total, athena.latency.total, "total");
          for (const [cls, q] of Object.entries(stream.classDurations ?? {}))
            closeQuantiles(q!, athena.classDurations![cls as keyof typeof athena.classDurations]!, cls);
          expect(athena.scan?.engine).toBe("athena");
          expect(athena.scan?.scannedBytes).toBeGreaterThan(0);
        }
      }
    } finally {
      forgetCreatedTables();
      await sim.close();
    }
  });
});
