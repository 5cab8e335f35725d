/** The `/alb status` message: what the bot can reach. Pure. */
import type { ReplyMessage } from "../message.ts";
import { ephemeral } from "../message.ts";
import { escapeMrkdwn, LIMITS, section, truncate } from "./limits.ts";

export interface BotStatus {
  mode: "http" | "socket";
  aws: { region: string; ok: boolean; account?: string; arn?: string; error?: string; endpoint?: string };
  store: { kind: string; ok: boolean; error?: string };
  slack: {
    ok: boolean;
    team?: string;
    botUser?: string;
    scopes: string[];
    missingScopes: string[];
    error?: string;
  };
  approvers: string;
}

export const REQUIRED_SCOPES = ["commands", "chat:write"];

export function renderStatus(s: BotStatus): ReplyMessage {
  const mark = (ok: boolean) => (ok ? ":white_check_mark:" : ":x:");
  const aws = s.aws.ok
    ? `${mark(true)} *AWS*: account \`${s.aws.account ?? "?"}\` as \`${escapeMrkdwn(s.aws.arn ?? "?")}\`, region \`${s.aws.region}\``
    : `${mark(false)} *AWS*: not reachable in \`${s.aws.region}\`: ${escapeMrkdwn(s.aws.error ?? "unknown error")}`;
  const endpoint = s.aws.endpoint ? ` (endpoint \`${escapeMrkdwn(s.aws.endpoint)}\`)` : "";
  const store = s.store.ok
    ? `${mark(true)} *Store*: ${s.store.kind}${s.store.kind === "memory" ? " (approvals do not survive a restart)" : ""}`
    : `${mark(false)} *Store*: ${s.store.kind} unreachable: ${escapeMrkdwn(s.store.error ?? "unknown error")}`;
  const scopes = s.slack.scopes.length ? s.slack.scopes.map((x) => `\`${x}\``).join(" ") : "none reported";
  const slack = s.slack.ok
    ? `${mark(s.slack.missingScopes.length === 0)} *Slack*: ${escapeMrkdwn(s.slack.team ?? "?")} as ${escapeMrkdwn(s.slack.botUser ?? "?")} (${s.mode === "socket" ? "Socket Mode" : "HTTP"}), scopes ${scopes}${
        s.slack.missingScopes.length
          ? `\nMissing: ${s.slack.missingScopes.map((x) => `\`${x}\``).join(" ")}`
          : ""
      }`
    : `${mark(false)} *Slack*: auth.test failed: ${escapeMrkdwn(s.slack.error ?? "unknown error")}`;
  const text = [aws + endpoint, store, slack, `*Approvers*: ${escapeMrkdwn(s.approvers)}`].join("\n");
  return ephemeral(truncate(text, LIMITS.fallbackText), [section(text)]);
}
