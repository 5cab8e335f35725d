/**
 * Fuzzing the Slack endpoint of the real Bolt app: a seeded PRNG builds random bodies (random bytes, random
 * JSON values, random form fields, and valid slash commands, button clicks and events with fields mutated
 * or replaced), each validly signed, a bounded number in a bounded time. Every request gets an answer, no
 * rejection goes unhandled, /healthz answers and a valid command works afterwards; the same junk unsigned
 * gets 401. A failure prints the seed and the body to replay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION } from "../../src/slack/action-ids.ts";
import {
  signedRequest,
  slashBody,
  startTestApp,
  TEST_SIGNING_SECRET,
  type TestApp,
} from "../helpers/slack-harness.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed12);
/** Bodies no listener acks wait for Bolt's 2.9 s ack timeout: many are sent at once to keep the test short. */
const SIGNED = 300;
const UNSIGNED = 100;
const FORM = "application/x-www-form-urlencoded";

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const WORDS = [
  "",
  "null",
  "help",
  "check",
  "status",
  "<!channel>",
  "\u202e",
  "%00",
  "../",
  "💥",
  "a".repeat(300),
];

function randomString(r: Rng): string {
  if (r.next() < 0.4) return r.pick(WORDS);
  return Array.from({ length: r.int(20) }, () =>
    String.fromCharCode(r.int(r.next() < 0.8 ? 128 : 0xffff)),
  ).join("");
}

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 2 ? 5 : 7);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.next() < 0.5;
    case 2:
      return r.pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return randomString(r);
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(5) }, () => [
          r.pick([
            "type",
            "event",
            "actions",
            "user",
            "channel",
            "payload",
            "ssl_check",
            "challenge",
            randomString(r),
          ]),
          randomJson(r, depth + 1),
        ]),
      );
  }
}

/** Valid Slack bodies with one or more fields replaced by random values. */
function mutated(r: Rng, hook: string): { body: string; type: string } {
  const base = (): Record<string, unknown> =>
    r.pick([
      () => ({
        type: "block_actions",
        user: { id: "U0ALICE" },
        channel: { id: "C0INCIDENT" },
        trigger_id: `${r.int(1e9)}.t`,
        response_url: hook,
        message: { ts: "1700000000.000100" },
        actions: [{ type: "button", action_id: r.pick(Object.values(ACTION)), value: randomString(r) }],
      }),
      () => ({
        type: "event_callback",
        team_id: "T0TEST",
        event_id: `Ev${r.int(1e9)}`,
        authorizations: [{ team_id: "T0TEST", user_id: "U0BOT" }],
        event: { type: "message", channel: "C0INCIDENT", text: randomString(r), ts: "1700000000.000200" },
      }),
      () => ({ type: "url_verification", challenge: randomString(r) }),
      () => ({ type: r.pick(["view_submission", "shortcut", "message_action", "block_suggestion"]) }),
    ])();
  const obj = base();
  for (let i = r.int(3); i >= 0; i--) {
    const keys = Object.keys(obj);
    const key = r.next() < 0.8 ? r.pick(keys) : randomString(r);
    if (r.next() < 0.3) delete obj[key];
    else obj[key] = randomJson(r);
  }
  if (obj.type === "block_actions" || r.next() < 0.5) {
    return { body: new URLSearchParams({ payload: JSON.stringify(obj) }).toString(), type: FORM };
  }
  return { body: JSON.stringify(obj), type: "application/json" };
}

function randomBody(r: Rng, hook: string): { body: string; type: string } {
  switch (r.int(6)) {
    case 0:
      return {
        body: Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256))).toString("latin1"),
        type: r.pick([FORM, "application/json", "text/plain", ""]),
      };
    case 1:
      return { body: JSON.stringify(randomJson(r)), type: r.pick([FORM, "application/json"]) };
    case 2: {
      const fields = Array.from({ length: r.int(4) }, () => [
        r.pick(["payload", "command", "text", "ssl_check", randomString(r)]),
        r.next() < 0.5 ? JSON.stringify(randomJson(r)) : randomString(r),
      ]);
      return { body: new URLSearchParams(fields as [string, string][]).toString(), type: FORM };
    }
    case 3: {
      const fields = new URLSearchParams(slashBody({ text: randomString(r), response_url: hook }));
      for (const k of [...fields.keys()]) if (r.next() < 0.2) fields.delete(k);
      if (r.next() < 0.3) fields.set("command", r.pick(["/alb", "/other", ""]));
      return { body: fields.toString(), type: FORM };
    }
    default:
      return mutated(r, hook);
  }
}

let t: TestApp;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  t = await startTestApp();
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await t?.close();
});

/** A signed post that must be answered within a few seconds (Bolt acks on its own at 2.9 s at the latest). */
async function post(body: string, type: string): Promise<{ status: number }> {
  const headers = { "content-type": type, ...signedRequest(body, TEST_SIGNING_SECRET) };
  const res = await fetch(t.eventsUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(8000) });
  await res.arrayBuffer();
  return { status: res.status };
}

async function inParallel<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

describe(`fuzzing /slack/events (seed ${SEED})`, { timeout: 90_000 }, () => {
  it(`answers ${SIGNED} random signed bodies and keeps serving`, async () => {
    const r = prng(SEED);
    const hook = t.fake.responseUrl("fuzz");
    const bodies = Array.from({ length: SIGNED }, () => randomBody(r, hook));
    const statuses = new Map<number, number>();
    await inParallel(bodies, 32, async ({ body, type }) => {
      const res = await post(body, type).catch((e: unknown) => {
        throw new Error(`no answer (seed ${SEED}) to ${type} ${JSON.stringify(body).slice(0, 300)}`, {
          cause: e,
        });
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (![200, 400, 401, 404, 500].includes(res.status))
        throw new Error(
          `status ${res.status} (seed ${SEED}) for ${type} ${JSON.stringify(body).slice(0, 300)}`,
        );
    });
    // The generators reach both sides of the guard.
    expect(statuses.get(400)).toBeGreaterThan(20);
    expect(statuses.get(200)).toBeGreaterThan(20);
    // Let the listeners' work settle (refusals posted to the fake response_url) before looking for rejections.
    await t.fake.waitFor(() => t.slack.deps.work.size === 0, 15_000, "the listeners' work to settle");
    expect(rejections).toEqual([]);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const help = await t.slash("help");
    expect(help.status).toBe(200);
    expect(help.text).toContain("/alb");
  });

  it(`refuses ${UNSIGNED} random unsigned or wrongly signed bodies with 401`, async () => {
    const r = prng(SEED + 1);
    const hook = t.fake.responseUrl("fuzz");
    for (let i = 0; i < UNSIGNED; i++) {
      const { body, type } = randomBody(r, hook);
      const headers: Record<string, string> = { "content-type": type };
      if (i % 2) {
        headers["x-slack-signature"] = `v0=${"0".repeat(64)}`;
        headers["x-slack-request-timestamp"] = String(Math.floor(Date.now() / 1000));
      }
      const res = await fetch(t.eventsUrl, { method: "POST", headers, body });
      // Slack's unsigned SSL check is the one body allowed through (Bolt answers it with 200).
      const sslCheck = type === FORM && new URLSearchParams(body).get("ssl_check") === "1";
      expect(res.status, `seed ${SEED + 1}, body ${JSON.stringify(body).slice(0, 200)}`).toBe(
        sslCheck ? 200 : 401,
      );
    }
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
