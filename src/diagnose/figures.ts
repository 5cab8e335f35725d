import type { ReportFigures } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";
import { classCount, elbGenerated, usableLogs } from "./evidence/logs.ts";
import { p99WithPopulation } from "./evidence/latency.ts";
import { metricSum } from "./evidence/metrics.ts";
import { idleTimeoutKnown, idleTimeoutSeconds, isUnhealthy } from "./evidence/targets.ts";

/** Key figures for people: metrics first (complete counts), access logs when metrics are missing. */
export function reportFigures(s: Snapshot): ReportFigures {
  const logs = usableLogs(s);
  const targets = s.targetGroups.flatMap((g) => g.targets).filter((t) => t.state !== "unused");
  const p99 = p99WithPopulation(s);
  const fromLogs = (status: string) => (logs ? elbGenerated(logs, status) : null);
  return {
    elb502: metricSum(s, "HTTPCode_ELB_502_Count") ?? fromLogs("502"),
    elb503: metricSum(s, "HTTPCode_ELB_503_Count") ?? fromLogs("503"),
    elb504: metricSum(s, "HTTPCode_ELB_504_Count") ?? fromLogs("504"),
    // Only the logs count these: HTTPCode_ELB_4XX_Count lumps them with every other ALB 4xx.
    elb460: fromLogs("460"),
    elb464: fromLogs("464"),
    target5xx: metricSum(s, "HTTPCode_Target_5XX_Count") ?? (logs ? classCount(logs, "target-5xx") : null),
    requests: metricSum(s, "RequestCount") ?? (logs ? logs.lines.inWindow : null),
    unhealthyTargets: targets.filter(isUnhealthy).length,
    totalTargets: targets.length,
    idleTimeoutSeconds: idleTimeoutKnown(s) ? idleTimeoutSeconds(s) : null,
    targetResponseP99: p99.seconds,
    ...(p99.of ? { targetResponseP99Of: p99.of } : {}),
  };
}
