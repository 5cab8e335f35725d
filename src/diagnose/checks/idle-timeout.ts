/**
 * idle-timeout-exceeded: requests run longer than the ALB idle timeout, so the ALB gives up and answers 504
 * (alb-facts §1.3, §3 "504" cause 2, §7.3). Evidence: class elb-504-idle-timeout in the logs, TargetResponseTime
 * Maximum/p99 at the idle timeout, and the paths the slow requests concentrate on.
 *
 * Confidence (logs): 0.55 + 0.3 × (idle-timeout 504s / all ELB 504s) + 0.07 when TargetResponseTime Maximum reaches
 * 90% of the idle timeout + 0.05 when three paths or fewer hold 70% of them. Metrics only: 0.4, + 0.15 when the
 * Maximum is within 10% of the idle timeout, + 0.05 when p99 is too; capped at 0.65.
 *
 * The raise is sized from completed requests only: the cut ones ran at least the idle timeout, and what they
 * need beyond it is unknown (censored), so the fix says so instead of doubling the timeout's own value.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, elbGenerated, listFew, pct, secs, topByClass, usableLogs } from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { metricPeak, metricSum } from "../evidence/metrics.ts";
import { idleTimeoutSeconds } from "../evidence/targets.ts";
import { raiseBackendKeepAliveFix } from "../fixes/raise-backend-keepalive.ts";
import { setIdleTimeoutFix, sizeRaisedIdleTimeout } from "../fixes/set-idle-timeout.ts";

const TITLE = "Requests run longer than the ALB idle timeout (504)";

export const idleTimeoutCheck: Check = { name: "idle-timeout", run };

function run(s: Snapshot): Finding[] {
  const idle = idleTimeoutSeconds(s);
  const maxTrt = metricPeak(s, "TargetResponseTime", "Maximum");
  const p99Trt = metricPeak(s, "TargetResponseTime", "p99");
  const m504 = metricSum(s, "HTTPCode_ELB_504_Count");
  const atIdle = (v: number | null, frac: number) => v !== null && v >= frac * idle;
  const evidence: Evidence[] = [];
  let c: number;
  let errors: number;

  const logs = usableLogs(s);
  if (logs) {
    const timedOut = classCount(logs, "elb-504-idle-timeout");
    if (timedOut === 0) return [];
    const all504 = Math.max(elbGenerated(logs, "504"), timedOut);
    errors = timedOut;
    const tp = logs.latency.targetProcessing;
    evidence.push({
      source: "access-logs",
      detail: `${timedOut} of ${all504} ELB 504s ended at the ${idle} s idle timeout with no response from the target`,
    });
    if (tp.max !== null || tp.p99 !== null) {
      evidence.push({
        source: "access-logs",
        detail: `target_processing_time of all requests a target answered: p99 ${tp.p99 === null ? "n/a" : secs(tp.p99)}, max ${tp.max === null ? "n/a" : secs(tp.max)}`,
      });
    }
    c = 0.55 + 0.3 * (timedOut / all504);
    const paths = topByClass(logs.byPath, "elb-504-idle-timeout");
    if (paths.length > 0) {
      const top = paths.slice(0, 3);
      const inTop = top.reduce((a, p) => a + p.count, 0);
      const concentrated = inTop >= 0.7 * timedOut;
      if (concentrated) c += 0.05;
      evidence.push({
        source: "access-logs",
        detail: `${concentrated ? "concentrated on" : "spread over paths; top"} ${listFew(top.map((p) => `${p.key} (${p.count})`))}: ${pct(inTop, timedOut)} of them`,
      });
    }
    if (atIdle(maxTrt, 0.9)) c += 0.07;
  } else {
    if (!m504 || !atIdle(maxTrt, 0.9)) return [];
    errors = m504;
    c = 0.4 + (atIdle(maxTrt, 0.9) && maxTrt! <= 1.1 * idle ? 0.15 : 0) + (atIdle(p99Trt, 0.9) ? 0.05 : 0);
    c = Math.min(c, 0.65);
    evidence.push({ source: "access-logs", detail: "no access logs for the window: metrics-only evidence" });
  }
  if (m504 !== null || maxTrt !== null) {
    evidence.push({
      source: "metrics",
      detail: `HTTPCode_ELB_504_Count ${m504 ?? "unknown"}; TargetResponseTime of all target responses: Maximum ${maxTrt === null ? "unknown" : secs(maxTrt)}${p99Trt === null ? "" : `, highest one-period p99 ${secs(p99Trt)}`} against an idle timeout of ${idle} s`,
    });
  }

  // Only completed requests size the new value: the cut ones' maximum is the timeout itself (censored).
  const completed = slowestCompleted(s, logs === undefined ? maxTrt : null);
  const cut = logs ? classCount(logs, "elb-504-idle-timeout") : (m504 ?? 0);
  const sizing = sizeRaisedIdleTimeout(idle, completed, cut);
  const proposed = sizing.proposed;
  if (sizing.censored) {
    evidence.push({
      source: "access-logs",
      detail: `durations are cut at the idle timeout: ${cut} requests ended at ${idle} s, so how long they need is unknown (the largest time seen is the timeout itself); the proposed value is not sized from it`,
    });
  }
  return [
    {
      id: "idle-timeout-exceeded",
      severity: severityForErrors(errors, requestTotal(s)),
      confidence: confidence(c),
      title: TITLE,
      evidence,
      resources: [s.loadBalancer.arn],
      fixes: [
        setIdleTimeoutFix(
          s,
          idle,
          proposed,
          sizing.note,
          sizing.censored ? { censoredAtSeconds: idle, cutRequests: cut } : {},
        ),
        // A higher idle timeout must stay below the backend keep-alive, or it creates a keep-alive race.
        raiseBackendKeepAliveFix(proposed),
      ],
    },
  ];
}

/**
 * The slowest request that completed (seconds): the answered requests' maximum per path, else the target
 * processing maximum of the logs; with metrics only, the TargetResponseTime maximum (`metricMax`).
 */
function slowestCompleted(s: Snapshot, metricMax: number | null): number | null {
  const logs = usableLogs(s);
  if (!logs) return metricMax;
  let max: number | null = null;
  for (const b of Object.values(logs.byPath)) {
    const m = b.answered?.maxSeconds;
    if (m !== undefined && (max === null || m > max)) max = m;
  }
  return max ?? logs.latency.targetProcessing.max;
}
