/** Time windows as people type them: "90s", "30m", "1h", "2d" (at most 14 days, AWS's 1-minute retention bound). */
import { AlbDoctorError } from "./errors.ts";

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_SECONDS = 14 * 86_400;

export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m)
    throw new AlbDoctorError("usage", `"${text}" is not a window: use a number and a unit, e.g. 30m, 1h, 2d`);
  const seconds = Number(m[1]) * UNIT[m[2]];
  if (seconds < 60) throw new AlbDoctorError("usage", `window "${text}" is too short: at least 1m`);
  if (seconds > MAX_SECONDS) throw new AlbDoctorError("usage", `window "${text}" is too long: at most 14d`);
  return seconds;
}

export function parseEnd(text: string | undefined, now: Date): Date {
  if (!text) return now;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) {
    throw new AlbDoctorError("usage", `"${text}" is not a time: use ISO 8601, e.g. 2026-03-15T14:30:00Z`);
  }
  return d;
}

export function windowOf(duration: string, end: string | undefined, now: Date): { start: Date; end: Date } {
  const seconds = parseDuration(duration);
  const e = parseEnd(end, now);
  return { start: new Date(e.getTime() - seconds * 1000), end: e };
}

/** "1h" for 3600 s, "90m" for 5400 s: how a window reads in a message. */
export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The CloudWatch period for a window: 60 s up to 3 hours, then coarser so a window stays within a few hundred
 * datapoints per series. The collector asks for it and the story (onset, charts) reads the series with it.
 */
export function metricPeriodFor(windowSeconds: number): number {
  if (windowSeconds <= 3 * 3600) return 60;
  if (windowSeconds <= 24 * 3600) return 300;
  return 3600;
}
