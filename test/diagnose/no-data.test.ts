/** An empty window: when a report says no-data, what it names, and what the clock note says. */
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/diagnose/engine.ts";
import { clockNote, noDataIn, span } from "../../src/diagnose/no-data.ts";
import type { Snapshot } from "../../src/domain/snapshot.ts";
import { renderReport } from "../../src/slack/blocks/report.ts";
import {
  accessLogs,
  allTargetsUnhealthy,
  buildSnapshot,
  edit,
  metric,
  partError,
  type Mutator,
} from "../helpers/snapshot-builder.ts";

/** No traffic: every count series at zero and no log line in the window (other series untouched). */
const quiet: Mutator = edit((s: Snapshot) => {
  for (const m of s.metrics) if (m.stat === "Sum") m.points = m.points.map((p) => ({ ...p, v: 0 }));
  s.accessLogs = { ...s.accessLogs!, lines: { total: 0, inWindow: 0, malformed: 0 } };
});

describe("no data in the window", () => {
  it("no request, no error, no log line: status no-data, naming the window; the figures still show", () => {
    const r = buildReport(buildSnapshot(quiet));
    expect(r.status).toBe("no-data");
    expect(r.noData?.window).toEqual(r.window);
    expect(r.noData?.detail).toContain(r.window.start.replace(".000Z", "Z"));
    expect(r.noData?.detail).toContain("no request and no error");
    expect(r.noData?.detail).toContain("not a clean bill of health");
  });

  it("a window with traffic is never no-data", () => {
    expect(buildReport(buildSnapshot()).noData).toBeUndefined();
  });

  it("503s with no target count as traffic even when RequestCount is zero", () => {
    // RequestCount only counts requests for which a target was chosen.
    const r = buildReport(buildSnapshot(quiet, metric("HTTPCode_ELB_503_Count", [0, 5, 0])));
    expect(r.noData).toBeUndefined();
  });

  it("log lines alone are traffic (metrics lag or are missing a series)", () => {
    const r = buildReport(
      buildSnapshot(quiet, accessLogs({ lines: { total: 9, inWindow: 9, malformed: 0 } })),
    );
    expect(r.noData).toBeUndefined();
  });

  it("metrics that could not be read are unknown, not empty: incomplete, not no-data", () => {
    const r = buildReport(
      buildSnapshot(quiet, partError("metrics", "AccessDenied: cloudwatch:GetMetricData")),
    );
    expect(r.noData).toBeUndefined();
    expect(r.status).toBe("incomplete");
  });

  it("configuration faults stand in an empty window: problems-found, with the empty window said too", () => {
    const r = buildReport(buildSnapshot(quiet, allTargetsUnhealthy()));
    expect(r.status).toBe("problems-found");
    expect(r.noData).toBeDefined();
  });

  it("log files with lines only outside the window say so", () => {
    const r = buildReport(
      buildSnapshot(quiet, accessLogs({ lines: { total: 1200, inWindow: 0, malformed: 0 } })),
    );
    expect(r.noData?.detail).toContain("1200 lines in the files read, all outside it");
  });

  it("the Slack message says no verdict and the clock note, escaped", () => {
    const s = buildSnapshot(
      quiet,
      edit((x) => void (x.loadBalancer.name = "<!here>-alb")),
    );
    const at = new Date(Date.parse(s.window.end));
    const report = buildReport(s, {
      clock: { localNow: at, accountNow: new Date(at.getTime() - 40 * 86_400_000) },
    });
    // mrkdwn is where a mention would go live (the header is plain_text, inert).
    const all = JSON.stringify(renderReport(report).blocks!.filter((b) => b.type !== "header"));
    expect(all).toContain("*No data in this window*, so no verdict");
    expect(all).toContain("40 days behind the clock that set this window");
    expect(all).not.toContain("<!here>");
    expect(all).not.toContain("No cause of 502/504 found");
  });
});

describe("the clock note", () => {
  const window = { start: "2026-03-15T13:30:00Z", end: "2026-03-15T14:30:00Z" };
  const at = (iso: string) => new Date(iso);

  it("is silent when the clocks agree and the window is in the past", () => {
    expect(
      clockNote(window, { localNow: at("2026-03-15T14:30:00Z"), accountNow: at("2026-03-15T14:31:00Z") }),
    ).toBe(undefined);
  });

  it("an end after the account's present is in the future", () => {
    const note = clockNote(
      { start: "2026-03-15T15:00:00Z", end: "2026-03-15T16:00:00Z" },
      { localNow: at("2026-03-15T14:30:00Z"), accountNow: at("2026-03-15T14:30:00Z"), endGiven: true },
    );
    expect(note).toMatch(/^The window ends 1 hour 30 minutes in the future \(2026-03-15T16:00:00Z/);
  });

  it("without the account's clock, the end is judged against the local one", () => {
    const note = clockNote(window, { localNow: at("2026-03-15T12:00:00Z"), endGiven: true });
    expect(note).toContain("this machine's clock reads 2026-03-15T12:00:00Z");
  });

  it("an account clock elsewhere names both clocks and --live", () => {
    const note = clockNote(window, {
      localNow: at("2026-03-15T14:30:00Z"),
      accountNow: at("2026-01-01T00:00:00Z"),
    });
    expect(note).toContain("2026-01-01T00:00:00Z, 73 days 14 hours behind the clock that set this window");
    expect(note).toContain("alb-doctor sim FILE --live");
  });

  it("spans read as people say them", () => {
    expect(span(5 * 60_000)).toBe("5 minutes");
    expect(span(90_061_000)).toBe("1 day 1 hour");
    expect(span(20_000)).toBe("under a minute");
  });
});

it("noDataIn needs the metrics part to have run", () => {
  const s = buildSnapshot(quiet);
  s.parts = s.parts.filter((p) => p.id !== "metrics");
  expect(noDataIn(s)).toBeUndefined();
});
