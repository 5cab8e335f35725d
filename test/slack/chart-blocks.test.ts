import { describe, expect, it } from "vitest";
import { chartModel } from "../../src/chart/model.ts";
import { buildReport } from "../../src/diagnose/engine.ts";
import type { Report } from "../../src/domain/report.ts";
import type { MetricSeries } from "../../src/domain/snapshot.ts";
import { chartBlocks, hasCharts, withoutCharts } from "../../src/slack/blocks/chart.ts";
import { CHART_LIMITS, limitViolations } from "../../src/slack/blocks/limits.ts";
import { renderReport } from "../../src/slack/blocks/report.ts";
import type { DataVisualizationBlock } from "../../src/slack/message.ts";
import { HOSTILE, inertProblems } from "../helpers/hostile.ts";
import { accessLogs, buildSnapshot, edit, IDS, metric, partError } from "../helpers/snapshot-builder.ts";

const spike = (from: number, to: number, n: number, minutes = 60) =>
  Array.from({ length: minutes }, (_, i) => (i >= from && i < to ? n : 0));

function charts(report: Report): DataVisualizationBlock[] {
  return (renderReport(report).blocks ?? []).filter(
    (b): b is DataVisualizationBlock => b.type === "data_visualization",
  );
}

const seriesSum = (b: DataVisualizationBlock, name: string) =>
  b.chart.series.find((s) => s.name === name)!.data.reduce((a, d) => a + d.value, 0);

/** A window of `minutes` one-minute datapoints ending at the baseline's end. */
function longWindow(minutes: number, mutate: (s: ReturnType<typeof buildSnapshot>) => void) {
  return edit((s) => {
    s.window = {
      start: new Date(Date.parse(IDS.window.end) - minutes * 60_000).toISOString(),
      end: IDS.window.end,
    };
    mutate(s);
  });
}

describe("data_visualization chart of the window", () => {
  it("draws 5xx per interval by class from the metrics, within Slack's limits, totals kept", () => {
    const report = buildReport(
      buildSnapshot(
        metric("HTTPCode_ELB_502_Count", spike(20, 35, 40)),
        metric(
          "HTTPCode_ELB_5XX_Count",
          spike(20, 35, 43).map((v, i) => v + (i >= 30 && i < 32 ? 5 : 0)),
        ),
        metric("HTTPCode_ELB_504_Count", spike(30, 32, 5)),
      ),
    );
    expect(report.timeline?.source).toBe("metrics");
    expect(report.timeline?.points).toHaveLength(60);
    const message = renderReport(report);
    expect(limitViolations(message.blocks!)).toEqual([]);
    const [errors, second] = charts(report);
    expect(errors.chart.axis_config.categories).toHaveLength(20); // 60 minutes in 3-minute buckets
    expect(errors.title).toBe("5xx per 3 min by class");
    expect(seriesSum(errors, "ELB 502")).toBe(15 * 40);
    expect(seriesSum(errors, "ELB 504")).toBe(2 * 5);
    // ELB_5XX minus 502/503/504: 3 per minute of the spike.
    expect(seriesSum(errors, "ELB 5xx other")).toBe(15 * 3);
    expect(errors.chart.series.map((s) => s.name)).not.toContain("Target 5xx"); // no errors: no line
    // No unhealthy target in the baseline: the second chart is the p99.
    expect(second.title).toBe("Target response p99 per 3 min");
    expect(second.chart.series[0].data[0].value).toBe(0.4);
    expect(chartBlocks(report)?.fits).toBe(true);
  });

  it("shows unhealthy targets as the second chart when a target was unhealthy", () => {
    const report = buildReport(
      buildSnapshot(
        metric("HTTPCode_ELB_502_Count", spike(10, 20, 7)),
        metric("UnHealthyHostCount", spike(12, 40, 1), { stat: "Maximum", targetGroup: IDS.tgResourceId }),
      ),
    );
    const [, second] = charts(report);
    expect(second.chart.series[0].name).toBe("Unhealthy targets");
    expect(Math.max(...second.chart.series[0].data.map((d) => d.value))).toBe(1);
  });

  it("a healthy window has no chart", () => {
    const report = buildReport(buildSnapshot());
    expect(chartBlocks(report)).toBeUndefined();
    expect(hasCharts(renderReport(report))).toBe(false);
  });

  it("buckets a long window to 20 categories and says the PNG must go along", () => {
    const minutes = 6 * 60;
    const report = buildReport(
      buildSnapshot(
        longWindow(minutes, (s) => {
          s.metrics = s.metrics.map((m): MetricSeries => ({
            ...m,
            points: Array.from({ length: minutes }, (_, i) => ({
              t: new Date(Date.parse(IDS.window.end) - (minutes - i) * 60_000).toISOString(),
              v: m.metric === "HTTPCode_ELB_504_Count" ? (i % 7 === 0 ? 3 : 0) : (m.points[0]?.v ?? 0),
            })),
          }));
        }),
      ),
    );
    const block = chartBlocks(report)!;
    const errors = block.blocks[0] as DataVisualizationBlock;
    expect(errors.chart.axis_config.categories).toHaveLength(CHART_LIMITS.categories);
    expect(errors.title).toBe("5xx per 18 min by class");
    expect(seriesSum(errors, "ELB 504")).toBe(Math.ceil(minutes / 7) * 3);
    expect(block.fits).toBe(false);
    expect(limitViolations(block.blocks)).toEqual([]);
  });

  it("folds classes past six into one series", () => {
    const report = buildReport(
      buildSnapshot(
        metric("HTTPCode_ELB_502_Count", spike(0, 10, 50)),
        metric("HTTPCode_ELB_503_Count", spike(0, 10, 40)),
        metric("HTTPCode_ELB_504_Count", spike(0, 10, 30)),
        metric("HTTPCode_Target_5XX_Count", spike(0, 10, 20)),
        metric("HTTPCode_ELB_5XX_Count", spike(0, 10, 50 + 40 + 30 + 2)),
        edit((s) => {
          s.accessLogs!.byMinute = {
            "2026-03-15T13:31Z": {
              requests: 9,
              errors: {},
              classes: { "client-closed": 4, "protocol-mismatch": 1 },
            },
          };
        }),
      ),
    );
    const model = chartModel(report, { maxSeries: 6 })!;
    expect(model.errors.map((s) => s.name)).toEqual([
      "ELB 502",
      "ELB 503",
      "ELB 504",
      "Target 5xx",
      "ELB 5xx other",
      "Other 5xx",
    ]);
    expect(model.errors.at(-1)!.total).toBe(4 + 1); // 460 and 464 are the two smallest
    const block = chartBlocks(report)!;
    expect(block.fits).toBe(false);
    expect(limitViolations(block.blocks)).toEqual([]);
  });

  it("uses the access-log minutes when metrics are missing", () => {
    const report = buildReport(
      buildSnapshot(
        partError("metrics", "AccessDenied: cloudwatch:GetMetricData"),
        edit((s) => (s.metrics = [])),
        accessLogs({
          byMinute: {
            "2026-03-15T14:00Z": {
              requests: 100,
              errors: { "504": 6 },
              classes: { "elb-504-idle-timeout": 6 },
            },
            "2026-03-15T14:01Z": { requests: 100, errors: { "502": 2 }, classes: { "target-5xx": 2 } },
          },
        }),
      ),
    );
    expect(report.timeline?.source).toBe("access-logs");
    const [errors] = charts(report);
    expect(seriesSum(errors, "ELB 504")).toBe(6);
    expect(seriesSum(errors, "Target 5xx")).toBe(2);
  });

  it("marks the onset and the changes on their interval, with outside text escaped in the legend", () => {
    const report: Report = {
      ...buildReport(buildSnapshot(metric("HTTPCode_ELB_502_Count", spike(31, 60, 12)))),
      onset: {
        start: "2026-03-15T14:01:00Z",
        peak: "2026-03-15T14:10:00Z",
        end: null,
        series: "HTTPCode_ELB_502_Count",
      },
      changes: [
        {
          time: "2026-03-15T14:00:40Z",
          source: "cloudtrail",
          event: "RevokeSecurityGroupIngress",
          actor: HOSTILE.join(" "),
          resources: [IDS.appSg],
          summary: "removed tcp 8080 from sg-alb",
        },
      ],
    };
    const message = renderReport(report);
    expect(limitViolations(message.blocks!)).toEqual([]);
    const [errors] = charts(report);
    // 14:01 is in the 3-minute bucket starting 14:00 (bucket 10); the change too.
    expect(errors.chart.axis_config.categories[10]).toBe("14:00 ▲◆");
    expect(errors.chart.axis_config.categories[9]).toBe("13:57");
    const legend = JSON.stringify(message.blocks!.find((b) => b.block_id === "alb-chart-legend"));
    expect(legend).toContain("errors started 14:01");
    expect(legend).toContain("RevokeSecurityGroupIngress");
    expect(legend).not.toContain("<!channel>");
    expect(inertProblems(message, [])).toEqual([]);
    expect(hasCharts(withoutCharts(message))).toBe(false);
    expect(withoutCharts(message).blocks!.some((b) => b.block_id === "alb-chart-legend")).toBe(false);
  });
});
