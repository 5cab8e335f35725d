/**
 * Slack's Block Kit limits, and the helpers that keep every message inside them by folding and truncating
 * (with "… and N more") instead of letting Slack reject the message with invalid_blocks.
 */
import { mrkdwn, mrkdwnVerbatim } from "../../domain/text.ts";
import type { Block, DataVisualizationBlock } from "../message.ts";

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** chat.postMessage accepts far more; this keeps notifications readable. */
  fallbackText: 3000,
} as const;

/**
 * The data_visualization block's limits, from https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block
 * (read 2026-12): at most two per message; title and axis labels 50 characters; 1 to 6 series of a line, bar
 * or area chart; series names, categories and data-point labels 20 characters; every series holds one point
 * per category, labelled as the category. Client libraries cap a series at 20 points, so 20 categories.
 */
export const CHART_LIMITS = {
  perMessage: 2,
  title: 50,
  axisLabel: 50,
  series: 6,
  seriesName: 20,
  categories: 20,
  label: 20,
} as const;

/** Cuts `text` to at most `max` characters (code points kept whole), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Do not leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Joins as many lines as fit in `max` characters (and at most `maxLines`), then "… and N more" for the rest.
 * The suffix is counted, so the result always fits. Lines longer than the budget are cut first.
 */
export function foldLines(lines: string[], max: number, maxLines = Infinity, noun = "more"): string {
  const room = `\n… and ${lines.length} ${noun}`.length;
  const clipped = lines.map((l) => truncate(l, Math.max(1, max - room)));
  for (let n = Math.min(lines.length, maxLines); n >= 0; n--) {
    const rest = lines.length - n;
    const parts = clipped.slice(0, n);
    if (rest > 0) parts.push(`… and ${rest} ${noun}`);
    const joined = parts.join("\n");
    if (joined.length <= max) return joined;
  }
  return truncate(`… and ${lines.length} ${noun}`, max);
}

/** A mrkdwn section block, its text cut to the section limit. */
export function section(text: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) } };
}

/** A context block of one mrkdwn element, its text cut to the context limit. */
export function context(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.contextText) }] };
}

/**
 * Outside text as mrkdwn: the one escaping boundary (src/domain/text.ts). Escapes &, < and >, strips
 * control and bidi characters, and leaves no mention, link or formatting live.
 */
export function escapeMrkdwn(text: string): string {
  return mrkdwn(text);
}

/** A code block whose content cannot close the fence early, truncated to fit `max` with the fences. */
export function codeBlock(code: string, max: number): string {
  const safe = mrkdwnVerbatim(code).replace(/```/g, "`\u200b``");
  return "```" + truncate(safe, Math.max(1, max - 6)) + "```";
}

/** Checks a message against every limit above; returns the violations (empty when it fits). Used in tests. */
export function limitViolations(blocks: Block[]): string[] {
  const v: string[] = [];
  if (blocks.length > LIMITS.blocksPerMessage) v.push(`${blocks.length} blocks > ${LIMITS.blocksPerMessage}`);
  blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    if (b.type === "section") {
      if (b.text && b.text.text.length > LIMITS.sectionText) v.push(`${at}: text ${b.text.text.length}`);
      if (b.fields && b.fields.length > LIMITS.sectionFields) v.push(`${at}: ${b.fields.length} fields`);
      for (const f of b.fields ?? [])
        if (f.text.length > LIMITS.fieldText) v.push(`${at}: field text ${f.text.length}`);
      if (b.accessory?.type === "button") v.push(...buttonViolations(b.accessory, at));
    } else if (b.type === "header") {
      if (b.text.text.length > LIMITS.headerText) v.push(`${at}: header ${b.text.text.length}`);
    } else if (b.type === "context") {
      if (b.elements.length > LIMITS.contextElements) v.push(`${at}: ${b.elements.length} elements`);
      for (const e of b.elements)
        if ("text" in e && typeof e.text === "string" && e.text.length > LIMITS.contextText)
          v.push(`${at}: context text ${e.text.length}`);
    } else if (b.type === "data_visualization") {
      v.push(...chartViolations(b, at));
    } else if (b.type === "actions") {
      if (b.elements.length > LIMITS.actionsElements) v.push(`${at}: ${b.elements.length} elements`);
      for (const e of b.elements) if (e.type === "button") v.push(...buttonViolations(e, at));
    }
  });
  const charts = blocks.filter((b) => b.type === "data_visualization").length;
  if (charts > CHART_LIMITS.perMessage)
    v.push(`${charts} data_visualization blocks > ${CHART_LIMITS.perMessage}`);
  return v;
}

function chartViolations(b: DataVisualizationBlock, at: string): string[] {
  const v: string[] = [];
  const len = (s: string) => [...s].length;
  const { series, axis_config: axis } = b.chart;
  if (!b.title || len(b.title) > CHART_LIMITS.title) v.push(`${at}: title ${len(b.title)}`);
  for (const l of [axis.x_label, axis.y_label])
    if (l !== undefined && len(l) > CHART_LIMITS.axisLabel) v.push(`${at}: axis label ${len(l)}`);
  if (series.length < 1 || series.length > CHART_LIMITS.series) v.push(`${at}: ${series.length} series`);
  if (new Set(series.map((s) => s.name)).size !== series.length) v.push(`${at}: series names not unique`);
  const cats = axis.categories;
  if (cats.length < 1 || cats.length > CHART_LIMITS.categories) v.push(`${at}: ${cats.length} categories`);
  if (new Set(cats).size !== cats.length) v.push(`${at}: categories not unique`);
  for (const c of cats) if (len(c) > CHART_LIMITS.label) v.push(`${at}: category "${c}" ${len(c)}`);
  for (const s of series) {
    if (!s.name || len(s.name) > CHART_LIMITS.seriesName) v.push(`${at}: series name "${s.name}"`);
    if (s.data.length !== cats.length || s.data.some((d, i) => d.label !== cats[i]))
      v.push(`${at}: series "${s.name}" does not match the categories`);
    if (s.data.some((d) => !Number.isFinite(d.value))) v.push(`${at}: series "${s.name}" has a non-number`);
  }
  return v;
}

type ButtonLike = {
  text: { text: string };
  value?: string;
  action_id?: string;
  confirm?: {
    title?: { text: string };
    text: { text: string };
    confirm?: { text: string };
    deny?: { text: string };
  };
};

function buttonViolations(b: ButtonLike, at: string): string[] {
  const v: string[] = [];
  if (b.text.text.length > LIMITS.buttonText) v.push(`${at}: button label ${b.text.text.length}`);
  if (b.value && b.value.length > LIMITS.buttonValue) v.push(`${at}: button value ${b.value.length}`);
  if (b.action_id && b.action_id.length > LIMITS.actionId) v.push(`${at}: action_id ${b.action_id.length}`);
  const c = b.confirm;
  if (c) {
    if (c.title && c.title.text.length > LIMITS.confirmTitle) v.push(`${at}: confirm title`);
    if (c.text.text.length > LIMITS.confirmText) v.push(`${at}: confirm text ${c.text.text.length}`);
    if (c.confirm && c.confirm.text.length > LIMITS.confirmButton) v.push(`${at}: confirm button`);
    if (c.deny && c.deny.text.length > LIMITS.confirmButton) v.push(`${at}: deny button`);
  }
  return v;
}
