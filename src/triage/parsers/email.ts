/**
 * CloudWatch alarm e-mails forwarded to Slack (e-mail app or forwarding address):
 *   You are receiving this email because your Amazon CloudWatch Alarm "NAME" in the REGION region has
 *   entered the ALARM state, because "REASON" at "Sunday 15 March, 2026 14:21:10 UTC".
 *   ... - State Change: OK -> ALARM ... - MetricNamespace: AWS/ApplicationELB
 *   - MetricName: HTTPCode_ELB_5XX_Count - Dimensions: [LoadBalancer = app/my-alb/50dc6c495c0c9188]
 */
import type { AlarmNotice } from "../alarm.ts";
import { toState } from "./sns-json.ts";
import { findConsoleLink, findLbRef, findMetric } from "./refs.ts";

const HEADLINE =
  /Amazon CloudWatch Alarm "([^"]+)" in the (.+?) region has entered the (ALARM|OK|INSUFFICIENT_DATA) state/i;
const STATE_CHANGE = /State Change:\s*(\w+)\s*->\s*(ALARM|OK|INSUFFICIENT_DATA)/i;
const AT = /\bat "(?:\w+day )?(\d{1,2} \w+, \d{4} \d{2}:\d{2}:\d{2}) UTC"/;
const DIMENSION = /LoadBalancer\s*=\s*([^\],\s]+)/;
const ALARM_ARN = /arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:/;

export function parseAlarmEmail(text: string): AlarmNotice | null {
  const head = HEADLINE.exec(text);
  const change = STATE_CHANGE.exec(text);
  if (!head && !(change && /MetricNamespace|Alarm Details/i.test(text))) return null;
  const dim = DIMENSION.exec(text)?.[1];
  const found = findLbRef(dim ?? text);
  if (!found && !/AWS\/ApplicationELB/.test(text)) return null;
  const at = AT.exec(text)?.[1];
  const time = at ? new Date(`${at} UTC`) : undefined;
  return {
    source: "email",
    ...(found ? { lbRef: found.ref, lbName: found.name } : {}),
    alarmName: head?.[1] ?? /- Name:\s*(\S+)/.exec(text)?.[1],
    metric: /MetricName:\s*(\S+)/.exec(text)?.[1] ?? findMetric(text),
    state: toState(head?.[3] ?? change?.[2]),
    time: time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined,
    region: ALARM_ARN.exec(text)?.[1],
    link: findConsoleLink(text),
  };
}
