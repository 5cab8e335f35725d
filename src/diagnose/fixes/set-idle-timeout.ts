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
  extra: Record<string, string | number | boolean> = {},
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
    // `extra` carries what the remediation risk check must weigh (censoring, WebSockets, slow paths).
    params: { ...extra, loadBalancerArn: snapshot.loadBalancer.arn, idleTimeoutSeconds: value },
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

/** AWS's default idle timeout: where to go back to when a lowered timeout cuts requests whose needs are unknown. */
export const DEFAULT_IDLE_TIMEOUT = 60;

export interface IdleSizing {
  proposed: number;
  /** Requests were cut at the current timeout: what they need beyond it is unknown. */
  censored: boolean;
  /** For the fix summary: what the value is based on. */
  note: string;
}

/**
 * A raised idle timeout for 504s (alb-facts §10, "durations are cut at the idle timeout"). Requests the ALB
 * ended at the timeout ran for at least `current` seconds; how much longer they needed is unknown, so their
 * maximum (the timeout itself) never sizes the new value. When nothing was cut, the slowest completed request
 * sizes it (100% headroom, rounded up to 10 s). When requests were cut: back to the 60 s default from below it,
 * else double the current value, said to be a step and not a size.
 */
export function sizeRaisedIdleTimeout(
  current: number,
  slowestCompleted: number | null,
  cutRequests: number,
): IdleSizing {
  const censored = cutRequests > 0 || (slowestCompleted !== null && slowestCompleted >= 0.95 * current);
  if (!censored) {
    const proposed = raisedIdleTimeout(current, slowestCompleted);
    return {
      proposed,
      censored,
      note: `twice the current timeout or the slowest completed request (${slowestCompleted === null ? "unknown" : `${slowestCompleted.toFixed(1)} s`}), whichever is larger, rounded up`,
    };
  }
  const cut =
    cutRequests > 0
      ? `${cutRequests} requests were cut at ${current} s`
      : `requests ran up to the ${current} s timeout`;
  if (current < DEFAULT_IDLE_TIMEOUT) {
    return {
      proposed: DEFAULT_IDLE_TIMEOUT,
      censored,
      note: `back to the ${DEFAULT_IDLE_TIMEOUT} s default: ${cut}, so how long they need is unknown; keep backend keep-alives above it`,
    };
  }
  const proposed = Math.min(IDLE_TIMEOUT_MAX, Math.ceil((current * 2) / 10) * 10);
  return {
    proposed,
    censored,
    note:
      proposed >= IDLE_TIMEOUT_MAX
        ? "the maximum ALB allows; slower work needs an asynchronous design"
        : `a step, not a size: ${cut}, so how long they need is unknown; check the slow endpoints' own logs`,
  };
}
