/**
 * A diagnosis Report as a Slack message. Pure: the same report and options give the same blocks.
 * Layout: headline, window, root cause with evidence, key figures, fixes (buttons for automated fixes whose
 * offer was saved; guidance snippets in code blocks), other findings folded, a context line.
 * Every part is cut to Slack's limits (limits.ts) so Slack never rejects the message.
 */
import { offerKey } from "../../remediate/offers.ts";
import {
  P99_POPULATION_WORDS,
  type Finding,
  type FixSuggestion,
  type NoData,
  type Report,
} from "../../domain/report.ts";
import { capText, cleanText, inlineCode, mrkdwn } from "../../domain/text.ts";
import { changesSentence, onsetSentence } from "../../domain/onset-text.ts";
import { ACTION } from "../action-ids.ts";
import type { Block, SlackMessage } from "../message.ts";
import {
  formatCount,
  formatDuration,
  formatSeconds,
  formatSpan,
  formatWindow,
  percent,
  SEVERITY_EMOJI,
  STATUS_EMOJI,
  STATUS_WORDS,
} from "./format.ts";
import { chartBlocks } from "./chart.ts";
import { codeBlock, context, escapeMrkdwn, foldLines, LIMITS, section, truncate } from "./limits.ts";

export interface RenderReportOptions {
  /** `${findingId}/${fixId}` -> offer id (saveFixOffers). Without an id an automated fix shows no button. */
  offerIds?: Record<string, string>;
  /** Shown when fix offers could not be saved (store down): why there are no buttons. */
  approvalsUnavailable?: string;
  /** Why some automated fixes have no button (the channel's guardrail); shown under the fixes. */
  fixNote?: string;
  /** Findings after the root cause whose automated fixes also get a button. */
  extraFixFindings?: number;
  /** False: no chart block (the workspace rejected it; the PNG goes to the thread instead). */
  chart?: boolean;
}

const MAX_EVIDENCE_LINES = 8;
const MAX_OTHER_LINES = 10;
const MAX_SNIPPETS = 3;
/** One evidence item or resource at most this long, so one 6,000-character URL cannot crowd out the rest. */
export const MAX_EVIDENCE_CHARS = 400;
/** Titles and fix summaries carry outside text (names, paths) too: the same kind of cap. */
const MAX_TITLE_CHARS = 300;
/** A next step under an other finding: shorter, so ten of them fit one section. */
const MAX_NEXT_CHARS = 200;

/** " · *Account* `staging` (210987654321, eu-west-1)" when the report names its account. */
function accountText(report: Report): string {
  const a = report.account;
  if (!a?.alias) return "";
  const region = report.loadBalancer.arn.split(":")[3];
  return ` · *Account* \`${escapeMrkdwn(a.alias)}\` (${a.id}${region ? `, ${escapeMrkdwn(region)}` : ""})`;
}

export function renderReport(report: Report, options: RenderReportOptions = {}): SlackMessage {
  const [root, ...others] = report.findings;
  const name = escapeMrkdwn(report.loadBalancer.name);
  const blocks: Block[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        emoji: true,
        text: truncate(
          `${STATUS_EMOJI[report.status]} ${cleanText(report.loadBalancer.name, { inline: true })}: ${STATUS_WORDS[report.status]}`,
          LIMITS.headerText,
        ),
      },
    },
    context(
      `*Window* ${formatWindow(report.window)} (${windowSpan(report)}) · *Load balancer* \`${name}\`${accountText(report)}${ownerText(report)}`,
    ),
  ];
  // Times and counts only: no outside text, still escaped like everything else in mrkdwn.
  if (report.onset)
    blocks.push(context(`*Onset* ${escapeMrkdwn(onsetSentence(report.onset, report.window))}`));
  const changed = changesSentence(report);
  // Actors and summaries come from CloudTrail records: outside text, escaped and cut.
  if (changed) blocks.push(context(`*Changes* ${escapeMrkdwn(capText(changed, MAX_EVIDENCE_CHARS))}`));

  const empty = report.noData ? noDataText(report.noData) : undefined;
  if (root && root.severity !== "info") {
    // Findings from configuration can stand in an empty window; the reader still learns it was empty.
    if (empty) blocks.push(context(empty));
    blocks.push(section(rootCauseText(root)));
  } else if (empty) {
    blocks.push(section(`*No data in this window*, so no verdict: ${empty}`));
  } else {
    const note =
      report.status === "incomplete"
        ? "*No cause found, but some checks could not run* (see below): the answer may be missing."
        : "*No cause of 502/504 found* in this window.";
    blocks.push(section(note));
  }
  const fields = figureFields(report);
  if (fields.length) blocks.push({ type: "section", fields });
  if (options.chart !== false) blocks.push(...(chartBlocks(report)?.blocks ?? []));

  const fixFindings = [root, ...others.slice(0, options.extraFixFindings ?? 2)].filter(Boolean) as Finding[];
  let buttons = 0;
  for (const finding of fixFindings) {
    for (const fix of finding.fixes) {
      const isRoot = finding === root;
      if (!fix.automated && !isRoot) continue; // guidance only for the root cause, to keep the message short
      const offerId = fix.automated ? options.offerIds?.[offerKey(finding.id, fix.id)] : undefined;
      if (fix.automated && !offerId && !isRoot) continue;
      blocks.push(fixBlock(finding, fix, offerId, isRoot));
      if (offerId) buttons++;
    }
  }
  if (options.approvalsUnavailable && report.findings.some((f) => f.fixes.some((x) => x.automated)))
    blocks.push(context(`:warning: ${escapeMrkdwn(options.approvalsUnavailable)}`));
  if (options.fixNote) blocks.push(context(`:lock: ${escapeMrkdwn(options.fixNote)}`));

  const rest = root && root.severity !== "info" ? others : report.findings;
  if (rest.length) {
    blocks.push({ type: "divider" });
    const lines = rest.map(
      (f) =>
        `${SEVERITY_EMOJI[f.severity]} ${escapeMrkdwn(capText(f.title, MAX_TITLE_CHARS))} (\`${f.id}\`, ${percent(f.confidence)})` +
        (f.nextStep ? `\n      _next:_ ${escapeMrkdwn(capText(f.nextStep, MAX_NEXT_CHARS))}` : ""),
    );
    blocks.push(section(`*Other findings*\n${foldLines(lines, LIMITS.sectionText - 20, MAX_OTHER_LINES)}`));
  }
  blocks.push(context(footer(report, buttons)));

  const text = truncate(fallbackText(report), LIMITS.fallbackText);
  return { text, blocks: fitBlockCount(blocks) };
}

function rootCauseText(root: Finding): string {
  const head = `*Root cause:* ${SEVERITY_EMOJI[root.severity]} ${escapeMrkdwn(capText(root.title, MAX_TITLE_CHARS))}\n_\`${root.id}\` · ${root.severity} · confidence ${percent(root.confidence)}_`;
  const evidence = root.evidence.map(
    (e) => `• _${escapeMrkdwn(e.source)}_: ${escapeMrkdwn(capText(e.detail, MAX_EVIDENCE_CHARS))}`,
  );
  const resources = root.resources.length
    ? `\n*Resources:* ${foldLines(
        root.resources.map((r) => inlineCode(capText(r, MAX_EVIDENCE_CHARS))),
        400,
        5,
      ).replace(/\n/g, ", ")}`
    : "";
  // The next step is what the reader acts on: it keeps its room, evidence folds around it.
  const next = root.nextStep
    ? `\n*Next step:* ${escapeMrkdwn(capText(root.nextStep, MAX_EVIDENCE_CHARS))}`
    : "";
  const budget = LIMITS.sectionText - head.length - resources.length - next.length - 2;
  const body = evidence.length ? `\n${foldLines(evidence, budget, MAX_EVIDENCE_LINES, "more evidence")}` : "";
  return truncate(`${head}${body}${next}${resources}`, LIMITS.sectionText);
}

/** The empty window and, when the clock looks wrong, why: both carry outside text (the name), so escaped. */
function noDataText(noData: NoData): string {
  const clock = noData.clock ? `\n:clock3: ${escapeMrkdwn(capText(noData.clock, MAX_EVIDENCE_CHARS))}` : "";
  return `${escapeMrkdwn(capText(noData.detail, MAX_EVIDENCE_CHARS))}${clock}`;
}

function figureFields(report: Report): { type: "mrkdwn"; text: string }[] {
  const f = report.figures;
  if (!f) return [];
  const of = f.targetResponseP99Of ? `\n_${P99_POPULATION_WORDS[f.targetResponseP99Of]}_` : "";
  // Ten fields at most (Slack's limit): the ALB's own statuses one each, 503/460/464 included.
  const pairs: [string, string][] = [
    ["ELB 502s", formatCount(f.elb502)],
    ["ELB 503s", formatCount(f.elb503)],
    ["ELB 504s", formatCount(f.elb504)],
    ["ELB 460s / 464s", `${formatCount(f.elb460)} / ${formatCount(f.elb464)}`],
    ["Target 5xx", formatCount(f.target5xx)],
    ["Requests", formatCount(f.requests)],
    ["Unhealthy targets", `${f.unhealthyTargets} / ${f.totalTargets}`],
    ["Idle timeout", f.idleTimeoutSeconds === null ? "n/a" : `${f.idleTimeoutSeconds} s`],
    ["Target p99", `${formatSeconds(f.targetResponseP99)}${of}`],
  ];
  return pairs.slice(0, LIMITS.sectionFields).map(([k, v]) => ({ type: "mrkdwn", text: `*${k}*\n${v}` }));
}

function fixBlock(finding: Finding, fix: FixSuggestion, offerId: string | undefined, isRoot: boolean): Block {
  const label = fix.automated ? ":wrench: *Fix*" : ":bulb: *Suggested*";
  const forWhat = isRoot ? "" : ` _(for \`${finding.id}\`)_`;
  let text = `${label}${forWhat}: ${escapeMrkdwn(capText(fix.summary, MAX_TITLE_CHARS))}`;
  for (const c of fix.changes ?? []) {
    text += `\n• ${inlineCode(c.setting)}: ${inlineCode(capText(c.current ?? "none", 300))} → ${inlineCode(capText(c.proposed, 300))}`;
  }
  text = truncate(text, 1000);
  const snippets = fix.snippets ?? [];
  let shown = 0;
  for (const s of snippets.slice(0, MAX_SNIPPETS)) {
    const part = `\n*${escapeMrkdwn(s.label)}*\n${codeBlock(s.code, 900)}`;
    if (text.length + part.length > LIMITS.sectionText - 60) break;
    text += part;
    shown++;
  }
  if (shown < snippets.length)
    text += `\n… and ${snippets.length - shown} more snippets (\`alb-doctor check --json\`)`;
  const block: Block = {
    type: "section",
    text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) },
  };
  if (offerId) {
    block.accessory = {
      type: "button",
      action_id: ACTION.fix,
      value: offerId,
      style: finding.severity === "critical" ? "primary" : undefined,
      text: { type: "plain_text", emoji: true, text: truncate(buttonLabel(fix), LIMITS.buttonText) },
      confirm: {
        title: { type: "plain_text", text: truncate("Plan this fix?", LIMITS.confirmTitle) },
        text: {
          type: "mrkdwn",
          text: truncate(
            `${escapeMrkdwn(capText(fix.summary, 150))}\n\nA plan with the exact change is posted for approval. Nothing changes until an approver approves it.`,
            LIMITS.confirmText,
          ),
        },
        confirm: { type: "plain_text", text: "Plan the fix" },
        deny: { type: "plain_text", text: "Cancel" },
      },
    };
    if (!block.accessory.style) delete block.accessory.style;
  }
  return block;
}

function buttonLabel(fix: FixSuggestion): string {
  const labels: Partial<Record<FixSuggestion["id"], string>> = {
    "set-idle-timeout": "Set idle timeout",
    "allow-alb-to-target": "Allow ALB → targets",
    "fix-health-check": "Fix health check",
    "set-deregistration-delay": "Set deregistration delay",
    "enable-access-logs": "Enable access logs",
  };
  return `Plan fix: ${labels[fix.id] ?? fix.summary}`;
}

function footer(report: Report, buttons: number): string {
  const failed = report.checks.filter((c) => c.status === "error");
  const skipped = report.checks.filter((c) => c.status === "skipped");
  const parts: string[] = [];
  if (failed.length)
    parts.push(
      `:x: Checks that failed: ${failed.map((c) => `${c.id}${c.error ? ` (${escapeMrkdwn(truncate(c.error, 200))})` : ""}`).join("; ")}`,
    );
  if (skipped.length) parts.push(`Skipped: ${skipped.map((c) => c.id).join(", ")}`);
  const ok = report.checks.length - failed.length - skipped.length;
  parts.push(`${ok}/${report.checks.length} checks ran`);
  const took = formatDuration(report.durationMs);
  if (took) parts.push(`diagnosed in ${took}`);
  if (buttons) parts.push("fixes need an approver");
  return truncate(parts.join(" · "), LIMITS.contextText);
}

function fallbackText(report: Report): string {
  const root = report.findings[0];
  const what =
    root && root.severity !== "info"
      ? `${capText(root.title, MAX_TITLE_CHARS)} (${root.id})`
      : STATUS_WORDS[report.status];
  // The notification text is mrkdwn too: the name and the title are outside text.
  return mrkdwn(`${report.loadBalancer.name}: ${what}`, { inline: true });
}

/** " · *Managed by* kubernetes `shop/web` (...)": fixes are phrased for the owner, who reverts direct changes. */
function ownerText(report: Report): string {
  const m = report.managedBy;
  if (!m) return "";
  const detail = m.detail ? ` (${escapeMrkdwn(capText(m.detail, 200))})` : "";
  return ` · *Managed by* ${escapeMrkdwn(m.kind)} ${inlineCode(capText(m.owner, 200))}${detail}`;
}

function windowSpan(report: Report): string {
  return formatSpan(Date.parse(report.window.end) - Date.parse(report.window.start));
}

/** Last guard: keeps the first blocks and the closing context line within the block limit. */
function fitBlockCount(blocks: Block[]): Block[] {
  if (blocks.length <= LIMITS.blocksPerMessage) return blocks;
  const keep = blocks.slice(0, LIMITS.blocksPerMessage - 2);
  const dropped = blocks.length - keep.length - 1;
  return [
    ...keep,
    context(`… and ${dropped} more parts (see \`alb-doctor check --json\`)`),
    blocks[blocks.length - 1],
  ];
}
