/**
 * The remediation buttons: Fix (offer -> plan message in the report's thread), Approve, Reject and Undo.
 * Each listener acks at once, ignores a repeated delivery of the same click (Slack's retry, or the same
 * payload twice: src/slack/dedupe.ts), then hands off to the approval flow; refusals reach only the clicker
 * (ephemeral, through the action's response_url or chat.postEphemeral).
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { ApprovalFlow } from "../src/approvals/flow.ts";
import type { Plan } from "../src/remediate/plan.ts";
import { ACTION } from "../src/slack/action-ids.ts";
import { renderOutcome, renderPlan, renderRefusal, renderRejected } from "../src/slack/blocks/plan.ts";
import { clickDeliveryId, isFirstDelivery } from "../src/slack/dedupe.ts";
import type { AppDeps } from "../src/slack/deps.ts";
import type { ReplyMessage, SlackMessage } from "../src/slack/message.ts";
import { createResponder, errorSummary } from "../src/slack/respond.ts";

interface Click {
  value: string;
  user: string;
  channel: string;
  /** The message the button sits on. */
  messageTs?: string;
  threadTs?: string;
  responseUrl?: string;
}

function clickOf(body: BlockAction, action: ButtonAction): Click {
  return {
    value: action.value ?? "",
    user: body.user.id,
    channel: body.channel?.id ?? body.container?.channel_id ?? "",
    messageTs: body.message?.ts ?? body.container?.message_ts,
    threadTs: (body.message?.thread_ts as string | undefined) ?? body.message?.ts,
    responseUrl: body.response_url,
  };
}

/** What a button's work produces: the message to show, as a new thread reply or replacing the clicked one. */
interface Reply {
  message: SlackMessage;
  how: "thread" | "replace";
}
type Handler = (click: Click) => Promise<Reply>;

export function register(app: App, deps: AppDeps): void {
  const on = (actionId: string, what: string, handle: Handler) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context }) => {
      await ack();
      const click = clickOf(body, action);
      const logger = deps.logger.child({ action: actionId, user: click.user, channel: click.channel });
      const delivery = clickDeliveryId({
        triggerId: body.trigger_id,
        actionTs: action.action_ts,
        actionId,
        value: click.value,
        user: click.user,
        messageTs: click.messageTs,
      });
      if (!(await isFirstDelivery(deps.store, "action", delivery, logger, context.retryNum))) return;
      const responder = () =>
        createResponder(
          { response_url: click.responseUrl, channel_id: click.channel, user_id: click.user },
          { client, logger },
        );
      const work = (async () => {
        let reply: Reply;
        try {
          reply = await handle(click);
        } catch (e) {
          // Refused or failed before anything changed: only the clicker hears why.
          logger.info({ err: errorSummary(e) }, `${what} refused or failed`);
          await responder()({ ...renderRefusal(e, what), replace_original: false });
          return;
        }
        await deliver(client, click, reply, responder, logger);
      })().catch((e: unknown) => logger.error({ err: errorSummary(e) }, `could not answer ${what}`));
      await (deps.work ? deps.work.track(work) : work);
    });

  on(ACTION.fix, "planning the fix", async (click) => {
    const flow = deps.approvals;
    return newPlan(flow, await flow.createPlan(click.value, click.user, { channel: click.channel }));
  });

  on(ACTION.approve, "approving the plan", async (click) => {
    const result = await deps.approvals.approve(click.value, click.user, {
      // Where the plan message is: a reconciler in any replica posts the outcome there if this one stops.
      slack: { channel: click.channel, messageTs: click.messageTs, threadTs: click.threadTs },
    });
    return { how: "replace", message: renderOutcome(result) };
  });

  on(ACTION.reject, "rejecting the plan", async (click) => {
    const plan = await deps.approvals.reject(click.value, click.user);
    return { how: "replace", message: renderRejected(plan, click.user) };
  });

  on(ACTION.undo, "planning the undo", async (click) => {
    const flow = deps.approvals;
    return newPlan(flow, await flow.undo(click.value, click.user, { channel: click.channel }));
  });
}

/** A plan waiting for approval (a fix's or an undo's): a thread reply saying who may approve it. */
function newPlan(flow: ApprovalFlow, plan: Plan): Reply {
  return {
    how: "thread",
    message: renderPlan(plan, { approvers: flow.policy.describe(plan.requestedBy) }),
  };
}

/**
 * Shows the outcome to the channel: replacing the clicked message (so nobody clicks a decided plan), else as a
 * thread reply, else through the click's response_url (which works even where the bot is not a member).
 * A failure here never reads as a refusal: the work itself is done.
 */
async function deliver(
  client: WebClient,
  click: Click,
  reply: Reply,
  responder: () => (m: ReplyMessage) => Promise<void>,
  logger: Logger,
): Promise<void> {
  const { message } = reply;
  if (reply.how === "replace" && click.messageTs) {
    try {
      await client.chat.update({ channel: click.channel, ts: click.messageTs, ...message });
      return;
    } catch (e) {
      logger.warn({ err: errorSummary(e) }, "could not replace the plan message");
    }
  }
  try {
    await client.chat.postMessage({
      channel: click.channel,
      ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
      ...message,
    });
    return;
  } catch (e) {
    logger.warn({ err: errorSummary(e) }, "could not post in the channel; answering through response_url");
  }
  await responder()({ response_type: "in_channel", replace_original: false, ...message });
}
