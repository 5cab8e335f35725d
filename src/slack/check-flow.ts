/**
 * What `/alb check` does after the ack: ignore Slack's re-deliveries (a dedupe key in the store with a short
 * TTL), join a running diagnosis of the same load balancer and window (single-flight), save the fix offers,
 * render, and replace the "Checking…" message. Every failure ends as an ephemeral message.
 */
import { createHash } from "node:crypto";
import type { SlashCommand } from "@slack/bolt";
import type { Logger } from "pino";
import type { Resolved } from "../accounts/index.ts";
import { offerScope } from "../accounts/offer-scope.ts";
import { saveFixOffers } from "../remediate/offers.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { renderError } from "./blocks/errors.ts";
import { renderReport } from "./blocks/report.ts";
import type { CheckArgs } from "./check-args.ts";
import { withDeadline } from "./deadline.ts";
import { isFirstDelivery as firstDelivery } from "./dedupe.ts";
import type { AppDeps } from "./deps.ts";
import type { SlackMessage } from "./message.ts";
import { sendWithChartFallback } from "./chart-fallback.ts";
import { errorSummary } from "./respond.ts";
import type { Respond } from "./subcommand.ts";
import { Work } from "./work.ts";

export { DEDUPE_TTL_SECONDS } from "./dedupe.ts";
/** A diagnosis that takes longer is abandoned with a message rather than leaving "Checking…" forever. */
export const DIAGNOSIS_DEADLINE_MS = 4 * 60_000;
export const APPROVALS_UNAVAILABLE =
  "Approvals are unavailable right now (the bot's store cannot be reached), so fix buttons are hidden. Run the check again once it is back.";

export interface CheckRequest {
  args: CheckArgs;
  command: SlashCommand;
  respond: Respond;
  deps: AppDeps;
  logger: Logger;
  retryNum?: number;
}

export async function runCheck(req: CheckRequest): Promise<void> {
  const { args, deps, logger, respond } = req;
  if (!(await isFirstDelivery(req))) return;
  const work = deps.work ?? new Work();
  const channel = req.command.channel_id;
  let resolved: Resolved;
  try {
    // Account, region and the channel's guardrail are decided before anything reaches AWS.
    resolved = deps.accounts
      ? await deps.accounts.resolve(args.ref, { channel, requester: req.command.user_id })
      : { lbRef: args.ref };
  } catch (e) {
    logger.info({ err: errorSummary(e), ref: args.ref }, "check refused");
    await respond({ delete_original: true, text: "" }).catch(() => {});
    await respond(renderError(e, `checking ${args.ref}`, req.command.trigger_id));
    return;
  }
  const t = resolved.target;
  // Channels with different guardrails see different fix buttons: they never share one rendering.
  const key = `${t ? `${t.alias}|${t.region}|` : ""}${resolved.lbRef.toLowerCase()}|${args.window}|${deps.accounts?.configured ? channel : ""}`;
  const { promise, joined } = work.singleFlight(key, () =>
    work.limit(() => diagnoseAndRender(args, resolved, channel, deps, logger)),
  );
  if (joined) logger.info({ ref: args.ref, window: args.window }, "joined a running diagnosis");
  else if (work.waiting) logger.info({ waiting: work.waiting }, "diagnosis queued behind others");
  let message: SlackMessage;
  try {
    message = await promise;
  } catch (e) {
    logger.warn({ err: errorSummary(e), ref: args.ref }, "check failed");
    // The "Checking…" message was public; the explanation is for the caller only.
    await respond({ delete_original: true, text: "" }).catch(() => {});
    await respond(renderError(e, `checking ${args.ref}`, req.command.trigger_id));
    return;
  }
  await sendWithChartFallback(
    { ...message, response_type: "in_channel" as const, replace_original: true },
    respond,
    (e) => logger.info({ err: errorSummary(e) }, "the workspace rejected the chart block; sent without it"),
  );
}

async function diagnoseAndRender(
  args: CheckArgs,
  resolved: Resolved,
  channel: string,
  deps: AppDeps,
  logger: Logger,
): Promise<SlackMessage> {
  const started = Date.now();
  const target = resolved.target;
  const report = await withDeadline(
    deps.diagnose(resolved.lbRef, { window: args.window, ...(target ? { target } : {}) }),
    DIAGNOSIS_DEADLINE_MS,
    () =>
      new AlbDoctorError(
        "timeout",
        `The diagnosis took longer than ${Math.round(DIAGNOSIS_DEADLINE_MS / 1000)} s.`,
      ),
  );
  logger.info(
    {
      ref: args.ref,
      account: target?.alias,
      status: report.status,
      root: report.findings[0]?.id,
      ms: Date.now() - started,
    },
    "diagnosis finished",
  );
  const { allow, account, fixNote } = offerScope(deps.accounts, channel, target, report);
  try {
    const offerIds = await saveFixOffers(deps.store, report, {
      now: deps.now(),
      allow,
      ...(account ? { account } : {}),
    });
    return renderReport(report, { offerIds, ...(fixNote ? { fixNote } : {}) });
  } catch (e) {
    logger.warn({ err: errorSummary(e) }, "could not save fix offers; rendering without fix buttons");
    return renderReport(report, { approvalsUnavailable: APPROVALS_UNAVAILABLE });
  }
}

/** True for the first delivery of this command; Slack's retries carry the same trigger_id. */
async function isFirstDelivery(req: CheckRequest): Promise<boolean> {
  const c = req.command;
  const id =
    c.trigger_id ||
    createHash("sha256").update(`${c.user_id}|${c.channel_id}|${c.text}|${c.response_url}`).digest("hex");
  return firstDelivery(req.deps.store, "slash", id, req.logger, req.retryNum);
}
