import type { App } from "@slack/bolt";
import { ackFor, parseAlb, runParsed } from "../../src/slack/dispatch.ts";
import type { AppDeps } from "../../src/slack/deps.ts";
import { albSubcommands, helpMessage } from "./subcommands.ts";

/** `/alb`: ack at once (with help, an input error or "Checking…"), then run the subcommand. */
export function register(app: App, deps: AppDeps): void {
  app.command("/alb", async ({ command, ack, client, context }) => {
    const parsed = parseAlb(command.text, albSubcommands);
    await ack(ackFor(parsed, deps, helpMessage) as Parameters<typeof ack>[0]);
    await runParsed(parsed, command, client, deps, context.retryNum);
  });
}
