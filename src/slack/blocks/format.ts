/** Small formatters shared by the Block Kit renderers. Pure, deterministic (no clock, no locale). */
import type { ReportStatus, Severity } from "../../domain/report.ts";

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ":red_circle:",
  warning: ":large_orange_circle:",
  info: ":large_blue_circle:",
};

export const STATUS_EMOJI: Record<ReportStatus, string> = {
  "problems-found": ":rotating_light:",
  healthy: ":white_check_mark:",
  incomplete: ":grey_question:",
  "no-data": ":grey_question:",
};

export const STATUS_WORDS: Record<ReportStatus, string> = {
  "problems-found": "problems found",
  healthy: "no 502/504 cause found",
  incomplete: "incomplete diagnosis",
  "no-data": "no data in the window",
};

/** 3_600_000 -> "1h", 5_400_000 -> "1h 30m", 86_400_000 -> "1d". */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0m";
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(" ") || "0m";
}

/** "2026-03-15 13:30 → 14:30 UTC" (the end's date is shown when it differs). */
export function formatWindow(window: { start: string; end: string }): string {
  const s = new Date(window.start);
  const e = new Date(window.end);
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${window.start} → ${window.end}`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const hm = (d: Date) => d.toISOString().slice(11, 16);
  const end = day(s) === day(e) ? hm(e) : `${day(e)} ${hm(e)}`;
  return `${day(s)} ${hm(s)} → ${end} UTC`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return "n/a";
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Seconds -> "850 ms" or "12.3 s". */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return "n/a";
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
}

export function formatDuration(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function percent(confidence: number): string {
  return `${Math.round(Math.max(0, Math.min(1, confidence)) * 100)}%`;
}
