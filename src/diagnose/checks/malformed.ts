/**
 * malformed-target-response: the target answered (target_processing_time measured) but the ALB could not parse
 * the response - bad headers, headers over 32 KB, Content-Length larger than the body (alb-facts §3 "502" causes
 * 4-5). For instance/IP targets error_reason stays "-", so the evidence is indirect.
 *
 * Confidence: 0.35 + 0.3 × (malformed-response 502s / ELB-generated 502s) + 0.05 when one path holds 70% of them
 * (one endpoint sending a bad response); at most 0.7. Under 10% of the ELB 502s it is reported as info.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { classCount, elbGenerated, listFew, topByClass, usableLogs } from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { targetsByAddress } from "../evidence/targets.ts";

const MIN_LINES = 3;

export const malformedCheck: Check = {
  name: "malformed",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    if (!logs) return [];
    const n = classCount(logs, "elb-502-malformed-response");
    if (n < MIN_LINES) return [];
    const elb502 = Math.max(elbGenerated(logs, "502"), n);
    const share = n / elb502;
    const evidence: Evidence[] = [
      {
        source: "access-logs",
        detail: `${n} of ${elb502} ELB 502s came after the target started answering (target_processing_time measured) yet with target_status_code '-': the ALB could not parse the response`,
      },
    ];
    let c = 0.35 + 0.3 * share;
    const paths = topByClass(logs.byPath, "elb-502-malformed-response");
    if (paths.length) {
      if (paths[0].count >= 0.7 * n) c += 0.05;
      evidence.push({
        source: "access-logs",
        detail: `by path: ${listFew(paths.map((p) => `${p.key} ${p.count}`))}`,
      });
    }
    const byAddress = targetsByAddress(s);
    const targets = topByClass(logs.byTarget, "elb-502-malformed-response");
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
        confidence: confidence(c, 0.7),
        title: "Targets send responses the ALB cannot parse",
        evidence,
        resources: [
          ...new Set([
            ...ids,
            ...s.targetGroups
              .filter((g) => logs.byTargetGroup[g.arn]?.classes["elb-502-malformed-response"])
              .map((g) => g.arn),
          ]),
        ],
        fixes: [],
      },
    ];
  },
};
