/**
 * CloudWatch evidence for the window in as few GetMetricData calls as possible: every query for the load
 * balancer and each of its target groups goes into one request (up to 500 queries per call, AWS's limit),
 * following NextToken pages.
 */
import { GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { MetricSeries, MetricStat } from "../../domain/snapshot.ts";
import { allPages, awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";
import { metricPeriodFor } from "../../domain/window.ts";

interface QuerySpec {
  metric: string;
  stat: MetricStat;
  targetGroup?: string;
}

const LB_QUERIES: QuerySpec[] = [
  ...[
    "HTTPCode_ELB_502_Count",
    "HTTPCode_ELB_503_Count",
    "HTTPCode_ELB_504_Count",
    "HTTPCode_ELB_5XX_Count",
    // 460, 464 and the other ALB-written 4xx have no metric of their own: this is their only count.
    "HTTPCode_ELB_4XX_Count",
  ].map((metric) => ({ metric, stat: "Sum" })),
  ...[
    "HTTPCode_Target_5XX_Count",
    "RequestCount",
    "TargetConnectionErrorCount",
    "TargetTLSNegotiationErrorCount",
  ].map((metric) => ({ metric, stat: "Sum" })),
  ...["Average", "p99", "Maximum"].map((stat) => ({ metric: "TargetResponseTime", stat })),
];

const TG_QUERIES: QuerySpec[] = [
  { metric: "HealthyHostCount", stat: "Minimum" },
  { metric: "UnHealthyHostCount", stat: "Maximum" },
  { metric: "HTTPCode_Target_5XX_Count", stat: "Sum" },
  { metric: "RequestCount", stat: "Sum" },
  { metric: "TargetConnectionErrorCount", stat: "Sum" },
  { metric: "TargetTLSNegotiationErrorCount", stat: "Sum" },
  { metric: "TargetResponseTime", stat: "p99" },
  { metric: "TargetResponseTime", stat: "Maximum" },
];

const LAMBDA_QUERIES: QuerySpec[] = [
  { metric: "LambdaUserError", stat: "Sum" },
  { metric: "LambdaInternalError", stat: "Sum" },
];

/** See metricPeriodFor: 60-second periods up to 3 hours, then coarser. */
export const periodFor = metricPeriodFor;

export async function getMetrics(
  clients: AwsClients,
  input: {
    lbResourceId: string;
    targetGroups: { resourceId: string; lambda: boolean }[];
    start: Date;
    end: Date;
    /** Only these LB-wide metrics (and no per-group ones), e.g. the 5xx counts of the onset's lead. */
    only?: string[];
    /** The period to read with (default: periodFor the range). */
    period?: number;
  },
): Promise<MetricSeries[]> {
  const only = input.only;
  const specs: QuerySpec[] = only
    ? LB_QUERIES.filter((q) => only.includes(q.metric))
    : [
        ...LB_QUERIES,
        ...input.targetGroups.flatMap((tg) =>
          [...TG_QUERIES, ...(tg.lambda ? LAMBDA_QUERIES : [])].map((q) => ({
            ...q,
            targetGroup: tg.resourceId,
          })),
        ),
      ];
  const period = input.period ?? periodFor((input.end.getTime() - input.start.getTime()) / 1000);
  const queries: MetricDataQuery[] = specs.map((q, i) => ({
    Id: `m${i}`,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: "AWS/ApplicationELB",
        MetricName: q.metric,
        Dimensions: [
          { Name: "LoadBalancer", Value: input.lbResourceId },
          ...(q.targetGroup ? [{ Name: "TargetGroup", Value: q.targetGroup }] : []),
        ],
      },
      Period: period,
      Stat: q.stat,
    },
  }));

  const points = new Map<string, { t: string; v: number }[]>();
  for (let offset = 0; offset < queries.length; offset += 500) {
    const pages = await allPages(
      (NextToken) =>
        awsCall(clients, "cloudwatch:GetMetricData", (abortSignal) =>
          clients.cloudwatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: queries.slice(offset, offset + 500),
              StartTime: input.start,
              EndTime: input.end,
              ScanBy: "TimestampAscending",
              NextToken,
            }),
            { abortSignal },
          ),
        ),
      (page) => page.NextToken,
    );
    for (const r of pages.flatMap((page) => page.MetricDataResults ?? [])) {
      const list = points.get(r.Id ?? "") ?? [];
      const ts = r.Timestamps ?? [];
      (r.Values ?? []).forEach((v, i) => list.push({ t: new Date(ts[i] ?? 0).toISOString(), v }));
      points.set(r.Id ?? "", list);
    }
  }
  return specs.map((q, i) => ({
    ...q,
    points: (points.get(`m${i}`) ?? []).sort((a, b) => a.t.localeCompare(b.t)),
  }));
}
