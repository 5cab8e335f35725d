/** Block Kit for `/alb history [REF]`: the newest audit entries, one line each, within Slack's limits. Pure. */
import { capText, cleanText, inlineCode, mention, mrkdwn } from "../../domain/text.ts";
import type { AuditEntry } from "../../store/store.ts";
import type { Block, SlackMessage } from "../message.ts";
import { escapeMrkdwn, foldLines, LIMITS, section, truncate } from "./limits.ts";

const EVENT_ICON: Record<AuditEntry["event"], string> = {
  "plan-created": ":clipboard:",
  approved: ":ballot_box_with_check:",
  rejected: ":no_entry_sign:",
  refused: ":hand:",
  executed: ":gear:",
  "execution-failed": ":x:",
  verified: ":white_check_mark:",
  "verification-failed": ":warning:",
  "outcome-unknown": ":grey_question:",
  "not-applied": ":heavy_minus_sign:",
  "drift-detected": ":no_entry:",
  "undo-planned": ":leftwards_arrow_with_hook:",
  expired: ":hourglass:",
};

export function auditLine(e: AuditEntry): string {
  const seconds = Math.floor(Date.parse(e.at) / 1000);
  const when = Number.isFinite(seconds)
    ? `<!date^${seconds}^{date_short} {time}|${mrkdwn(e.at)}>`
    : mrkdwn(e.at);
  const change = changeText(e.before, e.after);
  const id = e.awsRequestId ? ` · request ${inlineCode(capText(e.awsRequestId, 100))}` : "";
  const detail = e.detail ? ` — ${escapeMrkdwn(truncate(e.detail, 300))}` : "";
  return `${EVENT_ICON[e.event] ?? "•"} ${when} *${mrkdwn(e.event)}* ${inlineCode(capText(e.fixId, 100))} on ${escapeMrkdwn(capText(e.loadBalancer, 100))} by ${actor(e.actor)}${change}${id}${detail} · ${inlineCode(capText(e.planId, 100))}`;
}

export function renderAudit(entries: AuditEntry[], ref?: string): SlackMessage {
  const title = ref ? `Remediation history of ${ref}` : "Remediation history";
  if (!entries.length)
    return {
      text: `${mrkdwn(title, { inline: true })}: nothing yet`,
      blocks: [section(`*${escapeMrkdwn(title)}*: nothing recorded yet.`)],
    };
  // Each section holds up to ~3000 characters; split the lines over as many sections as needed (max 20).
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(cleanText(title, { inline: true }), LIMITS.headerText) },
    },
  ];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(section(foldLines(chunk, LIMITS.sectionText)));
    chunk = [];
  };
  for (const e of entries) {
    const line = auditLine(e);
    if ([...chunk, line].join("\n").length > LIMITS.sectionText - 10) flush();
    if (blocks.length >= 20) break;
    chunk.push(line);
  }
  flush();
  return {
    text: truncate(`${mrkdwn(title, { inline: true })}: ${entries.length} entries`, LIMITS.fallbackText),
    blocks,
  };
}

function changeText(before: unknown, after: unknown): string {
  if (!isFlat(before) || !isFlat(after)) return "";
  const keys = Object.keys(after).filter((k) => before[k] !== after[k]);
  if (!keys.length) return "";
  return `: ${keys.map((k) => `${inlineCode(capText(k, 100))} ${inlineCode(capText(String(before[k] ?? "(unset)"), 200))} → ${inlineCode(capText(String(after[k] ?? "(unset)"), 200))}`).join(", ")}`;
}

function isFlat(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function actor(a: string): string {
  return mention(a);
}
