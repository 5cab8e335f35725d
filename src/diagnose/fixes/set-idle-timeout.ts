import type { FixSuggestion } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";

export const IDLE_TIMEOUT_SETTING = "idle_timeout.timeout_seconds";
export const IDLE_TIMEOUT_MIN = 1;
export const IDLE_TIMEOUT_MAX = 4000;

/**
 * Automated fix: change the ALB idle timeout. Remediation re-reads the current value and runs its own risk check
 * against observed request durations before applying; `note` explains the risk seen at diagnosis time.
 */
export function setIdleTimeoutFix(
  snapshot: Snapshot,
  current: number,
  proposed: number,
  note?: string,
): FixSuggestion {
  const value = Math.min(IDLE_TIMEOUT_MAX, Math.max(IDLE_TIMEOUT_MIN, Math.round(proposed)));
  const verb = value < current ? "Lower" : "Raise";
  return {
    id: "set-idle-timeout",
    automated: true,
    summary: `${verb} ${IDLE_TIMEOUT_SETTING} ${current} -> ${value}${note ? ` (${note})` : ""}`,
    changes: [
      {
        resource: snapshot.loadBalancer.arn,
        setting: IDLE_TIMEOUT_SETTING,
        current: snapshot.loadBalancer.attributes[IDLE_TIMEOUT_SETTING] ?? null,
        proposed: String(value),
      },
    ],
    params: { loadBalancerArn: snapshot.loadBalancer.arn, idleTimeoutSeconds: value },
  };
}

/**
 * For 504s: an idle timeout that covers the slowest request seen, with 100% headroom, rounded up to 10 s.
 * Requests cut at the timeout ran for at least `current`, so that is the floor of what they need.
 */
export function raisedIdleTimeout(current: number, slowestSeconds: number | null): number {
  // Whole seconds: a request cut at 60.001 s needs 60 s, not 61.
  const need = Math.round(Math.max(current, slowestSeconds ?? 0));
  return Math.min(IDLE_TIMEOUT_MAX, Math.ceil((need * 2) / 10) * 10);
}

/**
 * For keep-alive races: a timeout below the shortest common backend keep-alive (Node.js and Apache close idle
 * connections after 5 s). Risky when requests run longer than that; the caller says so.
 */
export const BELOW_COMMON_KEEPALIVE_SECONDS = 4;
