/** The `/alb help` message: the grammar of every registered subcommand. Pure. */
import type { ReplyMessage } from "../message.ts";
import { ephemeral } from "../message.ts";
import { context, LIMITS, section, truncate } from "./limits.ts";

export interface HelpEntry {
  usage: string;
  summary: string;
}

export function renderHelp(entries: HelpEntry[], note?: string): ReplyMessage {
  const lines = entries.map((e) => `\`/alb ${e.usage}\` - ${e.summary}`);
  const intro =
    "*alb-doctor* finds out why an Application Load Balancer answers 502/504, and fixes the cause safely.";
  const text = [note, intro, ...lines].filter(Boolean).join("\n");
  return ephemeral(truncate(text, LIMITS.fallbackText), [
    ...(note ? [section(note)] : []),
    section(intro),
    section(lines.join("\n")),
    context("REF: a load balancer name, ARN, `app/NAME/ID` or DNS name. window: 30m, 1h, 1d."),
  ]);
}
