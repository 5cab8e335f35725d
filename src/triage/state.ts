/**
 * Triage state in the shared store, so every bot replica sees the same threads:
 *   triage:lb:<name>            the claim: which alarm's thread holds the diagnosis (SET NX EX, the dedupe)
 *   triage:lb:<name>:more       alarms counted after the first (INCR)
 *   triage:lb:<name>:reply      where the thread reply is (channel, ts), once posted
 *   triage:lb:<name>:message    the rendered diagnosis, re-used for every edit
 *   triage:lb:<name>:recovered  when an OK notification arrived
 *   triage:seen:<channel>:<ts>  each alarm message handled once (Events API re-deliveries)
 *   triage:channels             channels added with /alb watch
 */
import type { SlackMessage } from "../slack/message.ts";
import { renderTriageReply } from "../slack/blocks/triage.ts";
import type { Store } from "../store/store.ts";
import type { AlarmNotice } from "./alarm.ts";

export interface ThreadRecord {
  channel: string;
  alarmTs: string;
  lbRef: string;
  alarmName?: string;
  consoleLink?: string;
  at: string;
}

const SEEN_TTL = 3600;

export class TriageState {
  constructor(
    private readonly store: Store,
    private readonly ttl: number,
  ) {}

  private key(lbName: string, part = ""): string {
    return `triage:lb:${lbName.toLowerCase()}${part ? `:${part}` : ""}`;
  }

  firstDelivery(channel: string, ts: string): Promise<boolean> {
    return this.store.setIfAbsent(`triage:seen:${channel}:${ts}`, "1", SEEN_TTL);
  }

  claim(lbName: string, record: ThreadRecord): Promise<boolean> {
    return this.store.setIfAbsent(this.key(lbName), JSON.stringify(record), this.ttl);
  }

  async record(lbName: string): Promise<ThreadRecord | null> {
    return parse<ThreadRecord>(await this.store.get(this.key(lbName)));
  }

  countMore(lbName: string): Promise<number> {
    return this.store.incr(this.key(lbName, "more"), this.ttl);
  }

  /** False when no thread exists for this load balancer (nothing to update). */
  async markRecovered(lbName: string, notice: AlarmNotice, now: Date): Promise<boolean> {
    if (!(await this.record(lbName))) return false;
    const value = JSON.stringify({ at: notice.time ?? now.toISOString(), alarmName: notice.alarmName });
    await this.store.set(this.key(lbName, "recovered"), value, this.ttl);
    return true;
  }

  async saveDiagnosis(lbName: string, message: SlackMessage): Promise<void> {
    await this.store.set(this.key(lbName, "message"), JSON.stringify(message), this.ttl);
  }

  async saveReply(lbName: string, reply: { channel: string; ts: string }): Promise<void> {
    await this.store.set(this.key(lbName, "reply"), JSON.stringify(reply), this.ttl);
  }

  async reply(lbName: string): Promise<{ channel: string; ts: string } | null> {
    return parse(await this.store.get(this.key(lbName, "reply")));
  }

  /** The reply as it should read now: diagnosis, counter, recovery. */
  async render(lbName: string, permalink?: string): Promise<SlackMessage> {
    const [record, more, message, recovered] = await Promise.all([
      this.record(lbName),
      this.store.get(this.key(lbName, "more")),
      this.store.get(this.key(lbName, "message")),
      this.store.get(this.key(lbName, "recovered")),
    ]);
    return renderTriageReply(parse<SlackMessage>(message), {
      lbName,
      alarmName: record?.alarmName,
      alarmPermalink: permalink,
      consoleLink: record?.consoleLink,
      moreAlarms: Number(more ?? 0),
      recovered: parse(recovered) ?? undefined,
    });
  }

  watch(channel: string): Promise<void> {
    return this.store.addToSet("triage:channels", channel);
  }
  unwatch(channel: string): Promise<void> {
    return this.store.removeFromSet("triage:channels", channel);
  }
  watched(): Promise<string[]> {
    return this.store.members("triage:channels");
  }
}

function parse<T>(raw: string | null): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
