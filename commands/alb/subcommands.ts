import { renderHelp } from "../../src/slack/blocks/help.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";
import { check } from "./check.ts";
import { fix } from "./fix.ts";
import { helpFor } from "./help.ts";
import { history } from "./history.ts";
import { status } from "./status.ts";
import { unwatch, watch } from "./watch.ts";

/**
 * The `/alb` subcommands, in the order help lists them. Each surface adds one line. Help is given the list
 * (lazily: it is part of it) rather than importing it, so the modules do not import each other.
 */
export const albSubcommands: Subcommand[] = [
  check,
  status,
  watch,
  unwatch,
  fix,
  history,
  helpFor(() => albSubcommands),
  // more subcommands add themselves here, one line each
];

/** The help message, also for a bare `/alb` and unknown subcommands. */
export function helpMessage(note?: string) {
  return renderHelp(albSubcommands, note);
}
