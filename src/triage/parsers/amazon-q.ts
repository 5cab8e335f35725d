/**
 * Amazon Q Developer in chat applications (formerly AWS Chatbot) CloudWatch alarm notifications. They are
 * laid out as blocks (newer) or attachments (older); both carry a title of the form
 *   "CloudWatch Alarm | ALARM_NAME | REGION | Account: 123456789012"
 * the state in the text ("ALARM", "OK") or the attachment colour, the state reason, and a console link.
 * Dimensions are often not in the message: then the load balancer is found by name from the alarm name
 * (see the triage service).
 */
import type { AlarmNotice, AlarmState, SlackMessageEvent } from "../alarm.ts";
import { findConsoleLink, findLbRef, findMetric } from "./refs.ts";

const TITLE =
  /CloudWatch Alarm\s*\|\s*([^|\n]+?)\s*\|\s*([a-z]{2}(?:-[a-z]+)+-\d)\s*\|\s*Account:\s*(\d{12})/i;
const STATE_WORD =
  /\b(?:state|status)\b[^\n]{0,40}?\b(ALARM|OK|INSUFFICIENT_DATA)\b|\b(ALARM|OK|INSUFFICIENT_DATA)\b\s*[-:|]/;
const COLOURS: Record<string, AlarmState> = { danger: "ALARM", good: "OK", warning: "INSUFFICIENT_DATA" };

export function parseAmazonQ(text: string, message: SlackMessageEvent): AlarmNotice | null {
  const title = TITLE.exec(text);
  if (!title) return null;
  const [, alarmName, region] = title;
  const found = findLbRef(text);
  const metric = findMetric(text);
  if (!found && !metric && !/ApplicationELB|\balb\b|load balancer/i.test(`${text} ${alarmName}`)) return null;
  const word = STATE_WORD.exec(text);
  const colour = message.attachments?.map((a) => a.color ?? "").find((c) => c in COLOURS);
  const state = (word?.[1] ?? word?.[2]) as AlarmState | undefined;
  const stateFromReason = /Threshold Crossed/i.test(text) && !state ? ("ALARM" as const) : undefined;
  return {
    source: "amazon-q",
    ...(found ? { lbRef: found.ref, lbName: found.name } : {}),
    alarmName,
    metric,
    state: state ?? (colour ? COLOURS[colour] : stateFromReason),
    region,
    link: findConsoleLink(text),
  };
}
