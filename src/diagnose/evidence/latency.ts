import type { Snapshot } from "../../domain/snapshot.ts";
import { usableLogs } from "./logs.ts";
import { metricPeak, metricSum } from "./metrics.ts";

/** The slowest request seen in the window (seconds): access-log durations or TargetResponseTime Maximum. */
export function slowestRequestSeconds(snapshot: Snapshot): number | null {
  const logs = usableLogs(snapshot);
  const candidates = [
    logs?.latency.total.max,
    logs?.latency.targetProcessing.max,
    metricPeak(snapshot, "TargetResponseTime", "Maximum"),
  ].filter((v): v is number => typeof v === "number" && v >= 0);
  return candidates.length ? Math.max(...candidates) : null;
}

/** p99 of target processing time (seconds): access logs first, else the highest TargetResponseTime p99 datapoint. */
export function p99Seconds(snapshot: Snapshot): number | null {
  const fromLogs = usableLogs(snapshot)?.latency.targetProcessing.p99;
  if (typeof fromLogs === "number") return fromLogs;
  return metricPeak(snapshot, "TargetResponseTime", "p99");
}

/** Total requests in the window: access-log lines, else RequestCount. */
export function requestTotal(snapshot: Snapshot): number | null {
  const logs = usableLogs(snapshot);
  if (logs && logs.lines.inWindow > 0) return logs.lines.inWindow;
  return snapshot.metrics.some((m) => m.metric === "RequestCount")
    ? metricSum(snapshot, "RequestCount")
    : null;
}
