/**
 * target-tls-failure: the ALB cannot complete TLS with HTTPS targets (alb-facts §3 "502" cause 10, §7.2
 * TargetTLSNegotiationErrorCount). Evidence: an HTTPS target group; TargetTLSNegotiationErrorCount; ELB 502s with
 * target_status_code "-" on (nearly) every request to its targets; HTTPS health checks failing to connect.
 *
 * Confidence: 0.45, + 0.3 with TargetTLSNegotiationErrorCount above 0, + 0.15 when at least 90% of the group's
 * requests fail that way (in the logs over the window, or in the metrics from the first failing minute on), + 0.05 when HTTPS health checks fail with Target.FailedHealthChecks.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot, TargetGroup } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { listFew, pct, usableLogs } from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { metricByMinute, metricSum } from "../evidence/metrics.ts";
import { isUnhealthy, targetsByAddress } from "../evidence/targets.ts";

export const tlsCheck: Check = {
  name: "tls",
  run: (s) => s.targetGroups.filter((g) => g.protocol === "HTTPS").flatMap((g) => forGroup(s, g) ?? []),
};

const FAILING_RATIO = 0.9;

function forGroup(s: Snapshot, g: TargetGroup): Finding | null {
  const httpsGroups = s.targetGroups.filter((x) => x.protocol === "HTTPS").length;
  const perGroup = metricSum(s, "TargetTLSNegotiationErrorCount", g.resourceId);
  // The LB-wide series can only be pinned on this group when it is the only HTTPS one.
  const tlsErrors =
    perGroup || (httpsGroups === 1 ? metricSum(s, "TargetTLSNegotiationErrorCount") : null) || 0;

  const evidence: Evidence[] = [];
  let c = 0.45;
  if (tlsErrors > 0) {
    c += 0.3;
    evidence.push({
      source: "metrics",
      detail: `TargetTLSNegotiationErrorCount ${tlsErrors} in the window for ${g.name} (HTTPS targets)`,
    });
  }

  let failedRequests = 0;
  let everyRequest = false;
  const logs = usableLogs(s);
  if (logs) {
    const failing: string[] = [];
    let requests = 0;
    for (const [address, lt] of targetsByAddress(s)) {
      if (lt.group.arn !== g.arn) continue;
      const b = logs.byTarget[address];
      if (!b || b.requests === 0) continue;
      const n = (b.classes["elb-502-target-closed"] ?? 0) + (b.classes["elb-502-malformed-response"] ?? 0);
      requests += b.requests;
      failedRequests += n;
      if (n >= FAILING_RATIO * b.requests) failing.push(lt.target.id);
    }
    if (requests > 0 && failedRequests >= FAILING_RATIO * requests) {
      everyRequest = true;
      c += 0.15;
    }
    if (failedRequests > 0) {
      evidence.push({
        source: "access-logs",
        detail: `${failedRequests} of ${requests} requests to ${g.name}'s targets (${pct(failedRequests, requests)}) got an ELB 502 with target_status_code '-'${failing.length ? `; failing on every request: ${listFew(failing)}` : ""}`,
      });
    }
  }
  const onset = failingSince(s, g);
  if (onset) {
    if (!everyRequest) c += 0.15;
    everyRequest = true;
    evidence.push({
      source: "metrics",
      detail: `since ${onset.since} every request to ${g.name} fails: ${onset.tlsErrors} TLS negotiation errors for ${onset.requests} requests (RequestCount), as if a TLS setting changed then`,
    });
  }
  if (tlsErrors === 0 && !everyRequest) return null;

  const hcFailures =
    g.healthCheck.protocol === "HTTPS"
      ? g.targets.filter((t) => isUnhealthy(t) && t.reason === "Target.FailedHealthChecks")
      : [];
  if (hcFailures.length > 0) {
    c += 0.05;
    evidence.push({
      source: "target-health",
      detail: `${hcFailures.length} target${hcFailures.length === 1 ? "" : "s"} fail HTTPS health checks with Target.FailedHealthChecks`,
    });
  }
  evidence.push({
    source: "listeners",
    detail:
      "the ALB connects to HTTPS targets with ELBSecurityPolicy-2016-08 (or ELBSecurityPolicy-TLS13-1-0-2021-06 behind a TLS 1.3 listener policy): targets must serve TLS on the target port with a protocol and cipher from it",
  });
  const errors = Math.max(tlsErrors, failedRequests);
  return {
    id: "target-tls-failure",
    severity: everyRequest ? "critical" : severityForErrors(errors, requestTotal(s)),
    confidence: confidence(c, 0.95),
    title: `TLS between the ALB and the HTTPS targets of ${g.name} fails`,
    evidence,
    resources: [g.arn, ...g.targets.map((t) => t.id)],
    fixes: [],
  };
}

/**
 * From the first minute with TLS errors on, do (nearly) all of the group's requests fail? A TLS change on the
 * targets (protocol, cipher, certificate) breaks every request from one moment on, not a share of them.
 */
function failingSince(
  s: Snapshot,
  g: TargetGroup,
): { since: string; tlsErrors: number; requests: number } | null {
  const tls = metricByMinute(s, "TargetTLSNegotiationErrorCount", "Sum", g.resourceId);
  const requests = metricByMinute(s, "RequestCount", "Sum", g.resourceId);
  const since = [...tls.entries()]
    .filter(([, v]) => v > 0)
    .map(([k]) => k)
    .sort()[0];
  if (!since) return null;
  let failed = 0;
  let total = 0;
  for (const [k, r] of requests) {
    if (k < since) continue;
    total += r;
    failed += tls.get(k) ?? 0;
  }
  return total > 0 && failed >= FAILING_RATIO * total ? { since, tlsErrors: failed, requests: total } : null;
}
