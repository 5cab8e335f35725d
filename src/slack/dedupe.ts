/**
 * Slack re-sends a request it got no ack for in time (X-Slack-Retry-Num), and a client can deliver the same
 * click twice; both carry the same ids. A set-if-absent key in the store with a short TTL lets only the
 * first delivery through, across replicas. Used for slash commands and for button clicks.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Store } from "../store/store.ts";
import { errorSummary } from "./respond.ts";

/** How long a delivery is remembered (Slack re-sends within seconds to minutes). */
export const DEDUPE_TTL_SECONDS = 600;

/**
 * True for the first delivery of `id`. Without the store, a delivery marked as a retry is taken as a
 * repeat: a missed answer is better than doing the work twice.
 */
export async function isFirstDelivery(
  store: Store,
  kind: "slash" | "action",
  id: string,
  logger: Logger,
  retryNum: number | undefined,
): Promise<boolean> {
  try {
    const first = await store.setIfAbsent(`dedupe:${kind}:${id}`, "1", DEDUPE_TTL_SECONDS);
    if (!first)
      logger.info(
        { retryNum },
        `repeated delivery of a ${kind === "slash" ? "slash command" : "button click"} ignored`,
      );
    return first;
  } catch (e) {
    logger.warn({ err: errorSummary(e) }, "dedupe store unavailable");
    return retryNum === undefined;
  }
}

/** The identity of one button click: Slack gives every click its own trigger_id and action_ts. */
export function clickDeliveryId(click: {
  triggerId?: string;
  actionTs?: string;
  actionId: string;
  value: string;
  user: string;
  messageTs?: string;
}): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        click.triggerId,
        click.actionTs,
        click.actionId,
        click.value,
        click.user,
        click.messageTs,
      ]),
    )
    .digest("hex");
}
