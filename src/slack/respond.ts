/**
 * Replies to a slash command or an action through its response_url, within Slack's rules: a response_url
 * takes at most 5 messages within 30 minutes. Each post is retried on 429 (after Retry-After, bounded),
 * 5xx and network errors; when the URL is used up, expired or keeps failing, the reply falls back to the
 * Web API (chat.postEphemeral / chat.postMessage). Every failure is logged; the last one is thrown.
 */
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { AlbDoctorError } from "../domain/errors.ts";
import type { ReplyMessage } from "./message.ts";
import type { Respond } from "./subcommand.ts";

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface RetryPolicy {
  /** Attempts per post, the first one included. */
  attempts: number;
  /** First backoff after a 5xx or network error; doubles each time. */
  baseDelayMs: number;
  /** Longest wait honoured for a 429 Retry-After (longer waits give up this path). */
  maxRetryAfterMs: number;
  /** Per-attempt deadline. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  maxRetryAfterMs: 15_000,
  timeoutMs: 10_000,
};

export interface ReplyTarget {
  response_url?: string;
  channel_id: string;
  user_id: string;
}

export interface ResponderOptions {
  client: WebClient;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type Responder = Respond & { readonly uses: number };

export function createResponder(target: ReplyTarget, options: ResponderOptions): Responder {
  const now = options.now ?? Date.now;
  const createdAt = now();
  let uses = 0;
  const respond = async (message: ReplyMessage) => {
    const url = target.response_url;
    const usable = url && uses < RESPONSE_URL_MAX_USES && now() - createdAt < RESPONSE_URL_TTL_MS;
    if (usable) {
      uses++;
      try {
        await postToResponseUrl(url, message, { ...options, retry: { ...DEFAULT_RETRY, ...options.retry } });
        return;
      } catch (e) {
        options.logger.warn({ err: errorSummary(e) }, "response_url failed, falling back to the Web API");
      }
    }
    await postWithWebApi(target, message, options);
  };
  Object.defineProperty(respond, "uses", { get: () => uses });
  return respond as Responder;
}

async function postToResponseUrl(
  url: string,
  message: ReplyMessage,
  options: ResponderOptions & { retry: RetryPolicy },
): Promise<void> {
  const { retry, logger } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    let wait = retry.baseDelayMs * 2 ** (attempt - 1);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      const body = await res.text();
      if (res.ok) return;
      last = new AlbDoctorError("internal", `response_url answered ${res.status} ${body.slice(0, 100)}`);
      if (res.status === 429) {
        const after = Number(res.headers.get("retry-after") ?? "1") * 1000;
        if (!Number.isFinite(after) || after > retry.maxRetryAfterMs) throw last;
        wait = Math.max(after, 0);
      } else if (res.status < 500) {
        throw last; // 404 expired_url / used_url, 400 invalid_blocks: retrying cannot help
      }
    } catch (e) {
      if (e === last) throw e;
      last = e; // network error or timeout
    }
    logger.warn({ attempt, waitMs: wait, err: errorSummary(last) }, "response_url post failed, retrying");
    if (attempt < retry.attempts) await sleep(wait);
  }
  throw last;
}

async function postWithWebApi(target: ReplyTarget, message: ReplyMessage, options: ResponderOptions) {
  if (message.delete_original) return; // nothing to delete without a usable response_url
  const { text, blocks } = message;
  try {
    if (message.response_type === "in_channel") {
      await options.client.chat.postMessage({
        channel: target.channel_id,
        text,
        ...(blocks ? { blocks } : {}),
      });
    } else {
      await options.client.chat.postEphemeral({
        channel: target.channel_id,
        user: target.user_id,
        text,
        ...(blocks ? { blocks } : {}),
      });
    }
  } catch (e) {
    options.logger.error({ err: errorSummary(e) }, "could not deliver a reply through the Web API either");
    throw new AlbDoctorError("internal", "could not deliver the reply to Slack", { cause: e });
  }
}

/** A loggable summary of an error without request bodies or headers (which may carry tokens). */
export function errorSummary(e: unknown): { message: string; code?: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { message: e.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { message: String(e) };
}
