/**
 * The onset in one sentence, the same for the CLI, Slack and triage: "5xx since 14:02 UTC (8 min before the
 * window's end), peak 63/min at 14:11, still going". Plain text; no outside text reaches it (times and counts
 * only), so renderers may embed it as it is.
 */
import type { Onset, Report } from "./report.ts";

const hm = (iso: string) => iso.slice(11, 16);
const day = (iso: string) => iso.slice(0, 10);

/** "14:02" on the window's day, "2026-03-14 23:58" on another. */
function when(iso: string, windowEnd: string): string {
  return day(iso) === day(windowEnd) ? hm(iso) : `${day(iso)} ${hm(iso)}`;
}

function perInterval(onset: Onset): string {
  const n = onset.peakCount;
  if (n === undefined) return "";
  const period = onset.periodSeconds ?? 60;
  const unit = period === 60 ? "min" : period === 3600 ? "h" : `${Math.round(period / 60)} min`;
  return ` ${n}/${unit}`;
}

export function onsetSentence(onset: Onset, window: { start: string; end: string }): string {
  const w = (iso: string) => when(iso, window.end);
  let start: string;
  if (onset.beforeWindow && onset.startFound === false) {
    const from = onset.searchedFrom ?? window.start;
    start = `5xx already present at ${w(from)} UTC (searched back to there; the start is earlier)`;
  } else if (onset.beforeWindow) {
    start = `5xx since ${w(onset.start)} UTC, before the window`;
  } else {
    start = `5xx since ${w(onset.start)} UTC`;
  }
  const peak = `peak${perInterval(onset)} at ${w(onset.peak)}`;
  const end = onset.end === null ? "still going" : `recovered at ${w(onset.end)}`;
  const source = onset.series === "access-logs" ? "access logs" : "CloudWatch";
  const agreement = onset.agreement
    ? onset.agreement.agrees
      ? ", access logs agree"
      : `; access logs disagree: ${onset.agreement.detail}`
    : "";
  return `${start}, ${peak}, ${end} (${source}${agreement})`;
}

/**
 * The changes in one line: the nearest one (who, what, when), or plainly that nothing changed in the range
 * searched. Carries outside text (actors, summaries): renderers escape it for their medium.
 */
export function changesSentence(report: Report): string | undefined {
  const checked = report.changesChecked;
  if (!checked) return undefined;
  const w = (iso: string) => when(iso, report.window.end);
  const range = `${w(checked.from)}-${w(checked.to)} UTC`;
  const sources = checked.sources.length ? checked.sources.join(", ") : "no source readable";
  const list = report.changes ?? [];
  if (!list.length) return `No changes to these resources ${range} (${sources})`;
  const c = list[0];
  const who = c.actor ? ` by ${c.actor}` : "";
  const tied = c.relatedTo?.length ? ` [explains ${c.relatedTo.join(", ")}]` : "";
  const more = list.length > 1 ? `; ${list.length - 1} more change(s) ${range}` : "";
  return `Nearest change: ${w(c.time)} ${c.event}${who}: ${c.summary}${tied}${more}`;
}
