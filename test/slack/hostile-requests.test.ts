/**
 * Requests no single one of which may end the bot: validly signed bodies Bolt cannot dispatch (`payload=null`,
 * JSON `null`, arrays, scalars, broken JSON, duplicate payloads, bad percent-encoding, oversized bodies) get
 * 400/413 from the request guard; signatures dated outside Slack's 5-minute window, either way, get 401;
 * afterwards /healthz still answers and a valid command still works. The real Bolt app over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyShape } from "../../src/slack/request-guard.ts";
import { postSigned, startTestApp, type TestApp } from "../helpers/slack-harness.ts";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

let t: TestApp;
const rejections: unknown[] = [];
const onRejection = (r: unknown) => rejections.push(r);

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  t = await startTestApp();
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await t?.close();
});

async function stillServing(): Promise<void> {
  const health = await fetch(`${t.url}/healthz`);
  expect(health.status).toBe(200);
  const help = await t.slash("help");
  expect(help.status).toBe(200);
  expect(help.text).toContain("/alb");
}

describe("malformed bodies with valid signatures", () => {
  const cases: [string, string, string, number][] = [
    ["form payload=null", "payload=null", FORM, 400],
    ["form payload=1", "payload=1", FORM, 400],
    ["form payload=string", 'payload="x"', FORM, 400],
    ["form payload=array", "payload=%5B%5D", FORM, 400],
    ["form payload empty", "payload=", FORM, 400],
    ["form payload not JSON", "payload=%7Bnope", FORM, 400],
    ["form payload twice", "payload=%7B%7D&payload=%7B%7D", FORM, 400],
    ["form bad percent-encoding", "payload=%ZZ%E0%A4%A", FORM, 400],
    ["JSON null", "null", JSON_TYPE, 400],
    ["JSON array", "[1,2]", JSON_TYPE, 400],
    ["JSON string", '"hello"', JSON_TYPE, 400],
    ["JSON number", "42", JSON_TYPE, 400],
    ["JSON true", "true", JSON_TYPE, 400],
    ["broken JSON", '{"type":', JSON_TYPE, 400],
    ["empty body", "", JSON_TYPE, 400],
    ["JSON with a form-ish content type", "null", `${FORM}; charset=utf-8`, 400],
    ["no content type", "null", "", 400],
  ];

  it.each(cases)("%s: refused, and the bot keeps serving", async (_name, body, type, status) => {
    const r = await postSigned(t.eventsUrl, body, type);
    expect(r.status).toBe(status);
    await stillServing();
  });

  it("answers 413 to a body over the limit (declared or streamed) and keeps serving", async () => {
    const huge = "payload=" + "a".repeat(2 * 1024 * 1024);
    expect((await postSigned(t.eventsUrl, huge, FORM)).status).toBe(413);
    // Chunked, without a Content-Length: the guard stops buffering at the limit.
    const chunks = async function* () {
      for (let i = 0; i < 40; i++) yield new TextEncoder().encode("x".repeat(64 * 1024));
    };
    const res = await fetch(t.eventsUrl, {
      method: "POST",
      headers: { "content-type": JSON_TYPE, "x-slack-signature": "v0=00", "x-slack-request-timestamp": "1" },
      body: ReadableStream.from(chunks()),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    await stillServing();
  });

  it("lets Slack's unsigned SSL check through (Bolt answers it)", async () => {
    const res = await fetch(t.eventsUrl, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "ssl_check=1",
    });
    expect(res.status).toBe(200);
  });

  it("guards the path as Bolt routes it, not as written", async () => {
    const r = await postSigned(`${t.url}/slack/./events`, "null", JSON_TYPE);
    expect(r.status).toBe(400);
    await stillServing();
  });

  it("left no unhandled rejection behind", () => {
    expect(rejections).toEqual([]);
  });
});

describe("timestamps", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["10 minutes in the future", 600],
    ["a day in the future", 86_400],
    ["10 minutes old", -600],
  ])("refuses a validly signed request dated %s (401)", async (_name, offset) => {
    const r = await t.slash("help", { timestamp: now() + offset });
    expect(r.status).toBe(401);
  });

  it("accepts a request within the window (clock skew of a few minutes)", async () => {
    expect((await t.slash("help", { timestamp: now() + 200 })).status).toBe(200);
    expect((await t.slash("help", { timestamp: now() - 200 })).status).toBe(200);
  });

  it("refuses malformed timestamps and signatures", async () => {
    expect((await t.slash("help", { signature: "v0=deadbeef" })).status).toBe(401);
    const res = await fetch(t.eventsUrl, {
      method: "POST",
      headers: { "content-type": FORM, "x-slack-signature": "v0=00", "x-slack-request-timestamp": "1e3" },
      body: "text=help",
    });
    expect(res.status).toBe(401);
  });
});

describe("bodyShape", () => {
  it("accepts what Bolt can dispatch", () => {
    expect(bodyShape("command=%2Falb&text=help", FORM)).toBeUndefined();
    expect(bodyShape("payload=%7B%22type%22%3A%22block_actions%22%7D", FORM)).toBeUndefined();
    expect(bodyShape('{"type":"event_callback"}', JSON_TYPE)).toBeUndefined();
  });

  it("says why it refuses", () => {
    expect(bodyShape("payload=null", FORM)).toBe("payload is JSON null, not an object");
    expect(bodyShape("[]", JSON_TYPE)).toBe("body is JSON array, not an object");
    expect(bodyShape("{", JSON_TYPE)).toBe("body is not JSON");
  });
});
