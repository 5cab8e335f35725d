/**
 * Assembles the Slack bot from its parts: the one approval flow (with its own Web API client for the
 * approver-group lookups), the Bolt app, and the surfaces of commands/. The entry point (src/main.ts) and the
 * test harness both build the bot here, so the app under test is wired exactly as the one in production.
 */
import { WebClient } from "@slack/web-api";
import { registerAll } from "../commands/index.ts";
import { createAccounts } from "./accounts/index.ts";
import { approvalFlowFromConfig } from "./approvals/from-config.ts";
import { createSlackApp, type SlackApp } from "./slack/app.ts";
import type { AppDeps } from "./slack/deps.ts";
import { slackClientOptions } from "./slack/web-client.ts";

export type BotParts = Omit<AppDeps, "approvals" | "work">;

export function assembleBot(parts: BotParts): SlackApp {
  const accounts = parts.accounts ?? createAccounts({ file: parts.config.ACCOUNTS_FILE, aws: parts.aws });
  // A bad accounts file stops the start, naming the key (later edits are re-read per request).
  accounts.map();
  const web = new WebClient(parts.config.SLACK_BOT_TOKEN, slackClientOptions(parts.config));
  const approvals = approvalFlowFromConfig({
    ...parts,
    accounts,
    listUsergroupMembers: async (usergroup) => (await web.usergroups.users.list({ usergroup })).users ?? [],
  });
  return createSlackApp({ ...parts, accounts, approvals }, registerAll);
}
