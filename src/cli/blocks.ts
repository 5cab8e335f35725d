/**
 * `alb-doctor check REF --blocks` (and `npm run demo`): the Slack message the bot would post for a report,
 * as pure JSON (for `| jq`), or with --builder-link a Block Kit Builder link that shows it without Slack. Fix buttons carry placeholder offer ids
 * (the CLI saves no offers); in Slack they carry the ids saved in the store.
 */
import { offerKey } from "../remediate/offers.ts";
import type { Report } from "../domain/report.ts";
import { renderReport } from "../slack/blocks/report.ts";
import type { SlackMessage } from "../slack/message.ts";

export const BLOCK_KIT_BUILDER = "https://app.slack.com/block-kit-builder/#";

export function previewMessage(report: Report): SlackMessage {
  const offerIds: Record<string, string> = {};
  let n = 0;
  for (const f of report.findings)
    for (const fix of f.fixes) if (fix.automated) offerIds[offerKey(f.id, fix.id)] = `fx_preview${++n}`;
  return renderReport(report, { offerIds });
}

/** The Block Kit Builder URL for a message: the builder reads URL-encoded JSON after the `#`. */
export function blockKitBuilderUrl(message: SlackMessage): string {
  return BLOCK_KIT_BUILDER + encodeURIComponent(JSON.stringify({ blocks: message.blocks ?? [] }));
}

export function renderBlocksJson(report: Report): string {
  return `${JSON.stringify(previewMessage(report), null, 2)}\n`;
}

export function renderBuilderLink(report: Report): string {
  return `${blockKitBuilderUrl(previewMessage(report))}\n`;
}
