/**
 * Incident-channel auto-triage. For an alarm about an ALB in a watched channel:
 *  - the first alarm for that load balancer in the dedupe window claims it (an atomic SET NX EX shared by
 *    every replica), diagnoses it and replies in the alarm's thread with the diagnosis and fix buttons;
 *  - every further alarm for it adds to a shared counter, and the reply is edited ("+14 more alarms"),
 *    never re-posted; edits are coalesced per process and paced per channel;
 *  - an OK notification edits the reply ("recovered at ...") instead of starting a diagnosis.
 * Messages that are not about an ALB are ignored silently.
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Accounts } from "../accounts/index.ts";
import { offerScope, TRIAGE_REQUESTER } from "../accounts/offer-scope.ts";
import { saveFixOffers } from "../remediate/offers.ts";
import { albNameInAlarmName } from "../aws/list.ts";
import type { Diagnoser } from "../services/types.ts";
import { renderError } from "../slack/blocks/errors.ts";
import { withoutCharts } from "../slack/blocks/chart.ts";
import { renderReport } from "../slack/blocks/report.ts";
import { sendWithChartFallback } from "../slack/chart-fallback.ts";
import type { SlackMessage } from "../slack/message.ts";
import type { ChannelPacer } from "../slack/pacer.ts";
import type { Store } from "../store/store.ts";
import type { AlarmNotice, SlackMessageEvent } from "./alarm.ts";
import { recognizeAlarm } from "./recognize.ts";
import { TriageState, type ThreadRecord } from "./state.ts";

export interface TriageDeps {
  store: Store;
  diagnose: Diagnoser;
  /** The accounts file: the watched channel's guardrail, and alarms about other accounts' ALBs. */
  accounts?: Accounts;
  pacer: ChannelPacer;
  logger: Logger;
  now: () => Date;
  dedupeSeconds: number;
  /** Channels watched by configuration (TRIAGE_CHANNELS); `/alb watch` adds more in the store. */
  configuredChannels: string[];
  /** ALB names in the account, to find the load balancer of an alarm that names only itself. */
  listAlbNames?: () => Promise<string[]>;
  /** Tracks background work for graceful shutdown. */
  track?: <T>(p: Promise<T>) => Promise<T>;
}

export type TriageOutcome = "ignored" | "not-watched" | "duplicate" | "diagnosing" | "counted" | "recovered";

export class TriageService {
  private readonly state: TriageState;
  /** The edit in flight per load balancer on this replica (its token). */
  private readonly pendingEdits = new Map<string, symbol>();

  constructor(private readonly deps: TriageDeps) {
    this.state = new TriageState(deps.store, deps.dedupeSeconds);
  }

  async isWatched(channel: string): Promise<boolean> {
    return this.deps.configuredChannels.includes(channel) || (await this.state.watched()).includes(channel);
  }

  /** Handles one message event; resolves once the message is classified (the diagnosis runs on). */
  async handle(event: SlackMessageEvent, client: WebClient): Promise<TriageOutcome> {
    const { channel, ts } = event;
    if (!channel || !ts || skippable(event)) return "ignored";
    if (!(await this.isWatched(channel))) return "not-watched";
    const notice = recognizeAlarm(event);
    if (!notice) return "ignored";
    const lbName = notice.lbName ?? (await this.nameFromAlarm(notice));
    if (!lbName) {
      this.deps.logger.info(
        { alarm: notice.alarmName, channel },
        "alarm names no load balancer I can find; ignored",
      );
      return "ignored";
    }
    if (!(await this.state.firstDelivery(channel, ts))) return "duplicate";
    const log = this.deps.logger.child({ lb: lbName, channel, alarm: notice.alarmName, state: notice.state });

    if (notice.state === "OK" || notice.state === "INSUFFICIENT_DATA") {
      if (!(await this.state.markRecovered(lbName, notice, this.deps.now()))) return "ignored";
      log.info("alarm recovered; updating the thread");
      this.scheduleEdit(lbName, client);
      return "recovered";
    }
    const record: ThreadRecord = {
      channel,
      alarmTs: ts,
      lbRef: notice.lbRef ?? lbName,
      alarmName: notice.alarmName,
      consoleLink: notice.link,
      at: this.deps.now().toISOString(),
    };
    if (!(await this.state.claim(lbName, record))) {
      await this.state.countMore(lbName);
      this.scheduleEdit(lbName, client);
      return "counted";
    }
    log.info("first alarm for this load balancer: diagnosing in its thread");
    this.background(this.diagnoseInThread(lbName, record, client, log));
    return "diagnosing";
  }

  private async diagnoseInThread(lbName: string, record: ThreadRecord, client: WebClient, log: Logger) {
    let diagnosis: SlackMessage;
    try {
      const accounts = this.deps.accounts;
      // The channel's guardrail applies as to `/alb check` there: refused before any AWS call.
      const { lbRef, target } = accounts
        ? await accounts.resolve(record.lbRef, { channel: record.channel, requester: TRIAGE_REQUESTER })
        : { lbRef: record.lbRef, target: undefined };
      const report = await this.deps.diagnose(lbRef, target ? { target } : {});
      const { allow, account, fixNote } = offerScope(accounts, record.channel, target, report);
      const offerIds = await saveFixOffers(this.deps.store, report, {
        now: this.deps.now(),
        allow,
        ...(account ? { account } : {}),
      }).catch(() => undefined);
      diagnosis = renderReport(report, {
        ...(offerIds ? { offerIds } : { approvalsUnavailable: "Approvals are unavailable." }),
        ...(fixNote ? { fixNote } : {}),
      });
      log.info({ root: report.findings[0]?.id, status: report.status }, "triage diagnosis finished");
    } catch (e) {
      log.warn({ err: e instanceof Error ? e.message : String(e) }, "triage diagnosis failed");
      diagnosis = renderError(e, `diagnosing ${lbName}`);
    }
    await this.state.saveDiagnosis(lbName, diagnosis);
    const permalink = slackPermalink(record.channel, record.alarmTs);
    let rendered = await this.state.render(lbName, permalink);
    const { result: posted, chartRejected } = await sendWithChartFallback(
      rendered,
      (m) =>
        // Only the Slack call itself sits in the paced slot, so calls reach Slack at the pace.
        this.deps.pacer.run(record.channel, () =>
          client.chat.postMessage({
            channel: record.channel,
            thread_ts: record.alarmTs,
            text: m.text,
            blocks: m.blocks,
            unfurl_links: false,
          }),
        ),
      () => log.info("the workspace rejected the chart block; posting without it"),
    );
    if (chartRejected) {
      // Later edits re-render the saved diagnosis: keep them chart-free too.
      await this.state.saveDiagnosis(lbName, withoutCharts(diagnosis));
      rendered = await this.state.render(lbName, permalink);
    }
    if (!posted.ts) return;
    await this.state.saveReply(lbName, { channel: record.channel, ts: posted.ts });
    // Alarms counted while the post waited for its slot: one edit brings the reply up to date.
    if ((await this.state.render(lbName, permalink)).text !== rendered.text)
      this.scheduleEdit(lbName, client);
  }

  /**
   * Edits the thread reply with the current counter and recovery. At most one edit per load balancer is
   * in flight on this replica; alarms counted while it waits for its slot are caught by the re-check after
   * the send, which schedules one more edit. So the last edit always shows the final state, on every replica.
   */
  private scheduleEdit(lbName: string, client: WebClient): void {
    if (this.pendingEdits.has(lbName)) return;
    const token = Symbol(lbName);
    this.pendingEdits.set(lbName, token);
    const done = () => {
      if (this.pendingEdits.get(lbName) === token) this.pendingEdits.delete(lbName);
    };
    const edit = async () => {
      const reply = await this.state.reply(lbName);
      if (!reply) {
        // Not posted yet: the post re-checks the counter once it is. If it was posted meanwhile, the
        // alarms counted while this edit was pending must still reach it.
        done();
        if (await this.state.reply(lbName)) this.scheduleEdit(lbName, client);
        return;
      }
      const record = await this.state.record(lbName);
      const permalink = record ? slackPermalink(record.channel, record.alarmTs) : undefined;
      const message = await this.state.render(lbName, permalink);
      await this.deps.pacer.run(reply.channel, () =>
        client.chat.update({
          channel: reply.channel,
          ts: reply.ts,
          text: message.text,
          blocks: message.blocks,
        }),
      );
      done();
      if (!sameContent(await this.state.render(lbName, permalink), message))
        this.scheduleEdit(lbName, client);
    };
    this.background(
      edit()
        .catch((e) =>
          this.deps.logger.warn(
            { lb: lbName, err: e instanceof Error ? e.message : e },
            "thread edit failed",
          ),
        )
        .finally(done),
    );
  }

  private async nameFromAlarm(notice: AlarmNotice): Promise<string | undefined> {
    if (!notice.alarmName || !this.deps.listAlbNames) return undefined;
    const names = await this.deps.listAlbNames().catch(() => []);
    return albNameInAlarmName(notice.alarmName, names);
  }

  private background(p: Promise<unknown>): void {
    const tracked = this.deps.track ? this.deps.track(p) : p;
    tracked.catch((e) =>
      this.deps.logger.error({ err: e instanceof Error ? e.message : e }, "triage work failed"),
    );
  }
}

function sameContent(a: SlackMessage, b: SlackMessage): boolean {
  return JSON.stringify(a.blocks) === JSON.stringify(b.blocks);
}

/** Edits, joins, thread replies and the bot's own messages are not alarms. */
function skippable(e: SlackMessageEvent): boolean {
  if (e.thread_ts && e.thread_ts !== e.ts) return true;
  return Boolean(e.subtype && e.subtype !== "bot_message" && e.subtype !== "file_share");
}

/** A link to the alarm message that works in any workspace (Slack redirects /archives links). */
export function slackPermalink(channel: string, ts: string): string {
  return `https://slack.com/archives/${channel}/p${ts.replace(".", "")}`;
}
