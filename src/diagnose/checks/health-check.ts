/**
 * health-check-misconfigured (alb-facts §4.3, §5.3): the health check asks for a path, port, protocol or code the
 * application does not serve. Target.ResponseCodeMismatch with codes outside the matcher (5xx excluded: that is a
 * failing app, not a misconfiguration); a health-like path that answers clients fine while the checked one does
 * not; a check port that differs from the traffic port with connections refused there (Target.FailedHealthChecks)
 * while traffic on the traffic port is answered; a check protocol that differs from the group's.
 *
 * Confidence: 0.7, + 0.15 when the fix is clear from the evidence (a 2xx/3xx code outside the matcher, or a
 * health path the logs show answering), + 0.05 when every unhealthy target reports the same thing; 0.75 (+0.1
 * with traffic answered on the traffic port) for a port mismatch; 0.7 for a protocol mismatch.
 */
import type { Check } from "../check.ts";
import type { LogSummary } from "../../domain/log-summary.ts";
import type { Evidence, Finding, FixSuggestion } from "../../domain/report.ts";
import type { Snapshot, Target, TargetGroup } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { usableLogs } from "../evidence/logs.ts";
import { isUnhealthy, targetsByAddress } from "../evidence/targets.ts";
import {
  fixHealthCheckFix,
  healthCheckPathProblem,
  type HealthCheckPatch,
} from "../fixes/fix-health-check.ts";
import { displayPath } from "../../domain/text.ts";

export const healthCheckMisconfiguredCheck: Check = {
  name: "health-check",
  run: (s) => s.targetGroups.flatMap((g) => misconfigured(s, g) ?? []),
};

const HEALTH_PATH =
  /(^|\/)(health|healthz|healthcheck|health-check|_health|ready|readyz|readiness|live|livez|liveness|status|ping|heartbeat)(\/|$)/i;

/** Does an ALB matcher ("200", "200,202", "200-299") accept this code? */
export function matcherAccepts(matcher: string, code: number): boolean {
  return matcher.split(",").some((part) => {
    const [a, b] = part.trim().split("-").map(Number);
    return b === undefined ? code === a : code >= a && code <= b;
  });
}

/** Codes from "Health checks failed with these codes: [404]". */
export function codesFromDescription(description: string | undefined): number[] {
  const m = /\[([\d,\s]+)\]/.exec(description ?? "");
  return m
    ? m[1]
        .split(",")
        .map((c) => Number(c.trim()))
        .filter((n) => Number.isInteger(n))
    : [];
}

/**
 * A health-like path that clients reach with success, other than the one checked, and that is safe to
 * propose (healthCheckPathProblem). "Success" is what the logs can tell per path: answered without a 4xx or
 * 5xx; the matcher must accept a 2xx or 3xx code for that to count. When the only such paths are unsafe,
 * `refused` names the busiest one and why, so the finding can say so instead of proposing it.
 */
function answeringHealthPath(
  logs: LogSummary | undefined,
  checked: string | undefined,
  matcher: string,
): { path: string | null; refused?: { path: string; why: string } } {
  if (!logs || !matcherAcceptsSuccess(matcher)) return { path: null };
  const candidates = Object.entries(logs.byPath)
    .filter(([path, b]) => path !== checked && HEALTH_PATH.test(path) && b.requests > 0)
    .filter(([, b]) => Object.values(b.errors).reduce((a, n) => a + n, 0) < 0.1 * b.requests)
    .sort((a, b) => b[1].requests - a[1].requests);
  const safe = candidates.find(([path]) => healthCheckPathProblem(path) === undefined);
  if (safe) return { path: safe[0] };
  const first = candidates[0];
  return first
    ? { path: null, refused: { path: first[0], why: healthCheckPathProblem(first[0])! } }
    : { path: null };
}

/** Does the matcher accept some 2xx or 3xx code (what "answered without error" in the logs can mean)? */
function matcherAcceptsSuccess(matcher: string): boolean {
  for (let code = 200; code < 400; code++) if (matcherAccepts(matcher, code)) return true;
  return false;
}

function misconfigured(s: Snapshot, g: TargetGroup): Finding | null {
  const hc = g.healthCheck;
  if (!hc.enabled || g.targetType === "lambda") return null;
  const bad = g.targets.filter(isUnhealthy);
  if (bad.length === 0) return null;
  const allBad = bad.length === g.targets.filter((t) => t.state !== "unused").length;
  const severity = allBad ? "critical" : "warning";
  const make = (c: number, title: string, evidence: Evidence[], patch: HealthCheckPatch | null): Finding => {
    const fix = patch ? fixHealthCheckFix(g, patch) : null;
    const fixes: FixSuggestion[] = fix ? [fix] : [];
    return {
      id: "health-check-misconfigured",
      severity,
      confidence: confidence(c),
      title,
      evidence,
      resources: [g.arn, ...bad.map((t) => t.id)],
      fixes,
    };
  };
  const where = `${hc.protocol} ${hc.path ?? "/"} on ${hc.port === "traffic-port" ? `the traffic port ${g.port ?? ""}`.trim() : `port ${hc.port}`}`;

  // 1. Response code mismatch.
  const mismatched = bad.filter((t) => t.reason === "Target.ResponseCodeMismatch");
  if (mismatched.length > 0) {
    const matcher = hc.matcher?.httpCode ?? "200";
    const codes = [...new Set(mismatched.flatMap((t) => codesFromDescription(t.description)))].sort();
    const outside = codes.filter((c) => !matcherAccepts(matcher, c));
    if (codes.length > 0 && outside.every((c) => c >= 500)) return null; // the app itself fails its check
    const evidence: Evidence[] = [
      {
        source: "target-health",
        detail: `${mismatched.length} target${mismatched.length === 1 ? "" : "s"} answer the health check ${where} with ${codes.length ? `[${codes.join(", ")}]` : "an unexpected code"} while the matcher expects ${matcher}`,
      },
    ];
    const sameEverywhere =
      new Set(mismatched.map((t) => t.description)).size === 1 && mismatched.length === bad.length;
    let c = 0.7 + (sameEverywhere ? 0.05 : 0);
    const logs = usableLogs(s);
    const answering = answeringHealthPath(logs, hc.path, matcher);
    const alternative = answering.path;
    const checkedStats = logs?.byPath[hc.path ?? "/"];
    if (checkedStats && checkedStats.errors["404"]) {
      evidence.push({
        source: "access-logs",
        detail: `clients asking for ${hc.path} got 404 ×${checkedStats.errors["404"]} too`,
      });
    }
    let patch: HealthCheckPatch | null = null;
    const successLike = outside.filter((code) => code >= 200 && code < 400);
    if (outside.length > 0 && successLike.length === outside.length) {
      c += 0.15;
      patch = { Matcher: [matcher, ...successLike].join(",") };
    } else if (alternative) {
      c += 0.15;
      const b = logs!.byPath[alternative];
      evidence.push({
        source: "access-logs",
        detail: `the application answers ${alternative} for clients (${b.requests} requests, no errors) but the check asks for ${hc.path ?? "/"}`,
      });
      patch = { HealthCheckPath: alternative };
    } else if (answering.refused) {
      evidence.push({
        source: "access-logs",
        detail: `clients reach ${displayPath(answering.refused.path)} without errors, but it is not proposed as the health-check path: it ${answering.refused.why} (paths in traffic are not trusted)`,
      });
    } else {
      evidence.push({
        source: "access-logs",
        detail:
          "no other health-like path answering in the access logs to propose; check the application's health route",
      });
    }
    const finding = make(
      c,
      `The health check asks ${g.name}'s targets for ${hc.path ?? "/"}, which they do not answer as expected`,
      evidence,
      patch,
    );
    // A path from traffic that is not safe to propose: guidance, never a path in a fix.
    if (!patch && answering.refused)
      finding.fixes.push({
        id: "fix-health-check",
        automated: false,
        summary: `Point the health check of ${g.name} at a route the application answers with ${matcher}; choose it from the application's code, not from the request paths in the logs`,
      });
    return finding;
  }

  // 2. Health-check port that nothing listens on, while the traffic port works.
  const refused = bad.filter((t) => t.reason === "Target.FailedHealthChecks");
  const trafficPort = String(g.port ?? "");
  if (refused.length > 0 && hc.port !== "traffic-port" && hc.port !== trafficPort) {
    const served = trafficAnswered(s, refused, g);
    const evidence: Evidence[] = [
      {
        source: "health-check",
        detail: `health checks go to port ${hc.port} but traffic goes to port ${trafficPort}; ${refused.length} target${refused.length === 1 ? "" : "s"} refuse the check connection (Target.FailedHealthChecks)`,
      },
    ];
    if (served > 0)
      evidence.push({
        source: "access-logs",
        detail: `the same targets answered ${served} requests on the traffic port ${trafficPort}`,
      });
    return make(
      0.75 + (served > 0 ? 0.1 : 0),
      `The health check probes port ${hc.port}, where ${g.name}'s targets do not listen`,
      evidence,
      { HealthCheckPort: "traffic-port" },
    );
  }

  // 3. Health-check protocol that differs from the group's (TLS to a plain-HTTP port, or the reverse).
  if (refused.length > 0 && g.protocol && hc.protocol !== g.protocol) {
    return make(
      0.7,
      `The health check speaks ${hc.protocol} to targets that serve ${g.protocol}`,
      [
        {
          source: "health-check",
          detail: `health-check protocol ${hc.protocol} differs from the target group protocol ${g.protocol}; ${refused.length} target${refused.length === 1 ? "" : "s"} fail with Target.FailedHealthChecks`,
        },
      ],
      { HealthCheckProtocol: g.protocol },
    );
  }
  return null;
}

/** Requests answered (not failed) by these targets, per the access logs. */
function trafficAnswered(s: Snapshot, targets: Target[], g: TargetGroup): number {
  const logs = usableLogs(s);
  if (!logs) return 0;
  const ids = new Set(targets.map((t) => t.id));
  let n = 0;
  for (const [address, lt] of targetsByAddress(s)) {
    if (lt.group.arn !== g.arn || !ids.has(lt.target.id)) continue;
    const b = logs.byTarget[address];
    if (b) n += b.requests - Object.values(b.errors).reduce((a, e) => a + e, 0);
  }
  return Math.max(0, n);
}
