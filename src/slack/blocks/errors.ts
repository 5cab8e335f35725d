/** How a failure reads in Slack: what went wrong and, where known, what exists or what to do. Pure. */
import { isAlbDoctorError } from "../../domain/errors.ts";
import type { ReplyMessage } from "../message.ts";
import { ephemeral } from "../message.ts";
import { escapeMrkdwn, foldLines, LIMITS, truncate } from "./limits.ts";

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
  if (suggestions.length) {
    lines.push(
      `Load balancers with similar names:\n${foldLines(
        suggestions.map((s) => `• \`${escapeMrkdwn(s)}\``),
        1500,
        10,
      )}`,
    );
  } else if (error.code === "not-found") {
    const available = stringList(error.details?.available);
    if (available.length)
      lines.push(
        `Load balancers here:\n${foldLines(
          available.map((s) => `• \`${escapeMrkdwn(s)}\``),
          1500,
          10,
        )}`,
      );
  }
  const hint = HINTS[error.code];
  if (hint) lines.push(`_${hint}_`);
  if (error.code === "usage" || error.code === "malformed-arn" || error.code === "not-found")
    lines.push(
      "Usage: `/alb check REF [window]`, REF = name, ARN, `app/NAME/ID` or DNS name; window = 30m, 1h, 1d.",
    );
  return ephemeral(truncate(lines.join("\n"), LIMITS.sectionText), [
    { type: "section", text: { type: "mrkdwn", text: truncate(lines.join("\n"), LIMITS.sectionText) } },
  ]);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
