/**
 * malformed-target-response: the target answered but the ALB could not parse the response - bad headers,
 * headers over 32 KB, Content-Length larger than the body (alb-facts §3 "502" causes 4-5). For instance/IP
 * targets error_reason stays "-", so the evidence is indirect, and no row shape proves it (keep-alive races
 * write the same `x y -1 502 -` rows, alb-facts §10): the 502s must pile up on a few paths far beyond their
 * traffic, at a steady per-path rate or with target times like the path's normal latency
 * (evidence/distribution.ts). Rows spread in proportion to the traffic are keepalive.ts's.
 *
 * Confidence: 0.4 + 0.3 × (rows read as malformed / ELB-generated 502s) + 0.05 when their target times look
 * like the path's normal answers + 0.05 when they sit on one or two paths; at most 0.85. Under 10% of the ELB
 * 502s it is reported as info.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, elbGenerated, listFew, topByClass, usableLogs } from "../evidence/logs.ts";
import { distributionOf, malformedEvidence } from "../evidence/distribution.ts";
import { describeSpread, logMinutes, spreadOf } from "../evidence/time.ts";
import { requestTotal } from "../evidence/latency.ts";
import { targetsByAddress } from "../evidence/targets.ts";

const MIN_LINES = 3;

export const malformedCheck: Check = {
  name: "malformed",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    if (!logs) return [];
    const d = distributionOf(logs);
    const n = d.malformedRows;
    if (n < MIN_LINES) return [];
    const elb502 = Math.max(
      elbGenerated(logs, "502"),
      classCount(logs, "elb-502-malformed-response") + classCount(logs, "elb-502-target-closed"),
    );
    const share = n / elb502;
    const hot = d.paths.filter((p) => p.malformed);
    const measured = hot.reduce((a, p) => a + p.measured, 0);
    const evidence: Evidence[] = [
      {
        source: "access-logs",
        detail: `${n} of ${elb502} ELB 502s have target_status_code '-' with no response the ALB could use (${measured} of them after a measured target time)`,
      },
      ...malformedEvidence(d).map((detail) => ({ source: "access-logs" as const, detail })),
    ];
    let c = 0.4 + 0.3 * share;
    if (hot.some((p) => p.timing === "like-normal")) c += 0.05;
    if (hot.length <= 2) c += 0.05;
    const minutes = logMinutes(logs, ["elb-502-malformed-response", "elb-502-target-closed"]);
    const spread = describeSpread(spreadOf(minutes.errors, minutes.requests));
    if (spread) evidence.push({ source: "access-logs", detail: spread });
    const byAddress = targetsByAddress(s);
    const targets = topByClass(logs.byTarget, ["elb-502-malformed-response", "elb-502-target-closed"]);
    const ids = targets.map((t) => byAddress.get(t.key)?.target.id).filter((id): id is string => Boolean(id));
    if (targets.length) {
      evidence.push({
        source: "access-logs",
        detail: `by target: ${listFew(targets.map((t) => `${t.key} ${t.count}`))}`,
      });
    }
    evidence.push({
      source: "access-logs",
      detail:
        "check those responses for headers over 32 KB in total, invalid or multi-line header fields, and a Content-Length larger than the body",
    });
    return [
      {
        id: "malformed-target-response",
        severity: share < 0.1 ? "info" : severityForErrors(n, requestTotal(s)),
        confidence: confidence(c, 0.85),
        title: "Targets send responses the ALB cannot parse",
        evidence,
        resources: [
          ...new Set([
            ...ids,
            ...s.targetGroups
              .filter(
                (g) =>
                  hot.some((p) => p.targetGroup === g.arn) ||
                  (!hot.some((p) => p.targetGroup) &&
                    logs.byTargetGroup[g.arn]?.classes["elb-502-malformed-response"]),
              )
              .map((g) => g.arn),
          ]),
        ],
        fixes: [],
      },
    ];
  },
};
