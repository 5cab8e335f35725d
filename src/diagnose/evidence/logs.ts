import type { BucketStats, LogErrorClass, LogSummary } from "../../domain/log-summary.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { displayPath } from "../../domain/text.ts";

/** Helpers over the access-log summary. All of them treat missing keys as 0. */

export function classCount(logs: LogSummary, cls: LogErrorClass): number {
  return logs.byClass[cls] ?? 0;
}

export function statusCount(logs: LogSummary, status: string): number {
  return logs.byStatus[status] ?? 0;
}

/** ELB 5xx (or 4xx) that the ALB produced itself: the ELB status minus the same status forwarded from targets. */
export function elbGenerated(logs: LogSummary, status: string): number {
  return Math.max(0, statusCount(logs, status) - (logs.byTargetStatus[status] ?? 0));
}

export function bucketClass(b: BucketStats | undefined, cls: LogErrorClass): number {
  return b?.classes[cls] ?? 0;
}

/** Sum of one class over several classes. */
export function classesTotal(logs: LogSummary, classes: LogErrorClass[]): number {
  return classes.reduce((a, c) => a + classCount(logs, c), 0);
}

/**
 * Keys of a bucket map sorted by how many lines of the class they hold, most first (zeros dropped). Keys
 * are for people: a logged path is decoded (displayPath); target and group keys are ASCII and stay as is.
 */
export function topByClass(
  buckets: Record<string, BucketStats>,
  cls: LogErrorClass | LogErrorClass[],
): { key: string; count: number; requests: number }[] {
  const classes = Array.isArray(cls) ? cls : [cls];
  return Object.entries(buckets)
    .map(([key, b]) => ({
      key: displayPath(key),
      count: classes.reduce((a, c) => a + bucketClass(b, c), 0),
      requests: b.requests,
    }))
    .filter((e) => e.count > 0)
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Share of `part` in `whole` (0 when whole is 0). */
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, part / whole) : 0;
}

export function pct(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const p = (100 * part) / whole;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(p >= 1 ? 1 : 2)}%`;
}

/** Seconds, for people: 0.123 -> "0.12 s", 59.98 -> "60.0 s". */
export function secs(v: number): string {
  return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)} s`;
}

/** "a, b and 3 more". */
export function listFew(items: string[], max = 3): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/**
 * The access-log summary when it can speak for the window: logging on and at least one line in the window.
 * Otherwise checks fall back to metrics (an empty scan, e.g. delivery lag, is no evidence of no errors).
 */
export function usableLogs(snapshot: Snapshot): LogSummary | undefined {
  const logs = snapshot.accessLogs;
  return logs && logs.enabled !== false && logs.lines.inWindow > 0 ? logs : undefined;
}
