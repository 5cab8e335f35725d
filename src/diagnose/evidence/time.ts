import type { LogErrorClass, LogSummary } from "../../domain/log-summary.ts";

/** How errors spread over the minutes of the window, and over quiet vs busy minutes. */
export interface Spread {
  minutesWithErrors: number;
  minutesWithTraffic: number;
  /** Errors in minutes whose request count is at or below the median / above it. */
  atLowLoad: number;
  atHighLoad: number;
  /** Minutes from the first minute with errors to the last, inclusive (0 when none). */
  spanMinutes: number;
  first?: string;
  last?: string;
}

/** A minute key ("2026-03-15T14:21Z", see minuteKey) as ms since the epoch. */
export const minuteMs = (key: string) =>
  Date.parse(key.endsWith("Z") && key.length === 17 ? `${key.slice(0, 16)}:00Z` : key);

export function spreadOf(errors: Map<string, number>, requests: Map<string, number>): Spread {
  const traffic = [...requests.entries()].filter(([, v]) => v > 0);
  const sorted = traffic.map(([, v]) => v).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  const errorMinutes = [...errors.entries()]
    .filter(([, v]) => v > 0)
    .sort(([a], [b]) => minuteMs(a) - minuteMs(b));
  let atLowLoad = 0;
  let atHighLoad = 0;
  for (const [k, v] of errorMinutes) {
    if ((requests.get(k) ?? 0) <= median) atLowLoad += v;
    else atHighLoad += v;
  }
  const first = errorMinutes[0]?.[0];
  const last = errorMinutes[errorMinutes.length - 1]?.[0];
  const spanMinutes = first && last ? Math.round((minuteMs(last) - minuteMs(first)) / 60_000) + 1 : 0;
  return {
    minutesWithErrors: errorMinutes.length,
    minutesWithTraffic: traffic.length,
    atLowLoad,
    atHighLoad,
    spanMinutes,
    first,
    last,
  };
}

/** Per-minute counts of some classes, and per-minute requests, from the access-log summary. */
export function logMinutes(
  logs: LogSummary,
  classes: LogErrorClass[],
): { errors: Map<string, number>; requests: Map<string, number> } {
  const errors = new Map<string, number>();
  const requests = new Map<string, number>();
  for (const [k, b] of Object.entries(logs.byMinute)) {
    requests.set(k, b.requests);
    const n = classes.reduce((a, c) => a + (b.classes[c] ?? 0), 0);
    if (n > 0) errors.set(k, n);
  }
  return { errors, requests };
}

/** Share of the errors that fall in [fromMs, toMs]. */
export function shareInRange(
  errors: Map<string, number>,
  fromMs: number,
  toMs: number,
): { inside: number; total: number } {
  let inside = 0;
  let total = 0;
  for (const [k, v] of errors) {
    total += v;
    const t = minuteMs(k);
    if (t >= fromMs - 60_000 && t <= toMs) inside += v;
  }
  return { inside, total };
}

/** "the 502s occur in 26 of 60 minutes with traffic (43%), at low and high load (...)"; null without errors. */
export function describeSpread(sp: Spread, what = "502s"): string | null {
  if (sp.minutesWithErrors === 0) return null;
  const load =
    sp.atLowLoad > 0 && sp.atHighLoad > 0
      ? `at low and high load (${sp.atLowLoad} in quieter minutes, ${sp.atHighLoad} in busier ones)`
      : sp.atHighLoad > 0
        ? "only in the busier minutes"
        : "only in the quieter minutes";
  const share = Math.round((100 * sp.minutesWithErrors) / Math.max(1, sp.minutesWithTraffic));
  return `the ${what} occur in ${sp.minutesWithErrors} of ${sp.minutesWithTraffic} minutes with traffic (${share}%), ${load}`;
}

/** All errors inside a few minutes of a long window: looks like an event (deploy, restart), not a steady state. */
export function isBurst(sp: Spread): boolean {
  return sp.minutesWithTraffic >= 15 && sp.spanMinutes > 0 && sp.spanMinutes <= 3;
}
