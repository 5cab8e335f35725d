import type { Subcommand } from "../src/slack/subcommand.ts";
import { check } from "./alb/check.ts";
import { fix } from "./alb/fix.ts";
import { help } from "./alb/help.ts";
import { history } from "./alb/history.ts";
import { status } from "./alb/status.ts";
import { unwatch, watch } from "./alb/watch.ts";

/**
 * The `/alb` subcommands, in the order help lists them. Each surface adds one line.
 * help reads this list too (lazily, to avoid an import cycle).
 */
export const albSubcommands: Subcommand[] = [
  check,
  status,
  watch,
  unwatch,
  fix,
  history,
  help,
  // more subcommands add themselves here, one line each
];
