/**
 * Auto-triage end to end: signed Events API requests into the real Bolt app, the real diagnosis against
 * the simulator, a fake Slack Web API recording every call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startFakeSlack, startTestApp, type FakeSlack, type TestApp } from "../helpers/slack-harness.ts";
import { alarmJson, CASES } from "./fixtures.ts";

const CHANNEL = "C0INCIDENT";
let sim: TestSim;
let fake: FakeSlack;
let app: TestApp;
let tsCounter = 0;
const nextTs = () => `1773584${String(100 + ++tsCounter).padStart(3, "0")}.000100`;

beforeAll(async () => {
  sim = await startTestSim("scenarios/keepalive-race.yaml");
  fake = await startFakeSlack();
  const diagnose = createDiagnoser({
    aws: sim.clients,
    now: () => sim.world.now,
    defaultWindow: "1h",
    scanLogs: createLogScanner(sim.clients),
  });
  app = await startTestApp({
    fake,
    aws: sim.clients,
    diagnose,
    env: { TRIAGE_CHANNELS: CHANNEL, SLACK_POST_INTERVAL_MS: "50" },
  });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
  await sim?.close();
});

const alarmEvent = (state: string, channel = CHANNEL) => ({
  type: "message",
  subtype: "bot_message",
  bot_id: "B0SNS",
  channel,
  ts: nextTs(),
  text: JSON.stringify(alarmJson(state)),
});

const threadPosts = () => fake.callsTo("chat.postMessage").filter((c) => c.args.thread_ts);

describe("auto-triage", () => {
  let alarmTs: string;

  it("answers an alarm with one diagnosis in its thread, with fix buttons", async () => {
    const event = alarmEvent("ALARM");
    alarmTs = event.ts;
    const res = await app.event(event);
    expect(res.status).toBe(200);
    const post = await fake.waitFor(() => threadPosts()[0], 20_000, "the thread reply");
    expect(post.args.channel).toBe(CHANNEL);
    expect(post.args.thread_ts).toBe(alarmTs);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("shop-prod");
    expect(blocks).toMatch(/keep-alive|keepalive/i);
    expect(blocks).toContain("alb_fix");
    expect(blocks).toContain(`https://slack.com/archives/${CHANNEL}/p${alarmTs.replace(".", "")}`);
  });

  it("counts further alarms for the same ALB by editing the reply, not posting", async () => {
    await app.event(alarmEvent("ALARM"));
    await app.event(alarmEvent("ALARM"));
    const edit = await fake.waitFor(
      () => fake.callsTo("chat.update").find((c) => JSON.stringify(c.args.blocks).includes("+2 more alarms")),
      10_000,
      "an edit showing +2 more alarms",
    );
    expect(edit.args.ts).toBeDefined();
    expect(threadPosts()).toHaveLength(1);
  });

  it("a re-delivered event is handled once", async () => {
    const event = alarmEvent("ALARM");
    await app.event(event, { eventId: "EvSAME", retryNum: 1 });
    await app.event(event, { eventId: "EvSAME", retryNum: 2 });
    await fake.waitFor(
      () => fake.callsTo("chat.update").find((c) => JSON.stringify(c.args.blocks).includes("+3 more alarms")),
      10_000,
      "+3 more alarms",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsTo("chat.update").some((c) => JSON.stringify(c.args.blocks).includes("+4 more"))).toBe(
      false,
    );
  });

  it("an OK notification updates the thread instead of diagnosing", async () => {
    const before = threadPosts().length;
    await app.event(alarmEvent("OK"));
    await fake.waitFor(
      () => fake.callsTo("chat.update").find((c) => JSON.stringify(c.args.blocks).includes("recovered at")),
      10_000,
      "a recovered edit",
    );
    expect(threadPosts()).toHaveLength(before);
  });

  it("ignores messages that are not about an ALB, and channels nobody watches", async () => {
    const calls = fake.calls.length;
    for (const c of CASES.filter((x) => x.expect === null)) {
      await app.event({ ...c.message, ts: nextTs(), channel: CHANNEL });
    }
    await app.event(alarmEvent("ALARM", "C0RANDOM"));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.slice(calls).filter((c) => c.method.startsWith("chat."))).toEqual([]);
  });

  it("/alb watch adds a channel; /alb unwatch removes it", async () => {
    const w = await app.slash("watch", { channel_id: "C0OTHER" });
    expect(w.status).toBe(200);
    await fake.waitFor(() => fake.postsTo(w.hook)[0], 5000, "watch reply");
    expect(await app.deps.store.members("triage:channels")).toContain("C0OTHER");
    const u = await app.slash("unwatch", { channel_id: "C0OTHER" });
    await fake.waitFor(() => fake.postsTo(u.hook)[0], 5000, "unwatch reply");
    expect(await app.deps.store.members("triage:channels")).not.toContain("C0OTHER");
  });
});
