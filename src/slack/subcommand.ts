/**
 * The `/alb` subcommand contract. commands/alb/index.ts acks, splits the text into words, finds the subcommand by
 * its first word in commands/alb/subcommands.ts and calls `run`. Each subcommand module exports one
 * `Subcommand`; adding one is one line in the registry.
 */
import type { SlashCommand } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { AppDeps } from "./deps.ts";
import type { ReplyMessage } from "./message.ts";

/** Sends a reply through the command's response_url (retried, use-counted; falls back to the Web API). */
export type Respond = (message: ReplyMessage) => Promise<void>;

export interface SubcommandContext {
  /** The words after the subcommand name (`/alb check my-alb 30m` -> ["my-alb", "30m"]). */
  args: string[];
  /** The raw slash command payload (user_id, channel_id, response_url, trigger_id...). */
  command: SlashCommand;
  respond: Respond;
  /** A Web API client with the bot token (chat.postMessage, users.info...). */
  client: WebClient;
  deps: AppDeps;
  /** A child logger bound to this request (subcommand, user, channel). */
  logger: Logger;
  /** Set when Slack re-sent this request (X-Slack-Retry-Num); the first delivery is undefined. */
  retryNum?: number;
}

export interface Subcommand {
  /** The first word: `check`, `help`, ... */
  name: string;
  /** One-line grammar shown in help: "check REF [window]". */
  usage: string;
  /** What it does, one sentence. */
  summary: string;
  /**
   * Optional: the message to put in the ack itself (the HTTP response body / Socket Mode ack payload).
   * Must be synchronous and cheap: it runs before the 3-second deadline. Without it the ack is empty.
   */
  ack?(args: string[], deps: AppDeps): ReplyMessage | undefined;
  /** Does the work after the ack. Errors thrown here reach the user as an ephemeral message. */
  run(ctx: SubcommandContext): Promise<void>;
}
