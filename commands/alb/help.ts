import { renderHelp } from "../../src/slack/blocks/help.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";
import { albSubcommands } from "../alb-subcommands.ts";

/** `/alb help`: answered in the ack itself, nothing to do afterwards. */
export const help: Subcommand = {
  name: "help",
  usage: "help",
  summary: "show this help",
  ack: () => helpMessage(),
  run: async () => {},
};

/** Also used by the dispatcher for a bare `/alb` and unknown subcommands. */
export function helpMessage(note?: string) {
  return renderHelp(albSubcommands, note);
}
