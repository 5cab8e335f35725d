/**
 * How the bot talks to Slack's Web API: the base URL (SLACK_API_URL points every call, and
 * apps.connections.open, at another host: the fake Slack in tests) and the retry policy. One place, so that
 * Bolt's client and the bot's own (the approver-group lookups) behave alike.
 */
import type { WebClientOptions } from "@slack/web-api";
import type { Config } from "../config.ts";

export function slackClientOptions(config: Config): WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: withApiSuffix(config.SLACK_API_URL) } : {}),
    // Network errors and 5xx: a few quick retries; 429s wait for Retry-After (the client does that itself).
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 3000, randomize: true },
    timeout: 10_000,
  };
}

/** WebClient expects the base URL to end with "/api/"; accept "http://host:port" and ".../api" too. */
export function withApiSuffix(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/api") ? `${trimmed}/` : `${trimmed}/api/`;
}
