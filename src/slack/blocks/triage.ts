/**
 * The thread reply to an alarm: the same diagnosis message as `/alb check`, with a line that links back
 * to the alarm, counts the alarms that followed, and says when the alarm recovered. Pure.
 */
import { awsConsoleUrl, link, mrkdwn, type SafeUrl } from "../../domain/text.ts";
import type { SlackMessage } from "../message.ts";
import { context as contextBlock, escapeMrkdwn, LIMITS } from "./limits.ts";

export interface TriageStatus {
  lbName: string;
  alarmName?: string;
  /** The alarm message in Slack. */
  alarmPermalink?: string;
  /** The alarm in the CloudWatch console. */
  consoleLink?: string;
  moreAlarms: number;
  recovered?: { at: string; alarmName?: string };
}

export function renderTriageReply(diagnosis: SlackMessage | null, status: TriageStatus): SlackMessage {
  const line = statusLine(status);
  // A context element holds 2,000 characters, not a section's 3,000 (validateMessage checks the same).
  const context = contextBlock(line);
  if (!diagnosis) {
    return {
      text: `Diagnosing ${mrkdwn(status.lbName, { inline: true })}…`,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: `:mag: Diagnosing *${escapeMrkdwn(status.lbName)}*…` },
        },
        context,
      ],
    };
  }
  const blocks = [...(diagnosis.blocks ?? [])];
  blocks.splice(Math.min(1, blocks.length), 0, context);
  // The diagnosis already fills Slack's block budget at most; keep the headline, the status line and the first blocks.
  while (blocks.length > LIMITS.blocksPerMessage) blocks.splice(blocks.length - 2, 1);
  return { text: `${diagnosis.text ?? ""} ${line}`.trim().slice(0, 3000), blocks };
}

/** https://slack.com/archives/C…/p… (as slackPermalink builds it), or undefined. */
function slackUrl(x: string | undefined): SafeUrl | undefined {
  if (!x || !/^https:\/\/slack\.com\/archives\/[CDG][A-Z0-9]{2,30}\/p\d{1,20}$/.test(x)) return undefined;
  return x as SafeUrl;
}

export function statusLine(s: TriageStatus): string {
  const alarm = s.alarmName ? `alarm *${escapeMrkdwn(s.alarmName)}*` : "an alarm";
  // Links only to URLs validated here: the alarm's Slack archive link and a CloudWatch console URL.
  const permalink = slackUrl(s.alarmPermalink);
  const source = permalink ? `<${permalink}|${alarm}>` : alarm;
  const parts = [`:rotating_light: Triggered by ${source}`];
  const console = awsConsoleUrl(s.consoleLink, "/cloudwatch");
  if (console) parts.push(link(console, "open in CloudWatch"));
  if (s.moreAlarms > 0) parts.push(`*+${s.moreAlarms} more alarm${s.moreAlarms === 1 ? "" : "s"}*`);
  if (s.recovered) {
    const who = s.recovered.alarmName ? ` (${escapeMrkdwn(s.recovered.alarmName)} is OK)` : "";
    parts.push(`:white_check_mark: recovered at ${s.recovered.at.slice(11, 16)} UTC${who}`);
  }
  return parts.join(" · ");
}
