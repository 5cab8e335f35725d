/**
 * access-logs-disabled: without access logs the diagnosis cannot tell ALB-generated errors from the
 * application's, nor see which target or path failed (alb-facts §1.1, §5.1). Info severity: it explains weaker
 * evidence, it does not cause errors. Confidence 0.97: the attribute is read directly.
 */
import type { Check } from "../check.ts";
import type { Finding } from "../../domain/report.ts";
import { confidence } from "../evidence/confidence.ts";
import { enableAccessLogsFix } from "../fixes/enable-access-logs.ts";

export const accessLogsCheck: Check = {
  name: "access-logs",
  run: (s): Finding[] => {
    const attrs = s.loadBalancer.attributes;
    // Attributes unreadable: nothing to say (the failed part is reported separately).
    if (Object.keys(attrs).length === 0) return [];
    if (attrs["access_logs.s3.enabled"] === "true") return [];
    return [
      {
        id: "access-logs-disabled",
        severity: "info",
        confidence: confidence(0.97),
        title: "Access logs are off, so per-request evidence is missing",
        evidence: [
          {
            source: "attributes",
            detail: `access_logs.s3.enabled is ${attrs["access_logs.s3.enabled"] ?? "unset (default false)"}: diagnoses rest on metrics and configuration only`,
          },
        ],
        resources: [s.loadBalancer.arn],
        fixes: [enableAccessLogsFix(s)],
      },
    ];
  },
};
