/**
 * Turns `/alb <words>` into a subcommand run: split the text, pick the subcommand (help for a bare `/alb`
 * or an unknown word), and run it with a responder. Errors thrown by a subcommand reach the user as an
 * ephemeral message; if even that fails, they are logged.
 */
import type { SlashCommand } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { renderError } from "./blocks/errors.ts";
import type { AppDeps } from "./deps.ts";
import type { ReplyMessage } from "./message.ts";
import { ephemeral } from "./message.ts";
import { createResponder, errorSummary } from "./respond.ts";
import type { Subcommand } from "./subcommand.ts";

export interface Parsed {
  sub?: Subcommand;
  args: string[];
  /** Why help is shown instead (unknown word). */
  note?: string;
}

export function parseAlb(text: string, subcommands: Subcommand[]): Parsed {
  const [first, ...args] = text.trim().split(/\s+/).filter(Boolean);
  if (!first) return { args: [] };
  const sub = subcommands.find((s) => s.name === first.toLowerCase());
  if (!sub) return { args, note: `I don't know \`/alb ${first.slice(0, 40)}\`. Here is what I can do:` };
  return { sub, args };
}

export const SHUTTING_DOWN = ephemeral(":hourglass: alb-doctor is restarting; please try again in a minute.");

/** The ack payload for a parsed command; `help` renders the help message. */
export function ackFor(
  parsed: Parsed,
  deps: AppDeps,
  help: (note?: string) => ReplyMessage,
): ReplyMessage | undefined {
  if (deps.work && !deps.work.accepting) return SHUTTING_DOWN;
  if (!parsed.sub) return help(parsed.note);
  try {
    return parsed.sub.ack?.(parsed.args, deps);
  } catch (e) {
    return renderError(e, `reading \`/alb ${parsed.sub.name}\``);
  }
}

export async function runParsed(
  parsed: Parsed,
  command: SlashCommand,
  client: WebClient,
  deps: AppDeps,
  retryNum?: number,
): Promise<void> {
  const sub = parsed.sub;
  if (!sub || (deps.work && !deps.work.accepting)) return;
  const logger = deps.logger.child({
    sub: sub.name,
    user: command.user_id,
    channel: command.channel_id,
    retryNum,
  });
  const respond = createResponder(command, { client, logger });
  const work = sub.run({ args: parsed.args, command, respond, client, deps, logger, retryNum });
  try {
    await (deps.work ? deps.work.track(work) : work);
  } catch (e) {
    logger.error({ err: errorSummary(e) }, "subcommand failed");
    await respond(renderError(e, `running \`/alb ${sub.name}\``, command.trigger_id)).catch((e2: unknown) =>
      logger.error({ err: errorSummary(e2) }, "could not tell the user about the failure"),
    );
  }
}
