/**
 * The onset in one sentence, the same for the CLI, Slack and triage: "5xx since 14:02 UTC (8 min before the
 * window's end), peak 63/min at 14:11, still going". Plain text; no outside text reaches it (times and counts
 * only), so renderers may embed it as it is.
 */
import type { Onset } from "./report.ts";

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
