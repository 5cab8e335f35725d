/**
 * Keep-alive race or malformed response, decided by distribution (alb-facts §10): the SAME 502 rows, run
 * through the real log aggregator, read as keepalive-race when they spread over the paths in proportion to
 * the traffic, and as malformed-target-response when they pile up on one path at a steady per-path rate.
 * For every row shape (`-1 -1 -1`, `0.000 0.001 -1`, and a target time like the path's normal one), so no
 * rule on a single row's shape can flip the decision.
 */
import { describe, expect, it } from "vitest";
import { keepaliveCheck } from "../../src/diagnose/checks/keepalive.ts";
import { malformedCheck } from "../../src/diagnose/checks/malformed.ts";
import { binomialTail, distributionOf } from "../../src/diagnose/evidence/distribution.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { accessLogs, buildSnapshot, IDS, metric } from "../helpers/snapshot-builder.ts";

const TARGETS = IDS.instanceIps.map((ip) => `${ip}:8080`);
const START = Date.parse(IDS.window.start);
const SPAN = Date.parse(IDS.window.end) - START;
/** Path, share of the traffic, normal target time (s). */
const PATHS: [string, number, number][] = [
  ["/v1/orders/17", 0.3, 0.04],
  ["/v1/orders", 0.15, 0.06],
  ["/v1/users/9", 0.15, 0.03],
  ["/v1/search?q=a", 0.1, 0.12],
  ["/v1/cart", 0.1, 0.05],
  ["/v1/checkout", 0.08, 0.2],
  ["/v1/catalog", 0.07, 0.05],
  ["/v1/export", 0.01, 0.05],
  ["/", 0.04, 0.01],
];
const REQUESTS = 40_000;
const ROWS = 40;

function line(i: number, ms: number, path: string, times: string, status: string, target: string): string {
  const t = new Date(ms).toISOString().replace("Z", "000Z");
  const [elb, tgt] = status.split(" ");
  return `https ${t} ${IDS.lbResourceId} 203.0.113.${i % 200}:${40000 + (i % 20000)} ${target} ${times} ${elb} ${tgt} 120 512 "GET https://api.example.com:443${path} HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${IDS.tgArn} "Root=1-65f45a23-0123456789abcdef01234567" "api.example.com" "-" 0 ${t} "forward" "-" "-" "${target}" "${tgt}" "-" "-" TID_1`;
}

/** Background traffic, then the 502 rows placed by `placeRow` (row index -> path). */
function summarize(times502: string, placeRow: (k: number) => string, rows = ROWS): LogSummary {
  const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
  let bad = 0;
  const add = (l: string) => {
    const b = Buffer.from(l);
    if (agg.addLine(b, 0, b.length) !== null) bad++;
  };
  let i = 0;
  for (const [path, share, normal] of PATHS) {
    const n = Math.round(REQUESTS * share);
    for (let k = 0; k < n; k++, i++) {
      const tpt = (normal * (0.5 + ((k * 7919) % 1000) / 1000)).toFixed(3);
      add(
        line(i, START + ((k * SPAN) / n + (i % 997)), path, `0.000 ${tpt} 0.000`, "200 200", TARGETS[i % 2]),
      );
    }
  }
  for (let k = 0; k < rows; k++, i++) {
    add(line(i, START + (k + 0.5) * (SPAN / rows), placeRow(k), times502, "502 -", TARGETS[k % 2]));
  }
  expect(bad).toBe(0);
  return agg.summary({
    enabled: true,
    window: { ...IDS.window },
    objects: { listed: 1, scanned: 1, bytes: 0, failed: [] },
  });
}

/** Spread: each row goes to the path that a proportional draw would pick (stratified over the shares). */
function proportionalPath(k: number, rows = ROWS): string {
  const u = (k + 0.5) / rows;
  let acc = 0;
  for (const [path, share] of PATHS) {
    acc += share;
    if (u < acc) return path;
  }
  return PATHS[0][0];
}

const SHAPES = ["-1 -1 -1", "0.000 0.001 -1", "0.001 0.048 -1"];

function diagnose(logs: LogSummary, rows = ROWS) {
  // The metric counts the rows in the minute each one falls in (they are evenly spaced over the hour).
  const perMinute = Array.from({ length: 60 }, () => 0);
  for (let k = 0; k < rows; k++) perMinute[Math.floor(((k + 0.5) * 60) / rows)]++;
  const s = buildSnapshot(accessLogs(logs), metric("HTTPCode_ELB_502_Count", perMinute));
  return { race: keepaliveCheck.run(s), malformed: malformedCheck.run(s) };
}

describe.each(SHAPES)("the same 502 rows (%s 502 -)", (times) => {
  it("spread over all paths in proportion to traffic: keepalive-race, with rate and spread in the evidence", () => {
    const logs = summarize(times, proportionalPath);
    const d = distributionOf(logs);
    expect(d.total).toBe(ROWS);
    expect(d.malformedRows).toBe(0);
    const { race, malformed } = diagnose(logs);
    expect(malformed).toEqual([]);
    expect(race).toHaveLength(1);
    const text = race[0].evidence.map((e) => e.detail).join("\n");
    expect(text).toMatch(/spread over \d+ paths in proportion to their traffic/);
    expect(text).toContain("1 in 1,001 requests");
    expect(race[0].severity).not.toBe("info");
  });

  it("concentrated on one path at a steady per-path rate: malformed-target-response", () => {
    const logs = summarize(times, () => "/v1/export");
    const d = distributionOf(logs);
    expect(d.malformedRows).toBe(ROWS);
    const { race, malformed } = diagnose(logs);
    expect(race).toEqual([]);
    expect(malformed).toHaveLength(1);
    const text = malformed[0].evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("40 of 40 502s without a response pile up on /v1/export");
    expect(text).toMatch(/\/v1\/export fails 1 in 11 requests/);
  });
});

/**
 * The same decision at a low rate: 8 rows in 40,000 requests (1 in 5,000, a rate real races show) are still a
 * race when they follow the traffic, a warning and not "healthy", and still a malformed response when all of
 * them sit on one small path (2% of its requests).
 */
describe.each(SHAPES)("a handful of the same 502 rows (%s 502 -)", (times) => {
  const FEW = 8;
  it("spread like the traffic: a keepalive-race warning at 1 in 5,000", () => {
    const logs = summarize(times, (k) => proportionalPath(k, FEW), FEW);
    const { race, malformed } = diagnose(logs, FEW);
    expect(malformed).toEqual([]);
    expect(race).toHaveLength(1);
    expect(race[0].severity).toBe("warning");
    const text = race[0].evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("1 in 5,001 requests");
    expect(text).toMatch(/spread over \d+ paths in proportion to their traffic/);
  });

  it("all on one small path: malformed-target-response, not a race", () => {
    const logs = summarize(times, () => "/v1/export", FEW);
    const { race, malformed } = diagnose(logs, FEW);
    expect(race).toEqual([]);
    expect(malformed).toHaveLength(1);
    const text = malformed[0].evidence.map((e) => e.detail).join("\n");
    expect(text).toContain(`${FEW} of ${FEW} 502s without a response pile up on /v1/export`);
  });
});

describe("the distribution evidence", () => {
  it("says when the target times look tiny against the path's normal latency", () => {
    const { race } = diagnose(summarize("0.000 0.001 -1", proportionalPath));
    expect(race[0].evidence.map((e) => e.detail).join("\n")).toMatch(
      /40 502s with a target time average 0.00 s against 0.0\d s .*: the connection was gone/,
    );
  });

  it("keeps a race and a malformed path apart when both are present", () => {
    const agg = summarize("-1 -1 -1", (k) => (k < 30 ? "/v1/export" : proportionalPath(k)));
    const d = distributionOf(agg);
    expect(d.malformedRows).toBeGreaterThanOrEqual(30);
    expect(d.raceRows).toBeLessThanOrEqual(10);
  });

  it("binomial tail: a pile-up is unlikely, a proportional share is not", () => {
    expect(binomialTail(40, 40, 0.01)).toBeLessThan(1e-70);
    expect(binomialTail(4, 40, 0.1)).toBe(1);
    expect(binomialTail(12, 40, 0.3)).toBe(1);
  });
});
