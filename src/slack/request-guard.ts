/**
 * The gate in front of Bolt's HTTP receiver on /slack/events. Bolt parses a request body inside a promise
 * nobody awaits, so a validly signed `payload=null` or JSON `null` made its `body.ssl_check` throw an
 * unhandled rejection and end the process. This gate reads the body itself (bounded), checks the signature
 * and Slack's 5-minute timestamp window in both directions (Bolt only refuses stale ones), and parses the
 * body exactly as Bolt will; only a body that parses to a JSON object reaches Bolt, which then finds it
 * already buffered. Every refusal is one log line and a bodyless 400, 401 or 413.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { Logger } from "pino";

/** Slack's replay window: a request dated further from now than this, either way, is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Slack's payloads are a few kilobytes; a large report's interaction stays well under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

const FORM = "application/x-www-form-urlencoded";

export interface RequestGuardOptions {
  signingSecret: string;
  /** The paths Bolt answers Slack on (POST only); every other request goes straight to Bolt. */
  endpoints: string[];
  logger: Logger;
  maxBodyBytes?: number;
  /** Seconds since the epoch (tests move the clock). */
  nowSeconds?: () => number;
}

type Verdict = { ok: true } | { ok: false; status: 400 | 401; why: string };

/** Wraps Bolt's request listener; install with `receiver.requestListener = guardRequests(...)`. */
export function guardRequests(inner: RequestListener, o: RequestGuardOptions): RequestListener {
  const limit = o.maxBodyBytes ?? MAX_BODY_BYTES;
  const now = o.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const refuse = (res: ServerResponse, status: number, why: string, req: IncomingMessage) => {
    o.logger.warn({ status, path: pathOf(req), why }, "refused a request on the Slack endpoint");
    if (!res.headersSent) res.writeHead(status, { connection: "close" });
    res.end();
  };
  return (req, res) => {
    if (req.method?.toUpperCase() !== "POST" || !o.endpoints.includes(pathOf(req))) return inner(req, res);
    readBody(req, limit).then(
      (raw) => {
        if (raw === undefined) return refuse(res, 413, `body larger than ${limit} bytes`, req);
        const verdict = check(req, raw, o.signingSecret, now());
        if (!verdict.ok) return refuse(res, verdict.status, verdict.why, req);
        // Bolt's bufferIncomingMessage uses a rawBody that is already there instead of reading the stream.
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        try {
          inner(req, res);
        } catch (e) {
          o.logger.error({ err: e }, "the Slack receiver failed on a checked request");
          if (!res.headersSent) res.writeHead(500);
          res.end();
        }
      },
      (e: unknown) => refuse(res, 400, `unreadable body: ${(e as Error)?.message ?? String(e)}`, req),
    );
  };
}

/** Signature, timestamp window, then the body's shape. Exported for the unit tests. */
export function check(req: IncomingMessage, raw: Buffer, secret: string, nowSec: number): Verdict {
  const text = raw.toString("utf8");
  const contentType = req.headers["content-type"];
  // Slack's unsigned SSL check: Bolt answers it after stripping anything else from the body.
  if (contentType === FORM && parseQuery(text).ssl_check === "1") return { ok: true };
  const signature = req.headers["x-slack-signature"];
  const stamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof stamp !== "string")
    return { ok: false, status: 401, why: "missing signature headers" };
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, status: 401, why: "malformed timestamp" };
  const skew = Number(stamp) - nowSec;
  if (Math.abs(skew) > MAX_SKEW_SECONDS)
    return {
      ok: false,
      status: 401,
      why: `timestamp ${skew > 0 ? "in the future" : "stale"} by ${Math.abs(skew)} s`,
    };
  if (!validSignature(secret, stamp, text, signature))
    return { ok: false, status: 401, why: "signature mismatch" };
  const shape = bodyShape(text, contentType);
  return shape === undefined ? { ok: true } : { ok: false, status: 400, why: shape };
}

function validSignature(secret: string, stamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${stamp}:${body}`).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Why the body is not something Bolt can dispatch, or undefined when it is. Mirrors Bolt's
 * parseHTTPRequestBody: an exact form content type means query fields, with `payload` holding JSON;
 * any other content type means the whole body is JSON.
 */
export function bodyShape(text: string, contentType: string | undefined): string | undefined {
  if (contentType === FORM) {
    const fields = parseQuery(text);
    const payload = fields.payload;
    if (payload === undefined) return undefined; // a slash command: plain fields
    if (typeof payload !== "string") return "more than one payload field";
    return jsonObject(payload, "payload");
  }
  return jsonObject(text, "body");
}

function jsonObject(text: string, what: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `${what} is not JSON`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return `${what} is JSON ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}, not an object`;
  return undefined;
}

/** The body, or undefined once it passes `limit` (the rest is then discarded, not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return resolve(undefined);
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/** The path as Bolt routes it (URL-normalized: "/slack/./events" is "/slack/events"), or "" if unparsable. */
function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "";
  }
}
