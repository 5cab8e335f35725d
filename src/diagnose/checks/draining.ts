/**
 * deregistration-draining: 502s during deployments, because targets stop before the deregistration delay ends or
 * the delay is shorter than in-flight requests (alb-facts §3 "502" cause 6, §4.2 draining, §5.2). Evidence:
 * draining targets now; ELB 502/504s landing on the draining targets (or on addresses no longer registered: the
 * deploy already removed them); those errors falling inside the draining window (the last deregistration-delay
 * seconds of the window); a delay shorter than the slowest request.
 *
 * Confidence (logs): 0.55 + 0.3 × (errors on draining or deregistered targets / all ELB-generated 502+504)
 * + 0.1 when 70% of them fall in the draining window. Metrics only: 0.4 + 0.2 × share of ELB 502s in the
 * draining window, at most 0.6.
 */
import type { Check } from "../check.ts";
import type { LogSummary } from "../../domain/log-summary.ts";
import type { Evidence, Finding, FixSuggestion } from "../../domain/report.ts";
import type { Snapshot, TargetGroup } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { elbGenerated, listFew, secs, usableLogs } from "../evidence/logs.ts";
import { requestTotal, slowestRequestSeconds } from "../evidence/latency.ts";
import { metricByMinute, metricSum } from "../evidence/metrics.ts";
import { isDraining, targetsByAddress } from "../evidence/targets.ts";
import { shareInRange } from "../evidence/time.ts";
import {
  deregistrationDelaySeconds,
  proposedDeregistrationDelay,
  setDeregistrationDelayFix,
} from "../fixes/set-deregistration-delay.ts";

export const drainingCheck: Check = { name: "draining", run };

const ELB_502_504_CLASSES = [
  "elb-502-target-closed",
  "elb-502-malformed-response",
  "elb-504-idle-timeout",
  "elb-504-connect-timeout",
  "elb-504-other",
] as const;

/** ELB-generated 502/504 in one bucket: by class when classified, else by status code. */
function elbErrors(errors: Record<string, number>, classes: Partial<Record<string, number>>): number {
  const byClass = ELB_502_504_CLASSES.reduce((a, c) => a + (classes[c] ?? 0), 0);
  return Object.keys(classes).length > 0 ? byClass : (errors["502"] ?? 0) + (errors["504"] ?? 0);
}

interface Gone {
  address: string;
  count: number;
  requests: number;
}

function run(s: Snapshot): Finding[] {
  const groups = s.targetGroups.filter((g) => g.targetType !== "lambda");
  const logs = usableLogs(s);
  const gone = logs ? goneAddresses(s, logs) : [];
  // Addresses no longer registered cannot be tied to a group: credit them to the one group, or the first draining.
  const firstDraining = groups.findIndex((x) => x.targets.some(isDraining));
  const findings: Finding[] = [];
  groups.forEach((g, i) => {
    const ownsGone = groups.length === 1 || i === (firstDraining === -1 ? 0 : firstDraining);
    const f = forGroup(s, g, ownsGone ? gone : []);
    if (f) findings.push(f);
  });
  return findings;
}

function goneAddresses(s: Snapshot, logs: LogSummary): Gone[] {
  const known = targetsByAddress(s);
  if (known.size === 0) return [];
  return Object.entries(logs.byTarget)
    .filter(([address]) => !known.has(address))
    .map(([address, b]) => ({ address, count: elbErrors(b.errors, b.classes), requests: b.requests }))
    .filter((e) => e.count > 0);
}

function forGroup(s: Snapshot, g: TargetGroup, gone: Gone[]): Finding | null {
  const draining = g.targets.filter(isDraining);
  const delay = deregistrationDelaySeconds(g);
  const slowest = slowestRequestSeconds(s);
  const delayTooShort = slowest !== null && delay < slowest;
  if (draining.length === 0 && (gone.length === 0 || !delayTooShort)) return null;

  const end = Date.parse(s.window.end);
  const windowStart = end - delay * 1000;
  const evidence: Evidence[] = [];
  let c: number;
  let errors: number;
  const logs = usableLogs(s);

  if (logs && Object.keys(logs.byTarget).length > 0) {
    const byAddress = targetsByAddress(s);
    const hits: { label: string; count: number }[] = [];
    const leaving = { errors: 0, requests: 0 };
    const staying = { errors: 0, requests: 0 };
    for (const [address, lt] of byAddress) {
      if (lt.group.arn !== g.arn) continue;
      const b = logs.byTarget[address];
      const n = b ? elbErrors(b.errors, b.classes) : 0;
      const side = isDraining(lt.target) ? leaving : staying;
      side.errors += n;
      side.requests += b?.requests ?? 0;
      if (n > 0 && isDraining(lt.target)) hits.push({ label: `${lt.target.id} (${address}) ${n}`, count: n });
    }
    for (const e of gone) {
      hits.push({ label: `${e.address} (deregistered) ${e.count}`, count: e.count });
      leaving.errors += e.count;
      leaving.requests += e.requests;
    }
    errors = hits.reduce((a, h) => a + h.count, 0);
    if (errors === 0) return null;
    const all = Math.max(errors, elbGenerated(logs, "502") + elbGenerated(logs, "504"));
    evidence.push({
      source: "access-logs",
      detail: `${errors} of ${all} ELB 502/504s went to draining or deregistered targets: ${listFew(hits.map((h) => h.label))}`,
    });
    c = 0.55 + 0.3 * (errors / all);
    const perMinute = new Map<string, number>();
    for (const [k, b] of Object.entries(logs.byMinute)) {
      const n = elbErrors(b.errors, b.classes);
      if (n > 0) perMinute.set(k, n);
    }
    const { inside, total } = shareInRange(perMinute, windowStart, end);
    // A keep-alive race during a deploy also hits the draining target, in proportion to its traffic and
    // spread over the hour: it takes errors concentrated on the leaving targets, or in the draining window.
    const rate = (x: { errors: number; requests: number }) => (x.requests > 0 ? x.errors / x.requests : 0);
    const concentrated = errors >= 0.5 * all && (staying.errors === 0 || rate(leaving) >= 2 * rate(staying));
    const timed = total > 0 && inside >= 0.7 * total && errors >= 0.25 * all;
    if (!concentrated && !timed) return null;
    if (total > 0) {
      if (inside >= 0.7 * total) c += 0.1;
      evidence.push({
        source: "access-logs",
        detail: `${inside} of ${total} ELB 502/504s fall in the last ${delay} s of the window, while targets drain`,
      });
    }
  } else {
    const m502 = metricSum(s, "HTTPCode_ELB_502_Count");
    if (!m502 || draining.length === 0) return null;
    const { inside, total } = shareInRange(metricByMinute(s, "HTTPCode_ELB_502_Count"), windowStart, end);
    const share = total > 0 ? inside / total : 0;
    if (share < 0.5) return null;
    errors = inside;
    c = Math.min(0.6, 0.4 + 0.2 * share);
    evidence.push({
      source: "metrics",
      detail: `${inside} of ${total} ELB 502s (HTTPCode_ELB_502_Count) fall in the last ${delay} s of the window, while targets drain; no access logs to tie them to targets`,
    });
  }
  if (draining.length > 0) {
    evidence.push({
      source: "target-health",
      detail: `${draining.length} target${draining.length === 1 ? " is" : "s are"} draining in ${g.name}: ${listFew(draining.map((t) => t.id))}`,
    });
  }

  const fixes: FixSuggestion[] = [];
  if (delayTooShort) {
    evidence.push({
      source: "attributes",
      detail: `deregistration_delay.timeout_seconds ${delay} is shorter than the slowest request seen (${secs(slowest!)})`,
    });
    fixes.push(setDeregistrationDelayFix(g, proposedDeregistrationDelay(slowest!)));
  } else {
    evidence.push({
      source: "attributes",
      detail: `deregistration_delay.timeout_seconds ${delay} outlasts the slowest request${slowest === null ? "" : ` (${secs(slowest)})`}: the targets stop before draining ends; let the application finish in-flight requests on SIGTERM and keep serving until the delay has passed`,
    });
  }
  return {
    id: "deregistration-draining",
    severity: severityForErrors(errors, requestTotal(s)),
    confidence: confidence(c, 0.95),
    title: `502s from targets leaving ${g.name} during a deployment`,
    evidence,
    resources: [g.arn, ...draining.map((t) => t.id)],
    fixes,
  };
}
