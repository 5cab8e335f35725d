/**
 * SIGKILL of the real bot (src/main.ts in a child process: Bolt over HTTP, Redis, the simulator over HTTP)
 * while it executes an approved plan, then a restart: the restarted bot's reconciler re-reads AWS and the
 * simulator's state, the store (claim, plan, audit) and what Slack was told (the fake Slack) must agree.
 * Killed between the claim and the AWS call (during the drift read) and during the write call (simulator
 * latency on AuthorizeSecurityGroupIngress; a tap in front of the simulator sees the request arrive).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApprovalFlow } from "../../src/approvals/flow.ts";
import { createApproverPolicy } from "../../src/approvals/policy.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import type { Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import { startTap, type Tap } from "../helpers/tap.ts";
import {
  type FakeSlack,
  postSigned,
  startFakeSlack,
  TEST_BOT_TOKEN,
  TEST_SIGNING_SECRET,
} from "../helpers/slack-harness.ts";
import { OFFERS, remediationScenario } from "../remediate/fixture.ts";
import { redisStores } from "../remediate/helpers.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const MAIN = join(ROOT, "src/main.ts");
const REQUESTER = "UREQUESTER";
const APPROVER = "UAPPROVER";
const CHANNEL = "C0INCIDENT";
const THREAD_TS = "1700000000.000100";
const PLAN_TS = "1700000001.000100";
const LEASE_SECONDS = 6;

const redis = redisStores();
let fake: FakeSlack;
let sim: TestSim;
let tap: Tap;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake.close();
  await redis.cleanup();
});
beforeEach(async () => {
  sim = await startTestSim(remediationScenario());
  tap = await startTap(sim.endpoint);
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await tap.close();
  await sim.close();
});

/** The real entry point, as the Docker image runs it. Resolves once it listens, with its port. */
async function startBot(prefix: string) {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd: mkdtempSync(join(tmpdir(), "alb-doctor-crash-")),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: tap.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      APPROVERS: APPROVER,
      EXECUTION_LEASE_SECONDS: String(LEASE_SECONDS),
      RECONCILE_INTERVAL_SECONDS: "1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const out = { text: "" };
  child.stdout!.on("data", (d) => (out.text += d));
  child.stderr!.on("data", (d) => (out.text += d));
  const port = await fake.waitFor(
    () => /"port":(\d+)/.exec(out.text)?.[1],
    30_000,
    `the bot's listening line (output: ${out.text.slice(0, 500)})`,
  );
  return { child, out, url: `http://127.0.0.1:${port}/slack/events` };
}

function approveClick(planId: string): string {
  const payload = {
    type: "block_actions",
    user: { id: APPROVER, username: "approver", team_id: "T0TEST" },
    api_app_id: "A0ALBDOCTOR",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: PLAN_TS, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: `${Date.now()}.trigger`,
    team: { id: "T0TEST", domain: "test-team" },
    channel: { id: CHANNEL, name: "incidents" },
    message: { type: "message", ts: PLAN_TS, thread_ts: THREAD_TS, text: "", user: "U0BOT" },
    response_url: fake.responseUrl(`approve-${planId}`),
    actions: [
      {
        type: "button",
        action_id: ACTION.approve,
        block_id: "b",
        value: planId,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

async function ruleInAws(): Promise<boolean> {
  const out = await sim.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
  return (out.SecurityGroups?.[0].IpPermissions ?? []).some(
    (p) => p.FromPort === 8080 && p.UserIdGroupPairs?.some((u) => u.GroupId === "sg-alb"),
  );
}

async function claimOf(store: Store, planId: string) {
  const raw = await store.get(`plan:${planId}:claim`);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}

async function kill(child: ChildProcess) {
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** A plan made by the test (the same store the bots use), ready for an Approve click. */
async function planFor(store: Store) {
  const flow = createApprovalFlow({
    store,
    aws: sim.clients,
    policy: createApproverPolicy({ approvers: [APPROVER], allowSelfApproval: false }),
    planTtlSeconds: 900,
    now: () => new Date(),
  });
  return { flow, plan: await flow.createPlan(OFFERS.allowAlb(), REQUESTER) };
}

/** What the restarted bot told Slack about the plan: the replaced plan message and the thread reply. */
async function reconciledPosts(planId: string) {
  const update = await fake.waitFor(
    () =>
      fake
        .callsTo("chat.update")
        .find((c) => c.args.ts === PLAN_TS && JSON.stringify(c.args).includes(planId)),
    30_000,
    "the plan message replaced with the outcome",
  );
  const reply = await fake.waitFor(
    () =>
      fake
        .callsTo("chat.postMessage")
        .find((c) => c.args.thread_ts === THREAD_TS && String(c.args.text).includes(planId)),
    10_000,
    "the outcome in the plan's thread",
  );
  return { update: JSON.stringify(update.args), reply: String(reply.args.text) };
}

describe("SIGKILL during an approved change, then a restart", () => {
  it("between the claim and the AWS call: not applied, and everything says so", async () => {
    const prefix = redis.prefix("kill-before-call");
    const store = redis.open(prefix);
    const { plan } = await planFor(store);
    // The drift read (after the claim, before the write) takes 3 s: the bot dies in it.
    sim.world.faults.push({
      Service: "ec2",
      Action: "DescribeSecurityGroups",
      LatencyMs: 3000,
      Times: 1,
      fired: 0,
    });
    const bot = await startBot(prefix);
    const driftRead = tap.seen("Action=DescribeSecurityGroups");
    expect(
      (await postSigned(bot.url, approveClick(plan.id), "application/x-www-form-urlencoded")).status,
    ).toBe(200);
    await driftRead;
    await kill(bot.child);

    expect(await claimOf(store, plan.id)).toMatchObject({ state: "executing", by: APPROVER });
    const restarted = await startBot(prefix);
    const posts = await reconciledPosts(plan.id);

    expect(await ruleInAws()).toBe(false);
    expect(sim.world.callLog.filter((c) => c.action === "AuthorizeSecurityGroupIngress")).toEqual([]);
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "done", outcome: "failed" });
    expect(JSON.parse((await store.get(`plan:${plan.id}`))!).state).toBe("failed");
    const trail = (await store.readAudit({ resource: plan.id })).map((e) => e.event).reverse();
    expect(trail).toEqual(["plan-created", "approved", "not-applied"]);
    expect(posts.update).toContain("Failed");
    expect(posts.update).not.toContain(ACTION.approve);
    expect(posts.update).not.toContain(ACTION.undo);
    expect(posts.reply).toMatch(/not applied, nothing changed/);
    await kill(restarted.child);
  }, 120_000);

  it("during the write call that AWS completed: applied and verified, audited, posted, with Undo", async () => {
    const prefix = redis.prefix("kill-during-call");
    const store = redis.open(prefix);
    const { flow, plan } = await planFor(store);
    sim.world.faults.push({
      Service: "ec2",
      Action: "AuthorizeSecurityGroupIngress",
      LatencyMs: 3000,
      fired: 0,
    });
    const bot = await startBot(prefix);
    const write = tap.seen("Action=AuthorizeSecurityGroupIngress");
    expect(
      (await postSigned(bot.url, approveClick(plan.id), "application/x-www-form-urlencoded")).status,
    ).toBe(200);
    await write;
    await new Promise((r) => setTimeout(r, 200)); // the rest of the request is on its way
    await kill(bot.child);

    expect(await claimOf(store, plan.id)).toMatchObject({ state: "executing" });
    const trailBefore = (await store.readAudit({ resource: plan.id })).map((e) => e.event).reverse();
    expect(trailBefore).toEqual(["plan-created", "approved"]);
    const restarted = await startBot(prefix);
    const posts = await reconciledPosts(plan.id);

    expect(await ruleInAws()).toBe(true);
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "done", outcome: "executed" });
    expect(JSON.parse((await store.get(`plan:${plan.id}`))!).state).toBe("executed");
    const trail = await store.readAudit({ resource: plan.id });
    expect(trail.map((e) => e.event).reverse()).toEqual(["plan-created", "approved", "executed", "verified"]);
    expect(trail[1].detail).toMatch(/reconciled/);
    expect(posts.update).toContain("Applied and verified");
    expect(posts.update).toContain(ACTION.undo);
    expect(posts.update).not.toContain(ACTION.approve);
    expect(posts.reply).toMatch(/interrupted/);
    // Undo is available: the inverse plan is made (and would revoke exactly the added rule).
    const undo = await flow.undo(plan.id, REQUESTER);
    expect(undo.calls.map((c) => c.action)).toEqual(["RevokeSecurityGroupIngress"]);
    await kill(restarted.child);
  }, 120_000);
});
