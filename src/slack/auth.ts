/**
 * The bot's Slack identity (auth.test), kept apart from Bolt: Bolt's own start-up auth.test is a promise
 * nobody awaits, so a wrong token or an unreachable Slack ended the process two seconds after "listening"
 * (a crash loop under `restart: unless-stopped`). Here auth.test is retried with capped exponential backoff
 * for as long as the bot runs, every failure is logged as an error naming the variable to check, /readyz
 * reports the reason, and Bolt's `authorize` hook answers from the cached identity.
 */
import type { AuthorizeResult } from "@slack/bolt";
import type { Logger } from "pino";

export interface AuthTestResult {
  ok?: boolean;
  user_id?: string;
  bot_id?: string;
  team_id?: string;
  user?: string;
}

export interface SlackAuthOptions {
  token: string;
  /** auth.test with the given token (the app's WebClient). */
  authTest: (token: string) => Promise<AuthTestResult>;
  logger: Logger;
  /** First retry delay; doubles up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export type SlackAuthState =
  | { ok: true; botUserId: string; botId?: string; teamId?: string; attempts: number }
  | { ok: false; reason: string; attempts: number };

/** Slack error codes that mean the token itself is wrong (as opposed to Slack being unreachable). */
const TOKEN_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "not_allowed_token_type",
]);

export class SlackAuth {
  private current: SlackAuthState = { ok: false, reason: "auth.test not tried yet", attempts: 0 };
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<SlackAuthState> | undefined;
  private stopped = false;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly o: SlackAuthOptions) {
    this.minDelayMs = o.minDelayMs ?? 1000;
    this.maxDelayMs = o.maxDelayMs ?? 60_000;
  }

  get state(): SlackAuthState {
    return this.current;
  }

  /** Starts trying (in the background, never throwing) until auth.test succeeds or stop() is called. */
  start(): void {
    this.stopped = false;
    void this.loop(this.minDelayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Bolt's authorize hook: the cached identity, or one more (shared) attempt before refusing the event. */
  authorize = async (): Promise<AuthorizeResult> => {
    const s = this.current.ok ? this.current : await this.tryOnce();
    if (!s.ok) throw new Error(`the bot is not authenticated with Slack: ${s.reason}`);
    return { botToken: this.o.token, botUserId: s.botUserId, botId: s.botId };
  };

  private async loop(delayMs: number): Promise<void> {
    const s = await this.tryOnce();
    if (s.ok || this.stopped) return;
    this.o.logger.error(
      { attempt: s.attempts, retryInMs: delayMs, reason: s.reason },
      `Slack ${s.reason}; retrying in ${Math.round(delayMs / 1000)} s`,
    );
    this.timer = setTimeout(() => void this.loop(Math.min(delayMs * 2, this.maxDelayMs)), delayMs);
    this.timer.unref();
  }

  /** One auth.test; concurrent callers share it. */
  private tryOnce(): Promise<SlackAuthState> {
    this.attempt ??= (async (): Promise<SlackAuthState> => {
      const attempts = this.current.attempts + 1;
      try {
        const r = await this.o.authTest(this.o.token);
        if (!r.user_id) throw Object.assign(new Error("no user_id"), { data: { error: "no_user_id" } });
        const wasDown = this.current.attempts > 0;
        this.current = { ok: true, botUserId: r.user_id, botId: r.bot_id, teamId: r.team_id, attempts };
        this.o.logger.info(
          { botUserId: r.user_id, team: r.team_id, attempts },
          wasDown && attempts > 1 ? "Slack auth.test succeeded after retries" : "Slack auth.test succeeded",
        );
      } catch (e) {
        this.current = { ok: false, reason: authFailure(e), attempts };
      }
      return this.current;
    })().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }
}

/**
 * Why auth.test failed, in words that name what to check. Built from Slack's error code or the network
 * error's code only (never the raw message, which may carry the URL), so /readyz may show it.
 */
export function authFailure(e: unknown): string {
  const err = e as {
    code?: unknown;
    data?: { error?: unknown };
    original?: { code?: unknown; cause?: { code?: unknown } };
    statusCode?: unknown;
  };
  const slackError = safeWord(err?.data?.error);
  if (slackError) {
    const hint = TOKEN_ERRORS.has(slackError)
      ? "check SLACK_BOT_TOKEN (a bot token of this app, starting xoxb-)"
      : "check SLACK_BOT_TOKEN and SLACK_API_URL";
    return `auth.test failed: ${slackError}: ${hint}`;
  }
  if (typeof err?.statusCode === "number")
    return `auth.test failed: HTTP ${err.statusCode}: check SLACK_API_URL (or unset it to use slack.com)`;
  // The Web API client wraps fetch's TypeError, whose cause carries the socket error's code.
  const network = safeWord(err?.original?.cause?.code) ?? safeWord(err?.original?.code);
  return `auth.test failed: Slack unreachable${network ? ` (${network})` : ""}: check SLACK_API_URL and the network`;
}

function safeWord(v: unknown): string | undefined {
  return typeof v === "string" && /^[A-Za-z0-9_.-]{1,60}$/.test(v) ? v : undefined;
}
