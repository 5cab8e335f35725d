/**
 * targets-overloaded: targets refuse or stall connections under load (alb-facts §3 "504" cause 1, §7.3).
 * Evidence: TargetConnectionErrorCount rising with RequestCount (per-minute correlation, or concentrated in the
 * busier minutes); TargetResponseTime rising with load; connect-timeout 504s in the logs; errors spread across
 * many paths (the whole service is slow, not one endpoint). Targets that still answer most requests: a security
 * group or NACL that blocks fails every request, at any load (the network checks own that case).
 *
 * Confidence: 0.4 + 0.3 × correlation(connection errors, requests) (or 0.2 when the errors sit in the busier
 * minutes) + 0.1 when latency rises with load + 0.1 with connect-timeout 504s in the logs + 0.05 when errors
 * spread over three paths or more; at most 0.9.
 *
 * Worker starvation (alb-facts §10) is the same cause without load: the same request answers in milliseconds
 * or after 20-30 s on most paths (it waited for a free worker) and ALB 502/504s pile up at the app server's
 * worker timeout (evidence/workers.ts). Confidence 0.6 + 0.1 when it does not follow the load + 0.1 when the
 * pile-up is at least 10 rows + 0.05 when slow answers show on every path considered; at most 0.9.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, pct, topByClass, usableLogs } from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { correlation, metricByMinute, metricSum } from "../evidence/metrics.ts";
import { logMinutes, spreadOf } from "../evidence/time.ts";
import { starvationOf, SLOW_ANSWER_SECONDS, type Starvation } from "../evidence/workers.ts";
import { idleTimeoutSeconds } from "../evidence/targets.ts";
import { tuneAppServerWorkersFix } from "../fixes/tune-app-server-workers.ts";
import type { LogSummary } from "../../domain/log-summary.ts";

export const overloadCheck: Check = { name: "overload", run };

function run(s: Snapshot): Finding[] {
  const logs = usableLogs(s);
  const starved = logs ? starvationOf(logs) : null;
  if (logs && starved) return [starvationFinding(s, logs, starved)];
  const requestsByMinute = metricByMinute(s, "RequestCount");
  let errorsByMinute = metricByMinute(s, "TargetConnectionErrorCount");
  let connErrors = metricSum(s, "TargetConnectionErrorCount") ?? 0;
  const connectTimeouts = logs ? classCount(logs, "elb-504-connect-timeout") : 0;
  let requests = requestTotal(s) ?? 0;
  let loadByMinute = requestsByMinute;
  let fromMetric = true;
  if (connErrors === 0 && logs && connectTimeouts > 0) {
    // No metric: the access logs' connect timeouts per minute stand in for connection errors.
    const m = logMinutes(logs, ["elb-504-connect-timeout"]);
    errorsByMinute = m.errors;
    loadByMinute = m.requests;
    connErrors = connectTimeouts;
    fromMetric = false;
  }
  if (connErrors === 0) return [];
  // Targets that fail most requests are unreachable or down, not overloaded.
  if (requests > 0 && connErrors > 0.5 * requests) return [];
  if (requests === 0) requests = [...loadByMinute.values()].reduce((a, v) => a + v, 0);

  const corr = correlation(errorsByMinute, loadByMinute);
  const spread = spreadOf(errorsByMinute, loadByMinute);
  const busyShare =
    connErrors > 0 ? spread.atHighLoad / Math.max(1, spread.atLowLoad + spread.atHighLoad) : 0;
  const withLoad = (corr !== null && corr >= 0.5) || (spread.minutesWithErrors >= 2 && busyShare >= 0.8);
  if (!withLoad) return [];

  const evidence: Evidence[] = [
    {
      source: fromMetric ? "metrics" : "access-logs",
      detail: `${fromMetric ? `TargetConnectionErrorCount ${connErrors}` : `${connErrors} connect-timeout 504s`} rising with load: ${corr === null ? "" : `correlation with the request rate ${corr.toFixed(2)}, `}${pct(spread.atHighLoad, spread.atLowLoad + spread.atHighLoad)} of them in the busier minutes`,
    },
  ];
  let c = 0.4 + (corr !== null && corr >= 0.5 ? 0.3 * corr : 0.2);

  const latencyCorr = correlation(metricByMinute(s, "TargetResponseTime", "Average"), requestsByMinute);
  if (latencyCorr !== null && latencyCorr >= 0.5) {
    c += 0.1;
    evidence.push({
      source: "metrics",
      detail: `TargetResponseTime rises with RequestCount (correlation ${latencyCorr.toFixed(2)})`,
    });
  }
  if (connectTimeouts > 0) {
    c += 0.1;
    evidence.push({
      source: "access-logs",
      detail: `${connectTimeouts} ELB 504s after about 10 s with -1 timings: the ALB could not get a connection`,
    });
  }
  if (logs) {
    const paths = topByClass(logs.byPath, [
      "elb-504-connect-timeout",
      "elb-504-idle-timeout",
      "elb-502-target-closed",
    ]);
    if (paths.length >= 3) {
      c += 0.05;
      evidence.push({
        source: "access-logs",
        detail: `errors spread over ${paths.length} paths: the whole service slows down, not one endpoint`,
      });
    }
  }
  return [
    {
      id: "targets-overloaded",
      severity: severityForErrors(connErrors, requests),
      confidence: confidence(c, 0.9),
      title: "Targets refuse or stall connections under load",
      evidence,
      resources: s.targetGroups.map((g) => g.arn),
      fixes: [],
    },
  ];
}

function starvationFinding(s: Snapshot, logs: LogSummary, w: Starvation): Finding {
  const pile = w.pile!;
  const byStatus = Object.entries(pile.byStatus)
    .map(([st, n]) => `${n} ${st}s`)
    .join(" and ");
  const evidence: Evidence[] = [
    {
      source: "access-logs",
      detail: `slow answers on ${w.pathsWithSlow} of ${w.pathsConsidered} paths: ${w.slow} of ${w.answered} answered requests (${pct(w.slow, w.answered)}) took ${SLOW_ANSWER_SECONDS} s or more while the others on the same paths answered quickly: requests wait for a free worker, not a slow endpoint`,
    },
    {
      source: "access-logs",
      detail: `${byStatus} generated by the ALB lasted about ${pile.seconds} s, neither the ${logs.assumptions.idleTimeoutSeconds} s idle timeout nor the 10 s connect timeout: the app server's own worker timeout (Gunicorn's default is 30 s) killing stuck workers`,
    },
  ];
  let c = 0.6;
  const slowByMinute = new Map<string, number>();
  const reqByMinute = new Map<string, number>();
  for (const [k, b] of Object.entries(logs.byMinute)) {
    reqByMinute.set(k, b.requests);
    slowByMinute.set(k, b.answered?.slow ?? 0);
  }
  const corr = correlation(slowByMinute, reqByMinute);
  if (corr === null || corr < 0.5) {
    c += 0.1;
    evidence.push({
      source: "access-logs",
      detail: `not driven by load${corr === null ? "" : ` (slow answers vs requests per minute: correlation ${corr.toFixed(2)})`}: idle connections held open tie up the workers at any traffic`,
    });
  } else {
    evidence.push({
      source: "access-logs",
      detail: `slow answers rise with load (correlation ${corr.toFixed(2)}): the worker pool is too small for the traffic too`,
    });
  }
  if (pile.count >= 10) c += 0.1;
  if (w.pathsWithSlow === w.pathsConsidered) c += 0.05;
  const connErrors = metricSum(s, "TargetConnectionErrorCount");
  const t5xx = metricSum(s, "HTTPCode_Target_5XX_Count");
  if (connErrors !== null || t5xx !== null) {
    evidence.push({
      source: "metrics",
      detail: `TargetConnectionErrorCount ${connErrors ?? "unknown"}, HTTPCode_Target_5XX_Count ${t5xx ?? "unknown"}: the targets accept connections and do not answer errors themselves; they are slow to get to the requests`,
    });
  }
  const idle = idleTimeoutSeconds(s);
  return {
    id: "targets-overloaded",
    severity: severityForErrors(pile.count + w.slow, requestTotal(s)),
    confidence: confidence(c, 0.9),
    title: "App-server workers are starved: requests wait for a free worker",
    evidence,
    resources: s.targetGroups.map((g) => g.arn),
    fixes: [tuneAppServerWorkersFix(idle, pile.seconds)],
    nextStep: `Switch the app server to threaded or async workers (or add workers) and set its keep-alive above the ${idle} s idle timeout; then watch the ${pile.seconds} s errors disappear.`,
  };
}
