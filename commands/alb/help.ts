import { renderHelp } from "../../src/slack/blocks/help.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";

/** `/alb help` over the given subcommands: answered in the ack itself, nothing to do afterwards. */
export function helpFor(all: () => Subcommand[]): Subcommand {
  return {
    name: "help",
    usage: "help",
    summary: "show this help",
    ack: () => renderHelp(all()),
    run: async () => {},
  };
}
