/** The response_url responder (use cap, expiry, retries, Web API fallback) and the log redaction. */
import { Writable } from "node:stream";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/slack/logger.ts";
import { createResponder, RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from "../../src/slack/respond.ts";
import { startFakeSlack, type FakeSlack } from "../helpers/slack-harness.ts";

const quiet = createLogger("silent");

describe("responder", () => {
  let fake: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack();
    client = new WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => fake?.close());

  const target = (hook: string) => ({
    response_url: fake.responseUrl(hook),
    channel_id: "C1",
    user_id: "U1",
  });

  it("uses a response_url at most 5 times, then posts through the Web API", async () => {
    const respond = createResponder(target("cap"), { client, logger: quiet });
    for (let i = 0; i < RESPONSE_URL_MAX_USES + 2; i++)
      await respond({ response_type: "in_channel", text: `m${i}` });
    expect(fake.postsTo("cap").map((p) => p.body.text)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect(fake.callsTo("chat.postMessage").map((c) => c.args.text)).toEqual(["m5", "m6"]);
    expect(respond.uses).toBe(5);
  });

  it("stops using a response_url after 30 minutes (ephemeral replies go through chat.postEphemeral)", async () => {
    let now = 1_000_000;
    const respond = createResponder(target("old"), { client, logger: quiet, now: () => now });
    now += RESPONSE_URL_TTL_MS + 1;
    await respond({ response_type: "ephemeral", text: "late" });
    expect(fake.postsTo("old")).toEqual([]);
    const eph = fake.callsTo("chat.postEphemeral").at(-1)!;
    expect(eph.args).toMatchObject({ channel: "C1", user: "U1", text: "late" });
  });

  it("retries 5xx and gives up on a 4xx without retrying", async () => {
    fake.failNext("hooks", { status: 503, body: "unavailable" });
    const respond = createResponder(target("flaky"), { client, logger: quiet, retry: { baseDelayMs: 1 } });
    await respond({ text: "once" });
    expect(fake.postsTo("flaky").map((p) => p.body.text)).toEqual(["once", "once"]);

    fake.failNext("hooks", { status: 404, body: "used_url" });
    const before = fake.callsTo("chat.postEphemeral").length;
    const gone = createResponder(target("gone"), { client, logger: quiet, retry: { baseDelayMs: 1 } });
    await gone({ text: "after 404" });
    expect(fake.postsTo("gone")).toHaveLength(1);
    expect(fake.callsTo("chat.postEphemeral").length).toBe(before + 1);
  });

  it("throws when neither the response_url nor the Web API can deliver", async () => {
    fake.failNext("hooks", { status: 404, body: "expired_url" });
    fake.failNext("chat.postEphemeral", { body: { ok: false, error: "channel_not_found" } });
    const respond = createResponder(target("nowhere"), { client, logger: quiet });
    await expect(respond({ text: "x" })).rejects.toThrow(/could not deliver/);
  });
});

describe("logger", () => {
  it("keeps tokens and secrets out of the logs", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const log = createLogger("info", sink);
    log.info({ token: "xoxb-111-222-abc", config: { SLACK_SIGNING_SECRET: "s3cr3t-value" } }, "posting");
    log.warn("retrying with xoxb-333-444-def and xapp-1-A1-xyz at redis://user:pw123@redis:6379");
    log.error({ err: new Error("auth failed for xoxp-555-666") }, "failed");
    expect(out).not.toMatch(/xoxb-111|xoxb-333|xapp-1-A1|xoxp-555|s3cr3t-value|pw123/);
    expect(out).toContain("[redacted]");
    expect(out).toContain("redis://user:[redacted]@redis:6379");
  });
});
