/**
 * The window as Slack's native chart (data_visualization, at most two per message): 5xx per interval by
 * class, then unhealthy targets (when any target was unhealthy) or target p99. The block has no annotations,
 * so the onset (▲) and the changes (◆) mark their interval's category label, and a context line below
 * says what the marks are. Everything stays within CHART_LIMITS: the timeline is bucketed to 20 intervals
 * and classes past 6 fold into one series. Titles, names and labels are the bot's own words and times; the
 * only outside text (a change's event name and actor) goes in the context line, through mrkdwn().
 */
import { chartModel, intervalWords, spansDays, timeLabel, type ChartModel } from "../../chart/model.ts";
import type { Report } from "../../domain/report.ts";
import { capText, mrkdwn } from "../../domain/text.ts";
import type { Block, DataVisualizationBlock, SlackMessage } from "../message.ts";
import { CHART_LIMITS, context, LIMITS, truncate } from "./limits.ts";

export const CHART_BLOCK_PREFIX = "alb-chart";
const MARK = { onset: "▲", change: "◆" } as const;
const MAX_CHANGES_LISTED = 3;
/**
 * Coarser than this many timeline points per bucket and the block no longer shows the window as collected
 * (a 1 h window of minutes fits as 3-minute buckets); the PNG, which keeps every interval, is posted too.
 */
export const MAX_BLOCK_COARSENING = 3;

export interface ChartBlocks {
  blocks: Block[];
  /** False when the block had to coarsen or fold the data: the PNG should go along. */
  fits: boolean;
}

export function chartBlocks(report: Report): ChartBlocks | undefined {
  const model = chartModel(report, { maxPoints: CHART_LIMITS.categories, maxSeries: CHART_LIMITS.series });
  if (!model) return undefined;
  const multiDay = spansDays(model);
  const categories = model.times.map((t, i) => categoryLabel(model, t, i, multiDay));
  const every = intervalWords(model.intervalSeconds);
  const blocks: Block[] = [
    lineChart(
      "errors",
      `5xx per ${every} by class`,
      model.errors.map((s) => ({ name: s.name, values: s.values })),
      categories,
      "errors",
    ),
  ];
  const second = secondChart(model, categories, every);
  if (second) blocks.push(second);
  const legend = legendText(model, multiDay);
  if (legend) blocks.push({ ...context(legend), block_id: `${CHART_BLOCK_PREFIX}-legend` } as Block);
  return { blocks, fits: model.factor <= MAX_BLOCK_COARSENING && model.folded === 0 };
}

/** The message without its chart (for a workspace that rejects the block). */
export function withoutCharts<T extends SlackMessage>(message: T): T {
  if (!message.blocks) return message;
  return { ...message, blocks: message.blocks.filter((b) => !isChartPart(b)) };
}

export function hasCharts(message: SlackMessage): boolean {
  return (message.blocks ?? []).some((b) => b.type === "data_visualization");
}

function isChartPart(b: Block): boolean {
  return b.type === "data_visualization" || (b.block_id ?? "").startsWith(CHART_BLOCK_PREFIX);
}

function secondChart(model: ChartModel, categories: string[], every: string): Block | undefined {
  if (model.unhealthy?.some((v) => (v ?? 0) > 0))
    return lineChart(
      "unhealthy",
      `Unhealthy targets per ${every} (max)`,
      [{ name: "Unhealthy targets", values: model.unhealthy.map((v) => v ?? 0) }],
      categories,
      "targets",
    );
  if (model.p99)
    return lineChart(
      "p99",
      `Target response p99 per ${every}`,
      [{ name: "p99 (s)", values: model.p99.map((v) => Math.round((v ?? 0) * 1000) / 1000) }],
      categories,
      "seconds",
    );
  return undefined;
}

function lineChart(
  id: string,
  title: string,
  series: { name: string; values: number[] }[],
  categories: string[],
  yLabel: string,
): DataVisualizationBlock {
  return {
    type: "data_visualization",
    block_id: `${CHART_BLOCK_PREFIX}-${id}`,
    title: truncate(title, CHART_LIMITS.title),
    chart: {
      type: "line",
      series: series.map((s) => ({
        name: truncate(s.name, CHART_LIMITS.seriesName),
        data: s.values.map((value, i) => ({ label: categories[i], value })),
      })),
      axis_config: { categories, x_label: "UTC", y_label: yLabel },
    },
  };
}

function categoryLabel(model: ChartModel, t: string, index: number, multiDay: boolean): string {
  const here = model.markers.filter((m) => m.index === index);
  const marks = (["onset", "change"] as const)
    .filter((k) => here.some((m) => m.kind === k))
    .map((k) => MARK[k]);
  return truncate([timeLabel(t, multiDay), marks.join("")].filter(Boolean).join(" "), CHART_LIMITS.label);
}

function legendText(model: ChartModel, multiDay: boolean): string | undefined {
  const parts: string[] = [];
  const at = (iso: string) => timeLabel(iso, multiDay);
  for (const m of model.markers) {
    if (m.kind === "onset") parts.push(`${MARK.onset} errors started ${at(m.time)}`);
  }
  const changes = model.markers.filter((m) => m.kind === "change");
  for (const m of changes.slice(0, MAX_CHANGES_LISTED)) {
    const c = m.change!;
    const who = c.actor ? ` by ${capText(c.actor, 80)}` : "";
    parts.push(`${MARK.change} ${at(c.time)} ${mrkdwn(`${capText(c.event, 80)}${who}`, { inline: true })}`);
  }
  if (changes.length > MAX_CHANGES_LISTED)
    parts.push(`${MARK.change} ${changes.length - MAX_CHANGES_LISTED} more changes`);
  if (model.folded) parts.push(`${model.folded + 1} rarer classes shown as one series`);
  return parts.length ? truncate(`Chart (UTC): ${parts.join(" · ")}`, LIMITS.contextText) : undefined;
}
