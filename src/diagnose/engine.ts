/**
 * The diagnosis engine: run every check over one Snapshot, each isolated (a check that throws becomes a
 * `checks[]` error entry, never a crash), rank what they found, and build the Report of findings.md.
 */
import type { CheckRun, Finding, NoData, Report, ReportStatus } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";
import type { Check } from "./check.ts";
import { ALL_CHECKS } from "./checks/index.ts";
import { reportFigures } from "./figures.ts";
import { withNextSteps } from "./next-steps.ts";
import { reportOwner } from "./owners.ts";
import { noDataIn, type ClockReading } from "./no-data.ts";
import { rankFindings } from "./rank.ts";
import { buildTimeline } from "./timeline.ts";
import { tieChanges } from "./story/changes.ts";
import { findOnset } from "./story/onset.ts";
import { storySeries } from "./story/series.ts";

export interface CheckResults {
  findings: Finding[];
  /** One entry per check that threw: id "check:<name>". */
  checkErrors: CheckRun[];
}

export function runChecks(snapshot: Snapshot, checks: readonly Check[] = ALL_CHECKS): CheckResults {
  const findings: Finding[] = [];
  const checkErrors: CheckRun[] = [];
  for (const check of checks) {
    const started = performance.now();
    try {
      findings.push(...check.run(snapshot).map(normalize));
    } catch (e) {
      checkErrors.push({
        id: `check:${check.name}`,
        status: "error",
        durationMs: Math.round(performance.now() - started),
        error: `check ${check.name} failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  return { findings, checkErrors };
}

/** Confidence in 0..1 with two decimals, whatever a check computed. */
function normalize(f: Finding): Finding {
  const c = Number.isFinite(f.confidence) ? Math.min(1, Math.max(0, f.confidence)) : 0;
  return { ...f, confidence: Math.round(c * 100) / 100 };
}

/**
 * Parts whose failure hides no cause of 502/504: unreadable tags only leave the owner unknown (the report
 * still names the failed part and its permission), so they alone do not make a report incomplete.
 */
const PARTS_THAT_HIDE_NO_CAUSE = new Set(["tags"]);

/**
 * healthy: no finding above info. incomplete: a collection part (or a check) failed and nothing above info
 * was found, so "healthy" cannot be claimed. no-data: nothing above info and the window held no traffic to
 * judge (see no-data.ts), which is never healthy. problems-found: anything above info (configuration faults
 * are real even in an empty window).
 */
export function reportStatus(findings: Finding[], checks: CheckRun[], noData?: NoData): ReportStatus {
  if (findings.some((f) => f.severity !== "info")) return "problems-found";
  if (noData) return "no-data";
  return checks.some((c) => c.status === "error" && !PARTS_THAT_HIDE_NO_CAUSE.has(c.id))
    ? "incomplete"
    : "healthy";
}

export interface BuildReportOptions {
  /** When the diagnosis started (ms since epoch or Date); used for durationMs when that is not given. */
  startedAt?: number | Date;
  durationMs?: number;
  checks?: readonly Check[];
  /** The clocks behind the window, so an empty window can say when the clock looks wrong. */
  clock?: ClockReading;
}

export function buildReport(snapshot: Snapshot, options: BuildReportOptions = {}): Report {
  const { findings, checkErrors } = runChecks(snapshot, options.checks);
  // Next steps after ranking: a symptom's step names the cause ranking linked it to.
  const ranked = withNextSteps(rankFindings(findings, snapshot));
  const checks = [...snapshot.parts, ...checkErrors];
  const startedMs = options.startedAt instanceof Date ? options.startedAt.getTime() : options.startedAt;
  const durationMs = options.durationMs ?? (startedMs === undefined ? undefined : Date.now() - startedMs);
  const lb = snapshot.loadBalancer;
  const story = storySeries(snapshot);
  const onset = story && findOnset(snapshot, story.series, story.logs);
  const managedBy = reportOwner(snapshot);
  const noData = noDataIn(snapshot, options.clock);
  const tied = tieChanges(snapshot.changes ?? [], ranked, onset, snapshot.window.end);
  return {
    loadBalancer: { name: lb.name, arn: lb.arn, dnsName: lb.dnsName },
    window: { ...snapshot.window },
    status: reportStatus(ranked, checks, noData),
    findings: tied.findings,
    checks,
    ...(noData ? { noData } : {}),
    figures: reportFigures(snapshot),
    ...optional("timeline", buildTimeline(snapshot)),
    ...(onset ? { onset } : {}),
    ...(managedBy ? { managedBy } : {}),
    ...(snapshot.changesChecked ? { changes: tied.changes, changesChecked: snapshot.changesChecked } : {}),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
