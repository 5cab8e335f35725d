/**
 * The thread reply to an alarm: the same diagnosis message as `/alb check`, with a line that links back
 * to the alarm, counts the alarms that followed, and says when the alarm recovered. Pure.
 */
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
      text: `Diagnosing ${status.lbName}…`,
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

export function statusLine(s: TriageStatus): string {
  const alarm = s.alarmName ? `alarm *${escapeMrkdwn(s.alarmName)}*` : "an alarm";
  const source = s.alarmPermalink ? `<${s.alarmPermalink}|${alarm}>` : alarm;
  const parts = [`:rotating_light: Triggered by ${source}`];
  if (s.consoleLink) parts.push(`<${s.consoleLink}|open in CloudWatch>`);
  if (s.moreAlarms > 0) parts.push(`*+${s.moreAlarms} more alarm${s.moreAlarms === 1 ? "" : "s"}*`);
  if (s.recovered) {
    const who = s.recovered.alarmName ? ` (${escapeMrkdwn(s.recovered.alarmName)} is OK)` : "";
    parts.push(`:white_check_mark: recovered at ${s.recovered.at.slice(11, 16)} UTC${who}`);
  }
  return parts.join(" · ");
}
