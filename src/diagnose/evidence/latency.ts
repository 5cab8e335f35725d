import type { Snapshot } from "../../domain/snapshot.ts";
import { usableLogs } from "./logs.ts";
import { metricPeak } from "./metrics.ts";

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
  const sum = snapshot.metrics.some((m) => m.metric === "RequestCount") ? sumRequests(snapshot) : null;
  return sum;
}

function sumRequests(snapshot: Snapshot): number {
  const lbWide = snapshot.metrics.filter(
    (m) => m.metric === "RequestCount" && m.stat === "Sum" && !m.targetGroup,
  );
  const series = lbWide.length
    ? lbWide
    : snapshot.metrics.filter((m) => m.metric === "RequestCount" && m.stat === "Sum");
  return series.flatMap((s) => s.points).reduce((a, p) => a + p.v, 0);
}
