/**
 * Runs the approval flow's reconciler at start and every RECONCILE_INTERVAL_SECONDS, and tells Slack what it
 * found: the plan message is replaced with the outcome (its Approve/Reject buttons go; Undo comes when the
 * change is applied) and a reply in the plan's thread says the execution was interrupted and how it ended.
 * Rounds never overlap; a store outage is logged (at most once a minute) and the next round tries again.
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { ApprovalFlow, ApprovalOutcome } from "../approvals/flow.ts";
import { isAlbDoctorError } from "../domain/errors.ts";
import { renderOutcome } from "./blocks/plan.ts";
import { escapeMrkdwn, truncate } from "./blocks/limits.ts";
import { errorSummary } from "./respond.ts";

export interface Reconciler {
  /** One round now (tests; start-up). Resolves with what it recorded. */
  runOnce(): Promise<ApprovalOutcome[]>;
  stop(): Promise<void>;
}

export function startReconciler(options: {
  flow: ApprovalFlow;
  client: WebClient;
  intervalMs: number;
  logger: Logger;
}): Reconciler {
  const { flow, client, logger } = options;
  let running: Promise<ApprovalOutcome[]> | null = null;
  let lastOutageLog = 0;
  let stopped = false;

  const round = async (): Promise<ApprovalOutcome[]> => {
    let outcomes: ApprovalOutcome[];
    try {
      outcomes = await flow.reconcile();
    } catch (e) {
      if (!isAlbDoctorError(e, "store-unavailable")) throw e;
      if (Date.now() - lastOutageLog > 60_000) {
        lastOutageLog = Date.now();
        logger.warn({ err: e.message }, "reconciler: the store is unavailable; retrying next round");
      }
      return [];
    }
    for (const outcome of outcomes) await announce(client, outcome, logger);
    return outcomes;
  };
  const runOnce = () => {
    running ??= round()
      .catch((e: unknown) => {
        logger.error({ err: errorSummary(e) }, "reconciler round failed");
        return [] as ApprovalOutcome[];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  void runOnce();
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Posts one reconciled outcome where the plan was; a plan approved from a command has a channel only. */
async function announce(client: WebClient, outcome: ApprovalOutcome, logger: Logger): Promise<void> {
  const place = outcome.slack;
  const log = logger.child({ planId: outcome.plan.id, outcome: outcome.outcome });
  if (!place?.channel) {
    log.warn("reconciled a plan with no Slack place to report to");
    return;
  }
  const message = renderOutcome(outcome);
  if (place.messageTs) {
    try {
      await client.chat.update({ channel: place.channel, ts: place.messageTs, ...message });
    } catch (e) {
      log.warn({ err: errorSummary(e) }, "could not replace the plan message");
    }
  }
  const thread = place.threadTs ?? place.messageTs;
  const text = truncate(
    `:arrows_counterclockwise: Plan \`${outcome.plan.id}\` was interrupted before its outcome was recorded. ${escapeMrkdwn(outcome.message)}`,
    3000,
  );
  try {
    await client.chat.postMessage({
      channel: place.channel,
      ...(thread ? { thread_ts: thread } : {}),
      text,
      // Without the plan message to replace, the reply carries the outcome itself (and its Undo button).
      ...(place.messageTs ? {} : { blocks: message.blocks }),
    });
  } catch (e) {
    log.warn({ err: errorSummary(e) }, "could not post the reconciled outcome");
  }
}
