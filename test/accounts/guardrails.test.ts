/**
 * Channel guardrails through the real Bolt app and the simulator: a channel checks only its accounts and
 * load balancer names (refusals name the guardrail, say what the channel may do, and reach no AWS API),
 * fix buttons only for its fix ids, Fix and Approve clicks re-checked against the file as it is at click
 * time, and triage in a watched channel under the same rules.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import type { World } from "../../src/sim/world.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startTestApp, type TestApp } from "../helpers/slack-harness.ts";
import { alarmJson } from "../triage/fixtures.ts";
import { ACCOUNTS_YAML, STAGING_ID, twoAccountScenario, writeAccountsFile } from "./fixture.ts";
import { buttonValue, clickPayload, finalText } from "./slack-helpers.ts";

const rails = (opsFixes: string) => `${ACCOUNTS_YAML}
channels:
  C0STAGING: { accounts: [staging], loadBalancers: ["billing-*"], fixes: [set-idle-timeout] }
  C0OPS: { accounts: ["*"], fixes: [${opsFixes}] }
default: { accounts: [prod] }
`;

describe("channel guardrails", () => {
  let sim: TestSim;
  let t: TestApp;
  let file: string;
  let staging: World;
  const awsCalls = () => sim.world.callLog.length + staging.callLog.length;

  beforeAll(async () => {
    sim = await startTestSim(twoAccountScenario());
    staging = sim.world.accounts.find((a) => a.accountId === STAGING_ID)!.world;
    file = writeAccountsFile(rails("allow-alb-to-target"));
    t = await startTestApp({
      aws: sim.clients,
      now: () => sim.world.now,
      diagnose: createDiagnoser({
        aws: sim.clients,
        now: () => sim.world.now,
        defaultWindow: "1h",
        credentials: SIMULATOR_CREDENTIALS,
      }),
      env: {
        ACCOUNTS_FILE: file,
        APPROVERS: "U0BOB",
        TRIAGE_CHANNELS: "C0STAGING",
        SLACK_POST_INTERVAL_MS: "0",
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  async function report(text: string, channel: string) {
    const ack = await t.slash(text, { channel_id: channel, user_id: "U0ALICE" });
    return t.fake.waitFor(
      () => t.fake.postsTo(ack.hook).find((p) => p.body.replace_original === true),
      15_000,
      "the report",
    );
  }

  it("allows its own account (a bare name means it) and shows buttons only for its fix ids", async () => {
    const r = await report("check billing-prod", "C0STAGING");
    const text = JSON.stringify(r.body);
    expect(text).toContain("sg-blocks-alb-to-target");
    expect(text).toContain("*Account* `staging`");
    expect(buttonValue(r.body.blocks, ACTION.fix)).toBeUndefined();
    expect(text).toContain("guardrail (accounts file) does not allow planning allow-alb-to-target");
  });

  it.each([
    [
      "prod/cms-prod",
      "C0STAGING",
      "channel C0STAGING",
      "account prod",
      "staging (load balancers billing-*) and plan set-idle-timeout",
    ],
    [
      "secret/cms-prod",
      "C0STAGING",
      "channel C0STAGING",
      "account secret",
      "staging (load balancers billing-*)",
    ],
    ["staging/cms-prod", "C0STAGING", "channel C0STAGING", "load balancer cms-prod", "plan set-idle-timeout"],
    ["staging/billing-prod", "C0RANDOM", "default", "account staging", "may check prod and plan no fixes"],
    [
      `arn:aws:elasticloadbalancing:us-east-1:${STAGING_ID}:loadbalancer/app/billing-prod/0123456789abcdef`,
      "C0RANDOM",
      "default",
      `account ${STAGING_ID}`,
      "may check prod",
    ],
  ])("refuses %s in %s, naming the guardrail, before any AWS call", async (ref, channel, rail, what, may) => {
    const calls = awsCalls();
    const ack = await t.slash(`check ${ref}`, { channel_id: channel });
    const text = await finalText(t, ack.hook, (s) => s.includes("Refused"));
    expect(text).toContain(`Refused by the accounts file's ${rail} guardrail: ${what} is not allowed here.`);
    expect(text).toContain(may);
    // Nothing about the other account: no call reached either account, no resource named.
    expect(awsCalls()).toBe(calls);
    expect(text).not.toMatch(/sg-|arn:aws:elasticloadbalancing:us-east-1:210987654321:targetgroup/);
  });

  it("re-checks the file at click time: Fix and Approve refused once the channel lost the fix id", async () => {
    writeFileSync(file, rails("allow-alb-to-target"));
    const r = await report("check staging/billing-prod", "C0OPS");
    const offerId = buttonValue(r.body.blocks, ACTION.fix)!;
    expect(offerId).toBeTruthy();

    // The same offer clicked in a channel whose guardrail does not allow it.
    const stranger = clickPayload(ACTION.fix, offerId, "U0ALICE", "C0STAGING", t.fake);
    await t.action(stranger);
    const refusedHere = await t.fake.waitFor(
      () =>
        t.fake
          .postsTo(stranger.response_url.split("/").pop()!)
          .find((p) => /Refused/.test(String(p.body.text))),
      10_000,
      "the refusal of the click in C0STAGING",
    );
    expect(String(refusedHere.body.text)).toContain(
      "channel C0STAGING guardrail: fix allow-alb-to-target on account staging",
    );

    const before = t.fake.callsTo("chat.postMessage").length;
    await t.action(clickPayload(ACTION.fix, offerId, "U0ALICE", "C0OPS", t.fake));
    const planMsg = await t.fake.waitFor(
      () =>
        t.fake
          .callsTo("chat.postMessage")
          .slice(before)
          .find((c) => buttonValue(c.args.blocks, ACTION.approve)),
      10_000,
      "the plan message",
    );
    const planId = buttonValue(planMsg.args.blocks, ACTION.approve)!;

    writeFileSync(file, rails("set-idle-timeout"));
    const approve = clickPayload(ACTION.approve, planId, "U0BOB", "C0OPS", t.fake);
    await t.action(approve);
    const refused = await t.fake.waitFor(
      () =>
        t.fake
          .postsTo(approve.response_url.split("/").pop()!)
          .find((p) => /Refused/.test(String(p.body.text))),
      10_000,
      "the refusal of the approval",
    );
    expect(String(refused.body.text)).toContain(
      "Refused by the accounts file's channel C0OPS guardrail: fix allow-alb-to-target on account staging is not allowed here.",
    );
    expect(staging.callLog.filter((c) => c.action === "AuthorizeSecurityGroupIngress")).toHaveLength(0);
    const audit = await t.deps.store.readAudit({ limit: 5 });
    expect(audit[0]).toMatchObject({ event: "refused", planId, account: "staging" });
  });

  it("triage in a guardrailed channel: its account, no button for other fix ids; other names refused", async () => {
    writeFileSync(file, rails("allow-alb-to-target"));
    const lb = staging.loadBalancers.find((l) => l.LoadBalancerName === "billing-prod")!;
    const threadReplies = () =>
      t.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0STAGING" && c.args.thread_ts);
    const alarm = (id: string, ts: string) => ({
      type: "message",
      subtype: "bot_message",
      bot_id: "B0SNS",
      channel: "C0STAGING",
      ts,
      text: JSON.stringify(alarmJson("ALARM", [{ value: id, name: "LoadBalancer" }])),
    });
    await t.event(alarm(`app/billing-prod/${lb.Id}`, "1773584101.000100"));
    const reply = await t.fake.waitFor(() => threadReplies()[0], 20_000, "the triage reply");
    const text = JSON.stringify(reply.args.blocks);
    expect(text).toContain("sg-blocks-alb-to-target");
    expect(text).toContain("*Account* `staging`");
    expect(buttonValue(reply.args.blocks, ACTION.fix)).toBeUndefined();
    expect(text).toContain("does not allow planning allow-alb-to-target");

    const calls = awsCalls();
    await t.event(alarm("app/cms-prod/0123456789abcdef", "1773584102.000100"));
    const refusal = await t.fake.waitFor(() => threadReplies()[1], 20_000, "the triage refusal");
    expect(JSON.stringify(refusal.args)).toContain("channel C0STAGING guardrail: load balancer cms-prod");
    expect(awsCalls()).toBe(calls);
  });
});
