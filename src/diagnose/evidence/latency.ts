import type { P99Population } from "../../domain/report.ts";
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
  return p99WithPopulation(snapshot).seconds;
}

/** The same p99 together with which requests it describes (for labels). */
export function p99WithPopulation(snapshot: Snapshot): { seconds: number | null; of?: P99Population } {
  const fromLogs = usableLogs(snapshot)?.latency.targetProcessing.p99;
  if (typeof fromLogs === "number") return { seconds: fromLogs, of: "answered-requests" };
  const peak = metricPeak(snapshot, "TargetResponseTime", "p99");
  return peak === null ? { seconds: null } : { seconds: peak, of: "metric-peak" };
}

/** Total requests in the window: access-log lines, else RequestCount. */
export function requestTotal(snapshot: Snapshot): number | null {
  const logs = usableLogs(snapshot);
  if (logs && logs.lines.inWindow > 0) return logs.lines.inWindow;
  return snapshot.metrics.some((m) => m.metric === "RequestCount")
    ? metricSum(snapshot, "RequestCount")
    : null;
}
