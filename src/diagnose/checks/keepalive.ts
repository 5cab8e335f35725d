/**
 * keepalive-race: a target closes an idle keep-alive connection just as the ALB sends a request on it.
 * Signature (alb-facts §1.3, §6, §7.3, §10): sporadic ELB 502s with a target chosen and target_status_code "-",
 * in either row shape (`-1 -1 -1` or a measured target time with response -1), spread over the paths of the
 * affected groups in proportion to their traffic (evidence/distribution.ts: rows piled up on a few paths at a
 * steady rate are malformed-target-response's), rare per request, on targets that stay healthy, at low and
 * high load, with no rise in TargetConnectionErrorCount or target 5XX, and an idle timeout at or above common
 * backend keep-alive defaults. Not this check: 502s on draining or deregistered targets
 * (deregistration-draining), targets failing nearly every request (TLS, nothing listening), app-generated 502s
 * (target-returned-5xx). A handful of them is still a warning with its fix, never "healthy".
 *
 * Confidence (logs): 0.45 + 0.35 × (race-read 502s on healthy targets / ELB-generated 502s)
 * + 0.1 with 3 or more targets (0.07 with 2, or with the group's only target; 0.03 for one of several)
 * + 0.05 at both low and high load − 0.2 when all of them sit within 3 minutes (an event, not a race)
 * + 0.05 when HTTPCode_ELB_502_Count agrees (− 0.15 when it does not) − 0.1 when the targets returned as many
 * 5xx themselves + 0.05 with an idle timeout ≥ 5 s (− 0.15 below) − 0.15 above 2% of the requests (too frequent
 * for a race) − 0.1 when their target times look like normal answers + 0.03 when they are tiny − 0.1 with
 * fewer than 5 of them (too few to judge a spread), − 0.2 with fewer than 3; at most 0.95.
 * Metrics only: 0.35 + 0.05 at low and high load + 0.05 over 10 minutes or more + up to 0.05 for the idle
 * timeout; at most 0.5.
 */
import type { Check } from "../check.ts";
import type { LogSummary } from "../../domain/log-summary.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, elbGenerated, listFew, secs, usableLogs } from "../evidence/logs.ts";
import { slowestRequestSeconds, requestTotal } from "../evidence/latency.ts";
import { metricByMinute, metricSum, unhealthyHostPeak } from "../evidence/metrics.ts";
import {
  isDraining,
  isHealthy,
  isUnhealthy,
  idleTimeoutSeconds,
  locateTargets,
  targetsByAddress,
} from "../evidence/targets.ts";
import { describeSpread, isBurst, logMinutes, spreadOf } from "../evidence/time.ts";
import { RACE_MAX_RATE, distributionOf, raceEvidence } from "../evidence/distribution.ts";
import { raiseBackendKeepAliveFix } from "../fixes/raise-backend-keepalive.ts";
import { BELOW_COMMON_KEEPALIVE_SECONDS, setIdleTimeoutFix } from "../fixes/set-idle-timeout.ts";

const TITLE = "Targets close idle keep-alive connections before the ALB does";
/** A target failing this share of its requests is broken (TLS, nothing listening), not racing. */
const BROKEN_TARGET_RATIO = 0.5;
const KEEPALIVE_DEFAULTS =
  "Node.js up to v25 (5 s), Apache (5 s), Gunicorn (2 s), Tomcat's stock server.xml (20 s)";

export const keepaliveCheck: Check = {
  name: "keepalive",
  run: (s) => {
    const logs = usableLogs(s);
    return logs ? fromLogs(s, logs) : fromMetrics(s);
  },
};

const SHAPES = ["elb-502-target-closed", "elb-502-malformed-response"] as const;

function fromLogs(s: Snapshot, logs: LogSummary): Finding[] {
  const d = distributionOf(logs);
  // Rows that pile up on a few paths at a steady rate are malformed-target-response's, not a race.
  // A race fails as the request goes out: 502s that lasted seconds (a worker timeout, a crash mid-request) are not.
  const closed = Math.max(0, d.raceRows - longElb502s(logs));
  if (closed === 0) return [];
  const allRows = classCount(logs, SHAPES[0]) + classCount(logs, SHAPES[1]);
  const elb502 = Math.max(elbGenerated(logs, "502"), allRows);
  const byAddress = targetsByAddress(s);
  const mappable = byAddress.size > 0;
  const tlsFailingGroups = new Set(
    s.targetGroups
      .filter(
        (g) =>
          g.protocol === "HTTPS" && (metricSum(s, "TargetTLSNegotiationErrorCount", g.resourceId) ?? 0) > 0,
      )
      .map((g) => g.arn),
  );

  // Which targets the closed-connection 502s landed on, and whether those targets stayed healthy.
  const racing: { address: string; count: number; id?: string; group?: string }[] = [];
  let elsewhere = 0;
  for (const [address, b] of Object.entries(logs.byTarget)) {
    const count = (b.classes[SHAPES[0]] ?? 0) + (b.classes[SHAPES[1]] ?? 0);
    if (count === 0) continue;
    const lt = byAddress.get(address);
    const broken = b.requests > 0 && count / b.requests >= BROKEN_TARGET_RATIO;
    const eligible = lt
      ? isHealthy(lt.target) && !tlsFailingGroups.has(lt.group.arn)
      : !mappable && !anyTargetDrainingOrUnhealthy(s); // addresses unknown: trust the health states instead
    if (eligible && !broken) racing.push({ address, count, id: lt?.target.id, group: lt?.group.arn });
    else elsewhere += count;
  }
  const perTargetKnown = Object.keys(logs.byTarget).length > 0;
  const onTargets = perTargetKnown
    ? racing.reduce((a, r) => a + r.count, 0)
    : anyTargetDrainingOrUnhealthy(s) || tlsFailingGroups.size > 0
      ? 0
      : closed;
  // Per target both shapes count; the rows read as malformed (they sit on healthy targets too) come off.
  const onHealthy = Math.min(closed, Math.max(0, onTargets - (perTargetKnown ? d.malformedRows : 0)));
  if (onHealthy === 0 || onHealthy < 0.5 * closed || elsewhere > onHealthy) return [];

  const connErrors = metricSum(s, "TargetConnectionErrorCount");
  if (connErrors !== null && connErrors >= 0.5 * onHealthy) return [];

  const evidence: Evidence[] = [];
  const nTargets = perTargetKnown ? racing.length : healthyTargetCount(s);
  // Per-target counts hold both readings when some rows were read as malformed: then only the targets count.
  const where = perTargetKnown
    ? `spread over ${nTargets} healthy target${nTargets === 1 ? "" : "s"}${d.malformedRows > 0 ? "" : ` (${listFew(racing.map((r) => `${r.address} ${r.count}`))})`}`
    : "on a group whose targets are all healthy";
  const shape =
    d.raceMeasured === 0
      ? "-1 processing times"
      : `no response (${d.raceRows - d.raceMeasured} as '-1 -1 -1', ${d.raceMeasured} with a target time and response_processing_time -1)`;
  evidence.push({
    source: "access-logs",
    detail: `${onHealthy} of ${elb502} ELB 502s have target_status_code '-' and ${shape}, ${where}`,
  });
  for (const detail of raceEvidence(d)) evidence.push({ source: "access-logs", detail });

  const { errors, requests } = logMinutes(logs, [...SHAPES]);
  const spread = spreadOf(errors, requests);
  const spreadDetail = describeSpread(spread);
  if (spreadDetail) evidence.push({ source: "access-logs", detail: spreadDetail });

  let c = 0.45 + 0.35 * (onHealthy / elb502);
  // More targets with the same pattern make one broken host unlikely.
  c += nTargets >= 3 ? 0.1 : nTargets === 2 ? 0.07 : healthyTargetCount(s) <= 1 ? 0.07 : 0.03;
  if (spread.atLowLoad > 0 && spread.atHighLoad > 0) c += 0.05;
  // One or two rows sit in a minute or two whatever their cause: no burst to judge.
  if (isBurst(spread) && closed > 2) c -= 0.2;
  if (closed < 5) c -= 0.1;
  if (closed < 3) c -= 0.1;
  if (d.requests > 0 && closed / d.requests > RACE_MAX_RATE) c -= 0.15;
  if (d.raceTiming === "like-normal") c -= 0.1;
  else if (d.raceTiming === "tiny") c += 0.03;

  const m502 = metricSum(s, "HTTPCode_ELB_502_Count");
  if (m502 !== null) {
    const agree = m502 >= 0.5 * onHealthy;
    c += agree ? 0.05 : -0.15;
    evidence.push({
      source: "metrics",
      detail: agree
        ? `HTTPCode_ELB_502_Count ${m502} in the window agrees; TargetConnectionErrorCount ${connErrors ?? "unknown"}`
        : `HTTPCode_ELB_502_Count is only ${m502} while the logs hold ${onHealthy} such 502s`,
    });
  }
  const app5xx = classCount(logs, "target-5xx");
  if (app5xx >= onHealthy) {
    c -= 0.1;
    evidence.push({ source: "access-logs", detail: `the targets also returned ${app5xx} 5xx themselves` });
  } else {
    evidence.push({
      source: "access-logs",
      detail: `no matching rise of target 5xx (${app5xx} target-returned 5xx)`,
    });
  }
  c += idleEvidence(s, evidence);

  return [finding(s, c, onHealthy, requestTotal(s), evidence, resourcesOf(s, racing))];
}

function fromMetrics(s: Snapshot): Finding[] {
  const m502 = metricSum(s, "HTTPCode_ELB_502_Count");
  if (!m502) return [];
  const connErrors = metricSum(s, "TargetConnectionErrorCount") ?? 0;
  const tlsErrors = metricSum(s, "TargetTLSNegotiationErrorCount") ?? 0;
  const target5xx = metricSum(s, "HTTPCode_Target_5XX_Count") ?? 0;
  // Lambda targets hold no keep-alive connections: their failures are 502s too.
  const lambdaErrors = (metricSum(s, "LambdaUserError") ?? 0) + (metricSum(s, "LambdaInternalError") ?? 0);
  const onlyLambda = s.targetGroups.length > 0 && s.targetGroups.every((g) => g.targetType === "lambda");
  if (onlyLambda || lambdaErrors >= 0.5 * m502) return [];
  if (connErrors >= 0.5 * m502 || tlsErrors > 0 || target5xx >= m502) return [];
  if (anyTargetDrainingOrUnhealthy(s)) return [];
  if (s.targetGroups.some((g) => (unhealthyHostPeak(s, g.resourceId) ?? 0) > 0)) return [];
  const spread = spreadOf(metricByMinute(s, "HTTPCode_ELB_502_Count"), metricByMinute(s, "RequestCount"));
  if (spread.minutesWithErrors < 3 || isBurst(spread)) return [];

  const evidence: Evidence[] = [
    {
      source: "metrics",
      detail: `HTTPCode_ELB_502_Count ${m502} with TargetConnectionErrorCount ${connErrors}, TargetTLSNegotiationErrorCount 0 and HTTPCode_Target_5XX_Count ${target5xx}, while every target stays healthy`,
    },
  ];
  const spreadDetail = describeSpread(spread);
  if (spreadDetail) evidence.push({ source: "metrics", detail: spreadDetail });
  evidence.push({
    source: "access-logs",
    detail: "no access logs for the window: metrics-only evidence, lower confidence",
  });
  // Metrics cannot show target_status_code or which target failed: cap well below the log-based case.
  let c =
    0.35 +
    (spread.atLowLoad > 0 && spread.atHighLoad > 0 ? 0.05 : 0) +
    (spread.minutesWithErrors >= 10 ? 0.05 : 0);
  c += Math.min(0.05, idleEvidence(s, evidence));
  const racing = locateTargets(s)
    .filter((lt) => isHealthy(lt.target))
    .map((lt) => ({ id: lt.target.id, group: lt.group.arn }));
  return [finding(s, Math.min(c, 0.5), m502, requestTotal(s), evidence, resourcesOf(s, racing))];
}

function finding(
  s: Snapshot,
  c: number,
  errors: number,
  requests: number | null,
  evidence: Evidence[],
  resources: string[],
): Finding {
  const idle = idleTimeoutSeconds(s);
  const fixes = [raiseBackendKeepAliveFix(idle)];
  if (idle > BELOW_COMMON_KEEPALIVE_SECONDS) {
    const lower = BELOW_COMMON_KEEPALIVE_SECONDS;
    const breaks = whatLoweringBreaks(s, lower);
    const slowest = slowestRequestSeconds(s);
    const note =
      breaks.text.length > 0
        ? `risky: it would break ${breaks.text.join("; ")}; prefer raising the backend keep-alive`
        : slowest === null
          ? "request durations unknown: remediation's risk check compares with observed durations"
          : slowest < lower
            ? `below common 5 s backend keep-alives; slowest request seen ${secs(slowest)}`
            : `risky: requests up to ${secs(slowest)} were seen and would get 504s; prefer raising the backend keep-alive`;
    fixes.push(setIdleTimeoutFix(s, idle, lower, note, breaks.params));
  }
  // A handful of race 502s on an idle timeout above backend defaults is a real bug: a warning, not info.
  const sev = severityForErrors(errors, requests);
  return {
    id: "keepalive-race",
    severity: sev === "info" && idle >= 5 ? "warning" : sev,
    confidence: confidence(c, 0.95),
    title: TITLE,
    evidence,
    resources,
    fixes,
  };
}

/** Adds the idle-timeout evidence; returns its confidence contribution. */
function idleEvidence(s: Snapshot, evidence: Evidence[]): number {
  const idle = idleTimeoutSeconds(s);
  if (idle >= 5) {
    evidence.push({
      source: "attributes",
      detail: `idle_timeout.timeout_seconds is ${idle} s, at or above common backend keep-alive defaults: ${KEEPALIVE_DEFAULTS}`,
    });
    return 0.05;
  }
  evidence.push({
    source: "attributes",
    detail: `idle_timeout.timeout_seconds is only ${idle} s: only backends with very short keep-alives (Gunicorn 2 s) can race it`,
  });
  return -0.15;
}

function anyTargetDrainingOrUnhealthy(s: Snapshot): boolean {
  return s.targetGroups.some((g) => g.targets.some((t) => isDraining(t) || isUnhealthy(t)));
}

function healthyTargetCount(s: Snapshot): number {
  return locateTargets(s).filter((lt) => isHealthy(lt.target)).length;
}

function resourcesOf(s: Snapshot, racing: { id?: string; group?: string }[]): string[] {
  const groups = new Set(racing.map((r) => r.group).filter((g): g is string => Boolean(g)));
  if (groups.size === 0) for (const g of s.targetGroups) groups.add(g.arn);
  const ids = racing.map((r) => r.id).filter((id): id is string => Boolean(id));
  return [...new Set([...ids, ...groups])];
}

/**
 * What lowering the idle timeout to `seconds` would cut, from the access logs: paths whose answered requests
 * ran longer (slow endpoints, long polls, exports) and WebSocket connections (closed after `seconds` without
 * a frame). Returned as words for the fix and as params for the remediation risk check.
 */
function whatLoweringBreaks(
  s: Snapshot,
  seconds: number,
): { text: string[]; params: Record<string, string | number> } {
  const logs = usableLogs(s);
  const text: string[] = [];
  const params: Record<string, string | number> = {};
  if (!logs) return { text, params };
  const slow = Object.entries(logs.byPath)
    .filter(([p, b]) => p !== "(other)" && (b.answered?.maxSeconds ?? 0) >= seconds)
    .sort((a, b) => b[1].answered!.maxSeconds - a[1].answered!.maxSeconds);
  if (slow.length) {
    const list = listFew(slow.map(([p, b]) => `${p} (up to ${secs(b.answered!.maxSeconds)})`));
    text.push(`requests longer than ${seconds} s on ${list}, which would end in 504s`);
    params.slowPaths = list;
  }
  const ws = logs.webSockets;
  if (ws && ws.connections > 0) {
    text.push(
      `${ws.connections} WebSocket connections${ws.maxSeconds === null ? "" : ` (up to ${secs(ws.maxSeconds)})`}, closed after ${seconds} s without a frame`,
    );
    params.webSocketConnections = ws.connections;
    params.webSocketMaxSeconds = ws.maxSeconds ?? 0;
  }
  return { text, params };
}

/** ELB 502s that lasted 5 s or more (a race's 502 comes within milliseconds, or an idle gap of a few seconds). */
function longElb502s(logs: LogSummary): number {
  let n = 0;
  for (const [sec, count] of Object.entries(logs.elbErrorSeconds?.["502"] ?? {}))
    if (Number(sec) >= 5) n += count;
  return n;
}
