/** What triage needs to know about an alarm message, whatever format it came in. */
export type AlarmState = "ALARM" | "OK" | "INSUFFICIENT_DATA";

export type AlarmSource = "amazon-q" | "sns-json" | "email" | "plain";

export interface AlarmNotice {
  source: AlarmSource;
  /** A load balancer reference as found (ARN, app/NAME/ID, DNS name or name); absent when only the alarm name is known. */
  lbRef?: string;
  /** The ALB's name, derived from the reference (the dedupe key); absent when unknown. */
  lbName?: string;
  alarmName?: string;
  metric?: string;
  /** undefined when the message does not say (a plain sentence about 502s counts as ALARM). */
  state?: AlarmState;
  /** When the state changed (ISO), when the message says. */
  time?: string;
  region?: string;
  /** A link to the alarm in the console, when the message has one. */
  link?: string;
}

/** A message as the Events API delivers it (only the parts triage reads). */
export interface SlackMessageEvent {
  type?: string;
  subtype?: string;
  channel?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: {
    color?: string;
    pretext?: string;
    title?: string;
    title_link?: string;
    text?: string;
    fallback?: string;
    fields?: { title?: string; value?: string }[];
    footer?: string;
    blocks?: unknown[];
  }[];
}
