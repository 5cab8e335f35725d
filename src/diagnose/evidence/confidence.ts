import type { Severity } from "../../domain/report.ts";

/** Confidence is reported with two decimals, never exactly 0 or 1: evidence is never proof. */
export function confidence(raw: number, max = 0.97): number {
  const c = Math.min(max, Math.max(0.05, raw));
  return Math.round(c * 100) / 100;
}

/**
 * Severity of a finding that explains errors clients saw: a trickle is a warning, a real share of the traffic
 * (1% or more, or 50 errors and more in the window) is critical, and a handful in a busy window is info.
 * `requests` null means the traffic is unknown; then only the count decides.
 */
export function severityForErrors(errors: number, requests: number | null): Severity {
  if (errors <= 0) return "info";
  const rate = requests && requests > 0 ? errors / requests : null;
  if (errors >= 50 || (rate !== null && rate >= 0.01)) return "critical";
  if (errors >= 5 || rate === null || rate >= 0.0005) return "warning";
  return "info";
}
