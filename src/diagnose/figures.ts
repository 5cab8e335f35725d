import type { ReportFigures } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";
import { classCount, elbGenerated, usableLogs } from "./evidence/logs.ts";
import { p99Seconds } from "./evidence/latency.ts";
import { metricSum } from "./evidence/metrics.ts";
import { idleTimeoutKnown, idleTimeoutSeconds, isUnhealthy } from "./evidence/targets.ts";

/** Key figures for people: metrics first (complete counts), access logs when metrics are missing. */
export function reportFigures(s: Snapshot): ReportFigures {
  const logs = usableLogs(s);
  const targets = s.targetGroups.flatMap((g) => g.targets).filter((t) => t.state !== "unused");
  return {
    elb502: metricSum(s, "HTTPCode_ELB_502_Count") ?? (logs ? elbGenerated(logs, "502") : null),
    elb504: metricSum(s, "HTTPCode_ELB_504_Count") ?? (logs ? elbGenerated(logs, "504") : null),
    target5xx: metricSum(s, "HTTPCode_Target_5XX_Count") ?? (logs ? classCount(logs, "target-5xx") : null),
    requests: metricSum(s, "RequestCount") ?? (logs ? logs.lines.inWindow : null),
    unhealthyTargets: targets.filter(isUnhealthy).length,
    totalTargets: targets.length,
    idleTimeoutSeconds: idleTimeoutKnown(s) ? idleTimeoutSeconds(s) : null,
    targetResponseP99: p99Seconds(s),
  };
}
