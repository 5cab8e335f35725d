/** How a failure reads in Slack: what went wrong and, where known, what exists or what to do. Pure. */
import { isAlbDoctorError } from "../../domain/errors.ts";
import type { ReplyMessage } from "../message.ts";
import { ephemeral } from "../message.ts";
import { escapeMrkdwn, foldLines, LIMITS, section, truncate } from "./limits.ts";

const HINTS: Partial<Record<string, string>> = {
  "access-denied":
    "The bot's AWS role lacks a permission; see docs/iam-policy.json for the diagnosis policy.",
  throttled: "AWS throttled the requests; try again in a minute.",
  timeout: "AWS did not answer in time; try again, or a shorter window.",
  "store-unavailable": "The bot's store (Redis) is unreachable; approvals are paused until it is back.",
  "wrong-region": "Run the bot in the load balancer's region, or use its name in this region.",
  "wrong-account": "The bot's AWS credentials belong to another account.",
};

/** An ephemeral message for any error; `what` says what was being done ("checking my-alb"). */
export function renderError(error: unknown, what: string, requestId?: string): ReplyMessage {
  if (!isAlbDoctorError(error)) {
    const ref = requestId ? ` (reference \`${requestId}\` in the bot's logs)` : "";
    return ephemeral(`:x: Something went wrong while ${what}${ref}. Please try again.`);
  }
  const lines = [`:x: ${escapeMrkdwn(error.message)}`];
  const suggestions = stringList(error.details?.suggestions);
  const available = error.code === "not-found" ? stringList(error.details?.available) : [];
  if (suggestions.length) lines.push(`Load balancers with similar names:\n${nameList(suggestions)}`);
  else if (available.length) lines.push(`Load balancers here:\n${nameList(available)}`);
  const hint = HINTS[error.code];
  if (hint) lines.push(`_${hint}_`);
  if (error.code === "usage" || error.code === "malformed-arn" || error.code === "not-found")
    lines.push(
      "Usage: `/alb check REF [window]`, REF = name, ARN, `app/NAME/ID` or DNS name; window = 30m, 1h, 1d.",
    );
  const text = truncate(lines.join("\n"), LIMITS.sectionText);
  return ephemeral(text, [section(text)]);
}

/** Load balancer names as a bullet list, at most 10 and 1500 characters. */
function nameList(names: string[]): string {
  return foldLines(
    names.map((s) => `• \`${escapeMrkdwn(s)}\``),
    1500,
    10,
  );
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
