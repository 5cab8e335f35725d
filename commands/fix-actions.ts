/**
 * The remediation buttons: Fix (offer -> plan message in the report's thread), Approve, Reject and Undo.
 * Each listener acks at once, then hands off to the approval flow; refusals reach only the clicker
 * (ephemeral, through the action's response_url or chat.postEphemeral).
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { approvalFlowFor } from "../src/approvals/for-app.ts";
import { ACTION } from "../src/slack/action-ids.ts";
import { renderOutcome, renderPlan, renderRefusal, renderRejected } from "../src/slack/blocks/plan.ts";
import type { AppDeps } from "../src/slack/deps.ts";
import type { SlackMessage } from "../src/slack/message.ts";
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

type Handler = (click: Click, client: WebClient, deps: AppDeps) => Promise<void>;

export function register(app: App, deps: AppDeps): void {
  const on = (actionId: string, what: string, handle: Handler) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const click = clickOf(body, action);
      const logger = deps.logger.child({ action: actionId, user: click.user, channel: click.channel });
      const work = handle(click, client, deps).catch(async (e: unknown) => {
        logger.info({ err: errorSummary(e) }, `${what} refused or failed`);
        const respond = createResponder(
          { response_url: click.responseUrl, channel_id: click.channel, user_id: click.user },
          { client, logger },
        );
        await respond({ ...renderRefusal(e, what), replace_original: false }).catch((e2: unknown) =>
          logger.error({ err: errorSummary(e2) }, "could not tell the user why"),
        );
      });
      await (deps.work ? deps.work.track(work) : work);
    });

  on(ACTION.fix, "planning the fix", async (click, client) => {
    const flow = approvalFlowFor(deps, client);
    const plan = await flow.createPlan(click.value, click.user);
    await post(
      client,
      click.channel,
      click.threadTs,
      renderPlan(plan, { approvers: flow.policy.describe(plan.requestedBy) }),
    );
  });

  on(ACTION.approve, "approving the plan", async (click, client) => {
    const result = await approvalFlowFor(deps, client).approve(click.value, click.user);
    await replaceOrPost(client, click, renderOutcome(result));
  });

  on(ACTION.reject, "rejecting the plan", async (click, client) => {
    const plan = await approvalFlowFor(deps, client).reject(click.value, click.user);
    await replaceOrPost(client, click, renderRejected(plan, click.user));
  });

  on(ACTION.undo, "planning the undo", async (click, client) => {
    const flow = approvalFlowFor(deps, client);
    const plan = await flow.undo(click.value, click.user);
    await post(
      client,
      click.channel,
      click.threadTs,
      renderPlan(plan, { approvers: flow.policy.describe(plan.requestedBy) }),
    );
  });
}

async function post(client: WebClient, channel: string, threadTs: string | undefined, message: SlackMessage) {
  await client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...message });
}

/** The plan message becomes the result (so nobody clicks a decided plan); a new message when that fails. */
async function replaceOrPost(client: WebClient, click: Click, message: SlackMessage) {
  if (click.messageTs) {
    try {
      await client.chat.update({ channel: click.channel, ts: click.messageTs, ...message });
      return;
    } catch {
      // the plan message may be gone; say it in the thread instead
    }
  }
  await post(client, click.channel, click.threadTs, message);
}
