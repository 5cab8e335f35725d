/**
 * A Fix click delivered twice (Slack's retry with X-Slack-Retry-Num, or the same payload sent again) makes
 * one plan, not two; a new click (its own trigger_id) is a new delivery. The real Bolt app, the simulator
 * behind the real diagnoser, the fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startTestApp, type TestApp } from "../helpers/slack-harness.ts";
import { NOW, remediationScenario } from "../remediate/fixture.ts";

const CHANNEL = "C0INCIDENT";

type Element = { action_id?: string; value?: string };
type AnyBlock = { accessory?: Element; elements?: Element[] };
function buttonValue(blocks: unknown, actionId: string): string | undefined {
  for (const b of (blocks ?? []) as AnyBlock[]) {
    if (b.accessory?.action_id === actionId) return b.accessory.value;
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el) return el.value;
  }
  return undefined;
}

function fixClick(t: TestApp, offerId: string, triggerId: string) {
  return {
    type: "block_actions",
    user: { id: "U0ALICE", username: "alice", team_id: "T0TEST" },
    api_app_id: "A0ALBDOCTOR",
    container: { type: "message", message_ts: "1700000000.000100", channel_id: CHANNEL },
    trigger_id: triggerId,
    team: { id: "T0TEST", domain: "test-team" },
    channel: { id: CHANNEL, name: "incidents" },
    message: { type: "message", ts: "1700000000.000100", text: "", user: "U0BOT" },
    response_url: t.fake.responseUrl("fix-click"),
    actions: [
      {
        type: "button",
        action_id: ACTION.fix,
        block_id: "b",
        value: offerId,
        action_ts: "1700000001.123456",
      },
    ],
  };
}

let sim: TestSim;
let t: TestApp;

beforeAll(async () => {
  sim = await startTestSim(remediationScenario());
  t = await startTestApp({
    aws: sim.clients,
    now: () => new Date(NOW),
    diagnose: createDiagnoser({ aws: sim.clients, now: () => new Date(NOW), defaultWindow: "1h" }),
    env: { APPROVERS: "U0BOB" },
  });
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

const plansPosted = () =>
  t.fake.callsTo("chat.postMessage").filter((c) => buttonValue(c.args.blocks, ACTION.approve));
const settle = () => new Promise((r) => setTimeout(r, 500));

describe("a Fix click delivered more than once", () => {
  it("makes one plan for a retried or repeated delivery, and another for a new click", async () => {
    const ack = await t.slash("check my-alb", { user_id: "U0ALICE" });
    const report = await t.fake.waitFor(
      () => t.fake.postsTo(ack.hook).find((p) => buttonValue(p.body.blocks, ACTION.fix)),
      15_000,
      "the report with a fix button",
    );
    const offerId = buttonValue(report.body.blocks, ACTION.fix)!;

    const payload = fixClick(t, offerId, "1700000001.trigger-a");
    // The same click three times: twice at once, then Slack's retry of it.
    const acks = await Promise.all([t.action(payload), t.action(payload)]);
    acks.push(await t.action(payload, { retryNum: 1 }));
    expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
    await t.fake.waitFor(() => plansPosted().length >= 1, 10_000, "the plan message");
    await settle();
    expect(plansPosted()).toHaveLength(1);

    // A new click has its own trigger_id: it is a new delivery, answered (a plan or a refusal).
    const answers = () => plansPosted().length + t.fake.postsTo("fix-click").length;
    const before = answers();
    await t.action(fixClick(t, offerId, "1700000002.trigger-b"));
    await t.fake.waitFor(() => answers() > before, 10_000, "an answer to the new click");
  });
});
