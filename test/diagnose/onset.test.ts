/**
 * The onset: the episode rule on plain series, then the whole path through the real SDK clients against the
 * simulator, with errors that start inside the window, before it (found in the lead), and before the lead.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { episodeOf } from "../../src/diagnose/story/onset.ts";
import type { Report } from "../../src/domain/report.ts";
import { onsetSentence } from "../../src/domain/onset-text.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

describe("episodeOf", () => {
  it("starts at the first partial interval of the ramp, peaks at the largest count, still going", () => {
    const a = [0, 0, 0, 1, 0, 0, 4, 61, 63, 72, 10, 60, 58];
    expect(episodeOf(a)).toEqual({ start: 6, peak: 9, last: 12, recovered: false });
  });

  it("bridges a short gap inside the outage and ends when the window's last intervals are quiet", () => {
    const a = [0, 30, 2, 2, 40, 35, 1, 0, 0, 0];
    expect(episodeOf(a)).toEqual({ start: 1, peak: 4, last: 5, recovered: true });
  });

  it("keeps an earlier burst out of the episode when a longer quiet separates them", () => {
    const a = [20, 20, 0, 0, 0, 0, 0, 5, 50, 50];
    expect(episodeOf(a)?.start).toBe(7);
  });

  it("has no episode without errors", () => {
    expect(episodeOf([0, 0, 0])).toBeUndefined();
  });
});

const SCENARIO = join(import.meta.dirname, "../../scenarios/sg-blocks-alb-to-target.yaml");
type Raw = { metrics: { MetricName: string; Dimensions: Record<string, string>; Values?: number[] }[] };

/** The scenario with its 5XX counts replaced by `values` (the last value is the minute before `now`). */
function withErrors(values: number[]): Raw {
  const raw = parse(readFileSync(SCENARIO, "utf8")) as Raw;
  for (const m of raw.metrics)
    if (m.MetricName === "HTTPCode_ELB_5XX_Count" || m.MetricName === "HTTPCode_ELB_504_Count")
      m.Values = values;
  return raw;
}

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function diagnose(raw: Raw, logs = false): Promise<Report> {
  sim = await startTestSim(raw as unknown as Record<string, unknown>, { maxAttempts: 4 });
  const aws = sim.clients;
  const diagnoser = createDiagnoser({
    aws,
    now: () => sim!.world.now,
    defaultWindow: "1h",
    ...(logs ? { scanLogs: createLogScanner(aws, { concurrency: 2 }) } : {}),
  });
  return diagnoser("billing-prod");
}

const metricCalls = () => sim!.world.callLog.filter((c) => c.action === "GetMetricData").length;

describe("onset through the simulator", () => {
  it("errors that start inside the window: start, peak, still going; CloudWatch and the logs agree", async () => {
    const report = await diagnose(parse(readFileSync(SCENARIO, "utf8")) as Raw, true);
    expect(report.onset).toMatchObject({
      start: "2026-03-20T13:52:00.000Z",
      peak: "2026-03-20T13:59:00.000Z",
      end: null,
      peakCount: 72,
    });
    expect(report.onset?.beforeWindow).toBeUndefined();
    expect(report.onset?.agreement?.agrees).toBe(true);
    // no lead was read: the window's first minute had no errors
    expect(metricCalls()).toBe(1);
    expect(onsetSentence(report.onset!, report.window)).toMatch(
      /^5xx since 13:52 UTC, peak 72\/min at 13:59, still going/,
    );
  });

  it("errors already present at the window's start: the lead finds when they began", async () => {
    // 180 minutes ending at 14:30: quiet until 12:40, 5 errors in 12:40, then 60 a minute
    const values = [...new Array(70).fill(0), 5, ...new Array(109).fill(60)];
    const report = await diagnose(withErrors(values), true);
    expect(report.onset).toMatchObject({
      start: "2026-03-20T12:40:00.000Z",
      beforeWindow: true,
      startFound: true,
      searchedFrom: "2026-03-20T10:30:00.000Z",
      end: null,
    });
    expect(metricCalls()).toBe(2); // the window, then its lead
    // The logs of the window show errors only from 13:52: the two sources do not agree, and the report says so.
    expect(report.onset?.agreement?.agrees).toBe(false);
    expect(onsetSentence(report.onset!, report.window)).toMatch(/since 12:40 UTC, before the window/);
  });

  it("errors older than the lead: the start is only bounded, and the sentence says so", async () => {
    const report = await diagnose(withErrors(new Array(300).fill(50)));
    expect(report.onset).toMatchObject({
      beforeWindow: true,
      startFound: false,
      searchedFrom: "2026-03-20T10:30:00.000Z",
    });
    expect(onsetSentence(report.onset!, report.window)).toMatch(/already present at 10:30 UTC/);
  });

  it("a recovered episode has an end", async () => {
    const values = [...new Array(10).fill(0), ...new Array(15).fill(40), ...new Array(35).fill(0)];
    const report = await diagnose(withErrors(values));
    expect(report.onset).toMatchObject({
      start: "2026-03-20T13:40:00.000Z",
      end: "2026-03-20T13:55:00.000Z",
    });
    expect(report.onset?.beforeWindow).toBeUndefined();
  });
});
