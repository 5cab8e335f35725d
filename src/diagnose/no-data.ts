/**
 * No data is not healthy. A window in which CloudWatch counted no request and no error and the access logs
 * hold no line has nothing to judge: checks that read traffic find nothing because there is nothing, and
 * "no problems found" would be a lie. The report then says so, names the window, and, when the clock that set
 * the window looks wrong, says that too: the usual reason is a window in the wrong place, not a quiet ALB.
 */
import type { NoData } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";

/** Count metrics any request (answered, refused, or failed by the ALB) shows up in. */
const TRAFFIC_METRICS = new Set([
  "RequestCount",
  "HTTPCode_ELB_4XX_Count",
  "HTTPCode_ELB_5XX_Count",
  "HTTPCode_ELB_502_Count",
  "HTTPCode_ELB_503_Count",
  "HTTPCode_ELB_504_Count",
  "HTTPCode_Target_5XX_Count",
]);

/** Clocks further apart than this are not network delay or drift: someone is looking at the wrong time. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface ClockReading {
  /** The clock the window was set from (the machine's, or the scenario's under --scenario). */
  localNow: Date;
  /** The account's clock, from the Date header of AWS's answers; absent when unknown. */
  accountNow?: Date;
  /** True when the caller gave the window's end (--end), so the window was not set from localNow. */
  endGiven?: boolean;
}

/**
 * NoData when the window holds nothing to judge, else undefined. Needs the metrics to have been read: without
 * them there is no knowing whether requests came, and the report is incomplete rather than empty.
 * RequestCount alone is not enough: requests refused before a target is chosen (503 with no target) are
 * only in the ELB error counts.
 */
export function noDataIn(s: Snapshot, clock?: ClockReading): NoData | undefined {
  const metricsPart = s.parts.find((p) => p.id === "metrics");
  if (metricsPart?.status !== "ok") return undefined;
  const traffic = s.metrics.some((m) => TRAFFIC_METRICS.has(m.metric) && m.points.some((p) => p.v > 0));
  if (traffic) return undefined;
  const logs = s.accessLogs;
  if (logs && logs.lines.inWindow > 0) return undefined;

  const logWords = !logs
    ? "access logs not read"
    : `no access-log line in the window${logs.lines.total > 0 ? ` (${logs.lines.total} lines in the files read, all outside it)` : ""}`;
  const detail = `Nothing to judge from ${iso(Date.parse(s.window.start))} to ${iso(Date.parse(s.window.end))}: CloudWatch counted no request and no error for ${s.loadBalancer.name}, and ${logWords}. An idle load balancer and a window in the wrong place look the same; this is not a clean bill of health.`;
  const note = clock ? clockNote(s.window, clock) : undefined;
  return { window: { ...s.window }, detail, ...(note ? { clock: note } : {}) };
}

/** Why the clock looks wrong, or undefined when it looks right. */
export function clockNote(window: { start: string; end: string }, clock: ClockReading): string | undefined {
  const end = Date.parse(window.end);
  const local = clock.localNow.getTime();
  const account = clock.accountNow?.getTime();
  const reference = account ?? local;
  const skewed = account !== undefined && Math.abs(account - local) > CLOCK_SKEW_MS;
  // A window set from a clock that disagrees with the account's: that disagreement is the news (it also puts
  // the end in the account's future, but "pass another --end" would be the wrong advice).
  if (skewed && !clock.endGiven) return skewNote(account, local, true);
  if (end - reference > CLOCK_SKEW_MS) {
    const whose = account === undefined ? "this machine's clock" : "the AWS account's clock";
    return `The window ends ${span(end - reference)} in the future (${iso(end)}; ${whose} reads ${iso(reference)}): there is no data after now yet. Pass an --end at or before the current time.`;
  }
  return skewed ? skewNote(account, local, false) : undefined;
}

function skewNote(account: number, local: number, setTheWindow: boolean): string {
  const direction = account < local ? "behind" : "ahead of";
  const whose = setTheWindow ? "the clock that set this window" : "this machine's clock";
  return `The AWS endpoint's clock reads ${iso(account)}, ${span(Math.abs(account - local))} ${direction} ${whose} (${iso(local)}). A simulated account served without --live keeps its recorded time: serve it with alb-doctor sim FILE --live, or pass --end in the account's time; otherwise check this machine's clock.`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** 90_061_000 -> "1 day 1 hour", 300_000 -> "5 minutes": how far apart, to the two largest units. */
export function span(ms: number): string {
  const units: [string, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  const parts: string[] = [];
  let rest = Math.round(ms / 60_000) * 60_000;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
  }
  return parts.join(" ") || "under a minute";
}
