import { escapeMrkdwn } from "../../src/slack/blocks/limits.ts";
import { renderError } from "../../src/slack/blocks/errors.ts";
import { parseCheckArgs } from "../../src/slack/check-args.ts";
import { runCheck } from "../../src/slack/check-flow.ts";
import { inChannel } from "../../src/slack/message.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";

/** `/alb check REF [window]`: wrong input is answered in the ack; otherwise "Checking…", then the report. */
export const check: Subcommand = {
  name: "check",
  usage: "check REF [window]",
  summary: "find why a load balancer answers 502/504 (window: 30m, 1h (default), 1d...)",
  ack(args, deps) {
    try {
      const { ref, window } = parseCheckArgs(args, deps.config.DEFAULT_WINDOW);
      return inChannel(`:mag: Checking *${escapeMrkdwn(ref)}* (last ${window})…`);
    } catch (e) {
      return renderError(e, "reading the command");
    }
  },
  async run({ args, command, respond, deps, logger, retryNum }) {
    let parsed;
    try {
      parsed = parseCheckArgs(args, deps.config.DEFAULT_WINDOW);
    } catch {
      return; // already answered in the ack
    }
    await runCheck({ args: parsed, command, respond, deps, logger, retryNum });
  },
};
