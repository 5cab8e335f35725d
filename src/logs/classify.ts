/**
 * Decides the cause class of one 5xx or 460 line from its fields together (alb-facts §1.3, §2, §3).
 * Order matters: who generated the error (target or ALB) first, then the error_reason families that
 * name their own cause, then the timing signatures of ALB-generated 502/503/504.
 */
import type { LogErrorClass } from "../domain/log-summary.ts";

export interface ClassifyInput {
  elbStatus: number;
  /** null when the target sent no response ("-"). */
  targetStatus: number | null;
  /** A target ip:port was chosen (not "-"). */
  targetSet: boolean;
  /** -1 = not measured (LB could not dispatch, or the target did not answer); null when "-". */
  requestProcessingTime: number | null;
  targetProcessingTime: number | null;
  /** time - request_creation_time in seconds; NaN when request_creation_time is absent. */
  durationSeconds: number;
  errorReason: string | null;
  /** actions_executed ("forward", "fixed-response", "waf,forward"...), null when "-" or absent. */
  actions?: string | null;
}

export interface ClassifyOptions {
  idleTimeoutSeconds: number;
  /** How close to the idle timeout a 504 must end to count as an idle timeout (seconds). */
  idleToleranceSeconds?: number;
}

/** The ALB's connect timeout to targets (documented as 10 s). */
export const CONNECT_TIMEOUT_SECONDS = 10;
const CONNECT_TOLERANCE_SECONDS = 1.5;

/** Whether a status is one the analyzer classifies (5xx, 460, 464, and 561 which is auth). */
export function isClassified(elbStatus: number): boolean {
  return (elbStatus >= 500 && elbStatus <= 599) || elbStatus === 460 || elbStatus === 464;
}

export function idleTolerance(opts: ClassifyOptions): number {
  return opts.idleToleranceSeconds ?? Math.max(1, opts.idleTimeoutSeconds * 0.05);
}

export function classifyLine(x: ClassifyInput, opts: ClassifyOptions): LogErrorClass | null {
  const s = x.elbStatus;
  if (!isClassified(s)) return null;
  if (s === 460) return "client-closed";
  // 464: the ALB refused the request's protocol for the group's ProtocolVersion (alb-facts §3); never sent on.
  if (s === 464) return "protocol-mismatch";
  // The target answered with a 5xx and the ALB forwarded it: the application's error, not the ALB's.
  if (x.targetStatus !== null && x.targetStatus >= 500 && x.targetStatus <= 599) return "target-5xx";
  // An ELB-generated 505: an HTTP version the connection does not speak (HTTP/2 on an HTTP/1 connection).
  if (s === 505 && x.targetStatus === null) return "protocol-mismatch";

  const reason = x.errorReason;
  if (reason !== null) {
    if (reason.startsWith("Lambda")) return "lambda-error";
    if (reason.startsWith("Auth")) return "auth-error";
    if (reason.startsWith("WAF")) return "waf-error";
  }
  if (s === 561) return "auth-error";
  // A 5xx the listener rule itself answers with (maintenance page): configured, not a failure to explain.
  if (x.actions?.includes("fixed-response")) return "elb-5xx-other";
  if (x.targetStatus !== null) return "elb-5xx-other";

  if (s === 503 && !x.targetSet) return "elb-503-no-target";
  if (s === 502 && x.targetSet) {
    const tpt = x.targetProcessingTime;
    if (tpt !== null && tpt >= 0) return "elb-502-malformed-response";
    return "elb-502-target-closed";
  }
  if (s === 504) {
    const d = x.durationSeconds;
    if (Number.isFinite(d)) {
      if (Math.abs(d - opts.idleTimeoutSeconds) <= idleTolerance(opts)) return "elb-504-idle-timeout";
      const notMeasured = x.targetProcessingTime === null || x.targetProcessingTime < 0;
      if (notMeasured && Math.abs(d - CONNECT_TIMEOUT_SECONDS) <= CONNECT_TOLERANCE_SECONDS) {
        return "elb-504-connect-timeout";
      }
    }
    return "elb-504-other";
  }
  return "elb-5xx-other";
}
