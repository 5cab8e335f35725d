/**
 * The onset's lead: when the window's first interval already has 5xx, the errors started earlier. One more
 * GetMetricData call reads the 5xx counts of ONSET_LEAD_SECONDS before the window, with the window's own
 * period, so the onset can name the real start (or say it is older than the lead). Nothing is read otherwise.
 */
import type { MetricSeries } from "../../domain/snapshot.ts";
import { metricPeriodFor } from "../../domain/window.ts";
import { ONSET_LEAD_SECONDS } from "../../diagnose/story/onset.ts";
import type { AwsClients } from "../clients.ts";
import { getMetrics } from "./metrics.ts";

const ERROR_METRICS = ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"];

export function errorsAtWindowStart(metrics: MetricSeries[], window: { start: Date; end: Date }): boolean {
  const period = metricPeriodFor((window.end.getTime() - window.start.getTime()) / 1000) * 1000;
  const firstEnd = Math.floor(window.start.getTime() / period) * period + period;
  return metrics.some(
    (m) =>
      ERROR_METRICS.includes(m.metric) &&
      m.stat === "Sum" &&
      m.points.some((p) => p.v > 0 && Date.parse(p.t) < firstEnd),
  );
}

export async function readOnsetLead(
  clients: AwsClients,
  lbResourceId: string,
  window: { start: Date; end: Date },
): Promise<{ start: string; metrics: MetricSeries[] }> {
  const period = metricPeriodFor((window.end.getTime() - window.start.getTime()) / 1000);
  const p = period * 1000;
  const end = new Date(Math.floor(window.start.getTime() / p) * p);
  const start = new Date(end.getTime() - ONSET_LEAD_SECONDS * 1000);
  const metrics = await getMetrics(clients, {
    lbResourceId,
    targetGroups: [],
    start,
    end,
    only: ERROR_METRICS,
    period,
  });
  return { start: start.toISOString(), metrics };
}
