import type { Subcommand } from "../src/slack/subcommand.ts";
import { check } from "./alb/check.ts";
import { help } from "./alb/help.ts";
import { status } from "./alb/status.ts";

/**
 * The `/alb` subcommands, in the order help lists them. Each surface adds one line.
 * help reads this list too (lazily, to avoid an import cycle).
 */
export const albSubcommands: Subcommand[] = [
  check,
  status,
  help,
  // more subcommands add themselves here, one line each
];
