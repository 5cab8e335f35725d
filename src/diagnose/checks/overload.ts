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
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, pct, topByClass, usableLogs } from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { correlation, metricByMinute, metricSum } from "../evidence/metrics.ts";
import { logMinutes, spreadOf } from "../evidence/time.ts";

export const overloadCheck: Check = { name: "overload", run };

function run(s: Snapshot): Finding[] {
  const logs = usableLogs(s);
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
