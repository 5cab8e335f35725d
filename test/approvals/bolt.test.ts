/**
 * The approval flow through the real Bolt app: signed requests as Slack sends them, the fake Slack Web API,
 * real Redis, the simulator behind the real diagnoser. /alb check -> Fix -> plan message -> Approve -> result
 * with Undo -> Undo -> Approve; 200 concurrent Approve clicks on two app instances sharing Redis; Redis stopped
 * (buttons refuse, /alb check still answers).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import type { Store } from "../../src/store/store.ts";
import { startRedisProxy } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import {
  type FakeSlack,
  type HookPost,
  startFakeSlack,
  startTestApp,
  type TestApp,
} from "../helpers/slack-harness.ts";
import { NOW, OFFERS, remediationScenario } from "../remediate/fixture.ts";
import { describeAll, redisStores, writesSince } from "../remediate/helpers.ts";

const CHANNEL = "C0INCIDENT";
const REQUESTER = "U0ALICE";
const APPROVER = "U0BOB";
const GROUP = "S0APPROVERS";
const CLICKERS = Array.from({ length: 200 }, (_, i) => `U0APP${i}`);

type Element = { type: string; action_id?: string; value?: string };
type AnyBlock = { type: string; accessory?: Element; elements?: Element[] };

/** The value of the button with `actionId` in a message's blocks. */
function buttonValue(blocks: unknown, actionId: string): string | undefined {
  for (const b of (blocks ?? []) as AnyBlock[]) {
    if (b.accessory?.action_id === actionId) return b.accessory.value;
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el) return el.value;
  }
  return undefined;
}

function click(
  actionId: string,
  value: string,
  user: string,
  options: { ts?: string; hook?: string; fake: FakeSlack },
) {
  const ts = options.ts ?? "1700000000.000100";
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T0TEST" },
    api_app_id: "A0ALBDOCTOR",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: ts, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: `${Date.now()}.trigger`,
    team: { id: "T0TEST", domain: "test-team" },
    channel: { id: CHANNEL, name: "incidents" },
    message: { type: "message", ts, text: "", user: "U0BOT" },
    response_url: options.fake.responseUrl(options.hook),
    actions: [
      { type: "button", action_id: actionId, block_id: "b", value, action_ts: `${Date.now() / 1000}` },
    ],
  };
}

const redis = redisStores();

let sim: TestSim;
let fake: FakeSlack;
const apps: TestApp[] = [];

async function app(store: Store): Promise<TestApp> {
  const t = await startTestApp({
    fake,
    store,
    aws: sim.clients,
    now: () => new Date(NOW),
    diagnose: createDiagnoser({ aws: sim.clients, now: () => new Date(NOW), defaultWindow: "1h" }),
    env: { APPROVERS: APPROVER, APPROVER_USERGROUP: GROUP },
  });
  apps.push(t);
  return t;
}

beforeEach(async () => {
  sim = await startTestSim(remediationScenario());
  fake = await startFakeSlack();
  fake.usergroupMembers[GROUP] = [REQUESTER, ...CLICKERS];
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await fake.close();
  await sim.close();
});
afterAll(redis.cleanup);

/** `/alb check my-alb`, then the Fix button of the report (value = offer id). */
async function fixOfferFromCheck(t: TestApp): Promise<string> {
  const ack = await t.slash("check my-alb", { user_id: REQUESTER });
  const report = await fake.waitFor(
    () => fake.postsTo(ack.hook).find((p) => buttonValue(p.body.blocks, ACTION.fix)),
    15_000,
    "the report with a fix button",
  );
  return buttonValue(report.body.blocks, ACTION.fix)!;
}

/** Clicks Fix and returns the plan id from the plan message posted in the channel. */
async function planFromFix(
  t: TestApp,
  offerId: string,
  user = REQUESTER,
): Promise<{ planId: string; text: string }> {
  const before = fake.callsTo("chat.postMessage").length;
  expect((await t.action(click(ACTION.fix, offerId, user, { fake }))).status).toBe(200);
  const posted = await fake.waitFor(
    () =>
      fake
        .callsTo("chat.postMessage")
        .slice(before)
        .find((c) => buttonValue(c.args.blocks, ACTION.approve)),
    10_000,
    "the plan message",
  );
  return {
    planId: buttonValue(posted.args.blocks, ACTION.approve)!,
    text: JSON.stringify(posted.args.blocks),
  };
}

const hookText = (posts: HookPost[]) => posts.map((p) => String(p.body.text ?? "")).join("\n");

describe("remediation from Slack buttons", () => {
  it("check -> Fix -> plan -> self-approval refused -> Approve -> verified result with Undo -> Undo restores", async () => {
    const prefix = redis.prefix("bolt-e2e");
    const t = await app(redis.open(prefix));
    const initial = await describeAll(sim.clients);
    const offerId = await fixOfferFromCheck(t);
    const { planId, text } = await planFromFix(t, offerId);
    expect(text).toContain("ingress tcp 8080 from sg-alb");
    expect(text).toContain("AuthorizeSecurityGroupIngress");
    expect(text).toContain(`<@${APPROVER}>`); // who may approve
    const mark = sim.world.callLog.length;

    // The requester may not approve their own plan.
    await t.action(click(ACTION.approve, planId, REQUESTER, { fake, hook: "self" }));
    const self = await fake.waitFor(() => fake.postsTo("self")[0], 10_000, "the self-approval refusal");
    expect(self.body.response_type).toBe("ephemeral");
    expect(String(self.body.text)).toMatch(/cannot also approve/);
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);

    // An approver approves: the plan message becomes the verified result with an Undo button.
    await t.action(click(ACTION.approve, planId, APPROVER, { fake, ts: "1700000099.000100" }));
    const update = await fake.waitFor(() => fake.callsTo("chat.update")[0], 10_000, "the result message");
    expect(update.args.ts).toBe("1700000099.000100");
    expect(String(update.args.text)).toMatch(/Applied and verified/);
    expect(JSON.stringify(update.args.blocks)).toContain("Verification");
    expect(buttonValue(update.args.blocks, ACTION.undo)).toBe(planId);
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
    ]);

    // Undo goes through the same approval and restores exactly the state before.
    const beforeUndo = fake.callsTo("chat.postMessage").length;
    await t.action(click(ACTION.undo, planId, REQUESTER, { fake }));
    const undoPlan = await fake.waitFor(
      () =>
        fake
          .callsTo("chat.postMessage")
          .slice(beforeUndo)
          .find((c) => buttonValue(c.args.blocks, ACTION.approve)),
      10_000,
      "the undo plan",
    );
    const undoId = buttonValue(undoPlan.args.blocks, ACTION.approve)!;
    expect(JSON.stringify(undoPlan.args.blocks)).toContain("RevokeSecurityGroupIngress");
    await t.action(click(ACTION.approve, undoId, APPROVER, { fake }));
    await fake.waitFor(() => fake.callsTo("chat.update")[1], 10_000, "the undo result");
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress",
    ]);
    expect(await describeAll(sim.clients)).toEqual(initial);

    // /alb history shows the trail.
    const history = await t.slash("history my-alb", { user_id: REQUESTER });
    const shown = await fake.waitFor(() => fake.postsTo(history.hook)[0], 10_000, "the history");
    const trail = JSON.stringify(shown.body.blocks);
    for (const event of ["plan-created", "refused", "approved", "executed", "verified", "undo-planned"])
      expect(trail).toContain(`*${event}*`);
  });

  it("200 concurrent Approve clicks on two app instances sharing Redis: one write, 199 'already approved by'", async () => {
    const prefix = redis.prefix("bolt-once");
    const [a, b] = [await app(redis.open(prefix)), await app(redis.open(prefix))];
    const offerId = await fixOfferFromCheck(a);
    const { planId } = await planFromFix(b, offerId); // planned on one replica, approved on both
    const mark = sim.world.callLog.length;
    const acks = await Promise.all(
      CLICKERS.map((user, i) =>
        (i % 2 ? b : a).action(click(ACTION.approve, planId, user, { fake, hook: `c${i}` })),
      ),
    );
    expect(acks.every((r) => r.status === 200)).toBe(true);
    const result = await fake.waitFor(() => fake.callsTo("chat.update")[0], 15_000, "the result");
    const refusals = await fake.waitFor(
      () => {
        const posts = CLICKERS.map((_, i) => fake.postsTo(`c${i}`)[0]).filter(Boolean);
        return posts.length === 199 ? posts : undefined;
      },
      15_000,
      "199 refusals",
    );
    const winner = /approved by <@(U0APP\d+)>/.exec(JSON.stringify(result.args.blocks))?.[1];
    expect(winner).toBeDefined();
    for (const r of refusals) {
      expect(r.body.response_type).toBe("ephemeral");
      expect(String(r.body.text)).toContain(`already approved by <@${winner}>`);
    }
    expect(fake.postsTo(`c${CLICKERS.indexOf(winner!)}`)).toEqual([]);
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
    ]);
    expect(fake.callsTo("usergroups.users.list").length).toBeLessThanOrEqual(2); // cached, one lookup per replica
  });

  it("Redis stopped: buttons answer 'approvals are unavailable', AWS untouched, /alb check still answers", async () => {
    const proxy = await startRedisProxy();
    const prefix = redis.prefix("bolt-down");
    const t = await app(redis.open(prefix, proxy.url));
    const offerId = await fixOfferFromCheck(t);
    const { planId } = await planFromFix(t, offerId);
    await proxy.stop();
    const mark = sim.world.callLog.length;

    await t.action(click(ACTION.approve, planId, APPROVER, { fake, hook: "down-approve" }));
    await t.action(click(ACTION.fix, offerId, REQUESTER, { fake, hook: "down-fix" }));
    const refusals = await fake.waitFor(
      () => {
        const posts = [...fake.postsTo("down-approve"), ...fake.postsTo("down-fix")];
        return posts.length === 2 ? posts : undefined;
      },
      10_000,
      "both refusals",
    );
    expect(hookText(refusals).match(/approvals are unavailable/g)).toHaveLength(2);
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);

    const ack = await t.slash("check my-alb", { user_id: REQUESTER });
    const report = await fake.waitFor(
      () => fake.postsTo(ack.hook).find((p) => p.body.replace_original === true),
      15_000,
      "the report without Redis",
    );
    expect(String(report.body.text)).toContain("sg-blocks-alb-to-target");
    expect(buttonValue(report.body.blocks, ACTION.fix)).toBeUndefined();
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
  });

  it("a blocked plan runs only through /alb fix PLAN --override RISK; Reject closes a plan for good", async () => {
    const prefix = redis.prefix("bolt-override");
    const store = redis.open(prefix);
    const t = await app(store);
    const lower = OFFERS.lowerIdleTimeout();
    await store.set(`offer:${lower.offerId}`, JSON.stringify(lower), 3600);
    const before = fake.callsTo("chat.postMessage").length;
    await t.action(click(ACTION.fix, lower.offerId, REQUESTER, { fake }));
    const posted = await fake.waitFor(
      () =>
        fake
          .callsTo("chat.postMessage")
          .slice(before)
          .find((c) => buttonValue(c.args.blocks, ACTION.reject)),
      10_000,
      "the blocked plan",
    );
    expect(buttonValue(posted.args.blocks, ACTION.approve)).toBeUndefined();
    const planId = buttonValue(posted.args.blocks, ACTION.reject)!;
    expect(JSON.stringify(posted.args.blocks)).toContain(`/alb fix ${planId} --override lower-idle-timeout`);
    const mark = sim.world.callLog.length;

    const plain = await t.slash(`fix ${planId}`, { user_id: APPROVER });
    const refused = await fake.waitFor(() => fake.postsTo(plain.hook)[0], 10_000, "the refusal");
    expect(String(refused.body.text)).toMatch(/blocked by risk check/);
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);

    const overridden = await t.slash(`fix ${planId} --override lower-idle-timeout`, { user_id: APPROVER });
    const done = await fake.waitFor(() => fake.postsTo(overridden.hook)[0], 10_000, "the result");
    expect(done.body.response_type).toBe("in_channel");
    expect(String(done.body.text)).toMatch(/Applied and verified/);
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "ModifyLoadBalancerAttributes",
    ]);
    expect(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("4");

    // Reject: the plan message becomes the rejection; a later Approve is refused.
    const raise = OFFERS.raiseIdleTimeout();
    await store.set(`offer:${raise.offerId}`, JSON.stringify(raise), 3600);
    const { planId: second } = await planFromFix(t, raise.offerId);
    await t.action(click(ACTION.reject, second, REQUESTER, { fake, ts: "1700000555.000100" }));
    const rejected = await fake.waitFor(
      () => fake.callsTo("chat.update").find((c) => c.args.ts === "1700000555.000100"),
      10_000,
      "the rejection",
    );
    expect(String(rejected.args.text)).toContain(`Rejected by <@${REQUESTER}>`);
    await t.action(click(ACTION.approve, second, APPROVER, { fake, hook: "after-reject" }));
    const late = await fake.waitFor(() => fake.postsTo("after-reject")[0], 10_000, "the late approval");
    expect(String(late.body.text)).toContain(`already rejected by <@${REQUESTER}>`);
    expect(writesSince(sim.world.callLog, mark)).toHaveLength(1);
  });

  it("when the bot cannot post in the channel, the plan arrives through the click's response_url", async () => {
    const prefix = redis.prefix("bolt-nopost");
    const store = redis.open(prefix);
    const t = await app(store);
    const raise = OFFERS.raiseIdleTimeout();
    await store.set(`offer:${raise.offerId}`, JSON.stringify(raise), 3600);
    fake.failNext("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });
    await t.action(click(ACTION.fix, raise.offerId, REQUESTER, { fake, hook: "nopost" }));
    const viaHook = await fake.waitFor(() => fake.postsTo("nopost")[0], 10_000, "the plan via response_url");
    expect(viaHook.body.response_type).toBe("in_channel");
    expect(buttonValue(viaHook.body.blocks, ACTION.approve)).toMatch(/^pl_/);
  });
});
