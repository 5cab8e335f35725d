/**
 * A local fake of Slack's side for tests: the Web API (POST /api/<method>) and response_url receivers
 * (POST /hooks/<id>). Every call is recorded with its arguments and time; answers are configurable, including
 * 429 with Retry-After, HTTP errors and Slack `ok: false` errors.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The bearer token the client sent (tests assert it is the bot token; never logged). */
  token?: string;
}

export interface HookPost {
  id: string;
  body: Record<string, unknown> & { text?: string; blocks?: unknown[]; response_type?: string };
  at: number;
}

/** What a configured answer looks like: HTTP status, extra headers, JSON body. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type Handler = (args: Record<string, unknown>) => FakeReply | Promise<FakeReply>;

export interface FakeSlack {
  url: string;
  /** Base URL for SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  calls: RecordedCall[];
  hookPosts: HookPost[];
  callsTo(method: string): RecordedCall[];
  /** A fresh response_url; posts to it are recorded under `id`. */
  responseUrl(id?: string): string;
  postsTo(id: string): HookPost[];
  /** Replaces the answer of a Web API method. */
  on(method: string, handler: Handler): void;
  /** The next `times` calls of a method (or "hooks" for response_url posts) get this answer instead. */
  failNext(method: string, reply: FakeReply, times?: number): void;
  /** Scopes reported by auth.test in x-oauth-scopes. */
  scopes: string[];
  usergroupMembers: Record<string, string[]>;
  /** What apps.connections.open answers (Socket Mode tests set it to their ws:// URL). */
  socketUrl?: string;
  /**
   * A workspace that does not know the data_visualization block: any message carrying one is refused with
   * invalid_blocks (Web API: ok false; response_url: HTTP 400), as Slack refuses an unknown block.
   */
  rejectCharts: boolean;
  waitFor<T>(probe: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export const FAKE_TEAM = { id: "T0TEST", domain: "test-team", botUserId: "U0BOT", botId: "B0BOT" };

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const hookPosts: HookPost[] = [];
  const handlers = new Map<string, Handler>();
  const failures = new Map<string, FakeReply[]>();
  let hookSeq = 0;
  let tsSeq = 0;

  const defaults: Record<string, Handler> = {
    "auth.test": () => ({
      headers: { "x-oauth-scopes": fake.scopes.join(",") },
      body: {
        ok: true,
        url: `https://${FAKE_TEAM.domain}.slack.com/`,
        team: "Test Team",
        user: "alb-doctor",
        team_id: FAKE_TEAM.id,
        user_id: FAKE_TEAM.botUserId,
        bot_id: FAKE_TEAM.botId,
      },
    }),
    "chat.postMessage": (a) => {
      const ts = `${1_700_000_000 + ++tsSeq}.000100`;
      return { body: { ok: true, channel: a.channel, ts, message: { text: a.text, blocks: a.blocks, ts } } };
    },
    "chat.update": (a) => ({ body: { ok: true, channel: a.channel, ts: a.ts, text: a.text } }),
    "chat.postEphemeral": () => ({ body: { ok: true, message_ts: `${1_700_000_000 + ++tsSeq}.000200` } }),
    "conversations.info": (a) => ({
      body: { ok: true, channel: { id: a.channel, name: "incidents", is_member: true, is_private: false } },
    }),
    "usergroups.users.list": (a) => {
      const users = fake.usergroupMembers[String(a.usergroup)];
      return { body: users ? { ok: true, users } : { ok: false, error: "no_such_subteam" } };
    },
    "users.info": (a) => ({
      body: {
        ok: true,
        user: { id: a.user, name: `user-${a.user}`, real_name: `User ${a.user}`, is_bot: false },
      },
    }),
    "apps.connections.open": () =>
      fake.socketUrl
        ? { body: { ok: true, url: fake.socketUrl } }
        : { body: { ok: false, error: "not_configured" } },
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // The time a call reached Slack: taken before reading the body, whose size varies.
    const at = Date.now();
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path.startsWith("/hooks/")) {
      const id = decodeURIComponent(path.slice("/hooks/".length));
      const failure = takeFailure("hooks");
      const body = safeJson(raw);
      hookPosts.push({ id, body, at });
      if (failure) return send(res, failure);
      if (fake.rejectCharts && hasChart(body.blocks))
        return send(res, { status: 400, body: { ok: false, error: "invalid_blocks" } });
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("ok");
    }
    if (!path.startsWith("/api/"))
      return send(res, { status: 404, body: { ok: false, error: "unknown_path" } });
    const method = path.slice("/api/".length);
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "") || (args.token as string);
    calls.push({ method, args, at, token });
    const failure = takeFailure(method);
    if (failure) return send(res, failure);
    if (fake.rejectCharts && hasChart(args.blocks))
      return send(res, { body: { ok: false, error: "invalid_blocks" } });
    const handler = handlers.get(method) ?? defaults[method];
    if (!handler) return send(res, { body: { ok: false, error: "unknown_method" } });
    send(res, await handler(args));
  }

  function takeFailure(key: string): FakeReply | undefined {
    const queue = failures.get(key);
    return queue?.shift();
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeSlack = {
    url,
    apiUrl: `${url}/api/`,
    calls,
    hookPosts,
    scopes: ["commands", "chat:write", "channels:history", "groups:history", "usergroups:read", "users:read"],
    usergroupMembers: {},
    rejectCharts: false,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id) => `${url}/hooks/${encodeURIComponent(id ?? `r${++hookSeq}`)}`,
    postsTo: (id) => hookPosts.filter((p) => p.id === id),
    on: (method, handler) => void handlers.set(method, handler),
    failNext(method, reply, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(reply);
      failures.set(method, queue);
    },
    waitFor: (probe, timeoutMs = 5000, what = "condition") => waitFor(probe, timeoutMs, what),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}

/** Polls `probe` until it returns something truthy; fails with `what` after the timeout. */
export async function waitFor<T>(
  probe: () => T | undefined | false | null,
  timeoutMs = 5000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function hasChart(blocks: unknown): boolean {
  return (
    Array.isArray(blocks) && blocks.some((b) => (b as { type?: unknown })?.type === "data_visualization")
  );
}

function send(res: ServerResponse, reply: FakeReply) {
  const body = reply.body ?? { ok: true };
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function safeJson(raw: string): HookPost["body"] {
  try {
    return JSON.parse(raw);
  } catch {
    return { raw };
  }
}

/** The Web API client sends form-encoded bodies with objects as JSON strings; JSON bodies are accepted too. */
function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/json")) return raw ? JSON.parse(raw) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
  }
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
