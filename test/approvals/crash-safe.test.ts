/**
 * Crash-safe execution, in one process: the real flow on the real Redis (directly or through a proxy a test
 * stops or pauses) and the simulator over HTTP with the real SDK clients. A write slower than its deadline,
 * a write whose outcome cannot be read, Redis lost after the change, and a claim that timed out but landed.
 * (A real process killed mid-change is crash-restart.test.ts.)
 */
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApprovalFlow } from "../../src/approvals/flow.ts";
import { createApproverPolicy } from "../../src/approvals/policy.ts";
import { type AwsClients, createAwsClients, SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { renderOutcome } from "../../src/slack/blocks/plan.ts";
import { startRedisProxy } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import { startTap } from "../helpers/tap.ts";
import { OFFERS, remediationScenario } from "../remediate/fixture.ts";
import { redisStores, writesSince } from "../remediate/helpers.ts";

const REQUESTER = "UREQUESTER";
const APPROVER = "UAPPROVER";
const redis = redisStores();

let sim: TestSim;
const extraClients: AwsClients[] = [];
beforeEach(async () => {
  sim = await startTestSim(remediationScenario());
});
afterEach(async () => {
  for (const c of extraClients.splice(0)) c.destroy();
  await sim.close();
});
afterAll(() => redis.cleanup());

/** SDK clients whose calls give up after `deadlineMs` (the simulator may take longer). */
function clientsWithDeadline(deadlineMs: number, endpoint = sim.endpoint): AwsClients {
  const clients = createAwsClients({
    region: "us-east-1",
    endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: 1,
    callDeadlineMs: deadlineMs,
  });
  extraClients.push(clients);
  return clients;
}

function flowOn(store: Store, aws: AwsClients, over: Partial<Parameters<typeof createApprovalFlow>[0]> = {}) {
  return createApprovalFlow({
    store,
    aws,
    policy: createApproverPolicy({ approvers: [APPROVER], allowSelfApproval: false }),
    planTtlSeconds: 900,
    now: () => new Date(),
    replicaId: "test-replica",
    ...over,
  });
}

/** Does sg-app admit tcp 8080 from sg-alb (what allow-alb-to-target adds)? Read from the simulator. */
async function ruleInAws(): Promise<boolean> {
  const out = await sim.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
  return (out.SecurityGroups?.[0].IpPermissions ?? []).some(
    (p) => p.FromPort === 8080 && p.UserIdGroupPairs?.some((u) => u.GroupId === "sg-alb"),
  );
}

const slowWrite = (LatencyMs: number, extra: Record<string, unknown> = {}) =>
  sim.world.faults.push({
    Service: "ec2",
    Action: "AuthorizeSecurityGroupIngress",
    LatencyMs,
    fired: 0,
    ...extra,
  });

const describeCalls = () => sim.world.callLog.filter((c) => c.action === "DescribeSecurityGroups").length;

async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function claimOf(store: Store, planId: string) {
  const raw = await store.get(`plan:${planId}:claim`);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}

async function planState(store: Store, planId: string) {
  return (JSON.parse((await store.get(`plan:${planId}`))!) as { state: string }).state;
}

const events = async (store: Store, planId: string) =>
  (await store.readAudit({ resource: planId })).map((e) => e.event).reverse();

describe("a write slower than its deadline", () => {
  it("that was in fact applied is reported applied and verified, with Undo", async () => {
    const store = redis.open(redis.prefix("slow-applied"));
    const flow = flowOn(store, clientsWithDeadline(700), { settleMs: 4000 });
    const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    slowWrite(1500);
    const mark = sim.world.callLog.length;

    const result = await flow.approve(plan.id, APPROVER);
    expect(result.outcome).toBe("executed");
    expect(result.message).toMatch(/did not complete .*Timeout.*re-reading shows the change/);
    expect(result.verification?.ok).toBe(true);
    expect(await ruleInAws()).toBe(true);
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
    ]);
    expect(await events(store, plan.id)).toEqual(["plan-created", "approved", "executed", "verified"]);
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "done", outcome: "executed" });
    expect(await planState(store, plan.id)).toBe("executed");
    // Undo is offered and works.
    expect(JSON.stringify(renderOutcome(result).blocks)).toContain("alb_plan_undo");
    const undo = await flow.undo(plan.id, REQUESTER);
    expect((await flow.approve(undo.id, APPROVER)).outcome).toBe("executed");
    expect(await ruleInAws()).toBe(false);
  });

  it("that was not applied is failed, says nothing changed, and offers no Undo", async () => {
    const store = redis.open(redis.prefix("slow-refused"));
    const flow = flowOn(store, clientsWithDeadline(700), { settleMs: 1500 });
    const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    slowWrite(1000, { Error: "InternalError" });

    const result = await flow.approve(plan.id, APPROVER);
    expect(result.outcome).toBe("failed");
    expect(result.message).toMatch(/re-reading shows nothing changed/);
    expect(await ruleInAws()).toBe(false);
    expect(JSON.stringify(renderOutcome(result).blocks)).not.toContain("alb_plan_undo");
    expect(await events(store, plan.id)).toEqual(["plan-created", "approved", "execution-failed"]);
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "done", outcome: "failed" });
    await expect(flow.undo(plan.id, REQUESTER)).rejects.toMatchObject({ code: "conflict" });
  });

  it("whose resource cannot be re-read is 'unknown', and the reconciler settles it once the lease expires", async () => {
    const store = redis.open(redis.prefix("slow-unknown"));
    const flow = flowOn(store, clientsWithDeadline(700), { settleMs: 800, leaseSeconds: 3 });
    const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    slowWrite(1500);
    const readsBefore = describeCalls();

    const approving = flow.approve(plan.id, APPROVER);
    // The drift check has read the group: from now on every read fails (the write is still in flight).
    await until(() => describeCalls() > readsBefore, "the drift check");
    const readFault = {
      Service: "ec2" as const,
      Action: "DescribeSecurityGroups",
      Error: "InternalError",
      fired: 0,
    };
    sim.world.faults.push(readFault);
    const result = await approving;
    expect(result.outcome).toBe("unknown");
    expect(result.message).toMatch(/outcome is unknown\. Re-checking/);
    expect(JSON.stringify(renderOutcome(result).blocks)).not.toContain("alb_plan_undo");
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "executing" });
    expect(await events(store, plan.id)).toEqual(["plan-created", "approved", "outcome-unknown"]);
    // Nothing to reconcile while the lease holds.
    expect(await flow.reconcile()).toEqual([]);

    sim.world.faults.splice(sim.world.faults.indexOf(readFault), 1);
    await until(async () => Date.now() > Number((await claimOf(store, plan.id))!.leaseUntil), "the lease");
    const [reconciled, ...more] = await flow.reconcile();
    expect(more).toEqual([]);
    expect(reconciled).toMatchObject({ outcome: "executed", reconciled: true, approvedBy: APPROVER });
    expect(await ruleInAws()).toBe(true);
    expect(await events(store, plan.id)).toEqual([
      "plan-created",
      "approved",
      "outcome-unknown",
      "executed",
      "verified",
    ]);
    expect(await claimOf(store, plan.id)).toMatchObject({ state: "done", outcome: "executed" });
    expect(await planState(store, plan.id)).toBe("executed");
    expect(await flow.reconcile()).toEqual([]);
  });
});

describe("Redis lost during execution", () => {
  it("tells the user the change is applied and its audit pending, and lands the audit when Redis is back", async () => {
    const proxy = await startRedisProxy();
    const prefix = redis.prefix("redis-lost");
    const store = redis.open(prefix, proxy.url);
    const direct = redis.open(prefix);
    const tap = await startTap(sim.endpoint);
    const flow = flowOn(store, clientsWithDeadline(10_000, tap.url));
    const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    slowWrite(1200);

    const write = tap.seen("Action=AuthorizeSecurityGroupIngress");
    const approving = flow.approve(plan.id, APPROVER);
    await write; // the lease was renewed, the write is in flight (1.2 s): Redis goes now
    await proxy.stop();
    const result = await approving;

    expect(result.outcome).toBe("executed");
    expect(result.auditPending).toBe(true);
    expect(JSON.stringify(renderOutcome(result).blocks)).toMatch(
      /change is applied, but its audit entry is pending/,
    );
    expect(await ruleInAws()).toBe(true);
    // Nothing could be recorded yet.
    expect(await events(direct, plan.id)).toEqual(["plan-created", "approved"]);
    expect(await claimOf(direct, plan.id)).toMatchObject({ state: "executing" });

    await proxy.start();
    expect(await flow.pendingWrites.idle(20_000)).toBe(true);
    expect(await events(direct, plan.id)).toEqual(["plan-created", "approved", "executed", "verified"]);
    expect(await claimOf(direct, plan.id)).toMatchObject({ state: "done", outcome: "executed" });
    expect(await planState(direct, plan.id)).toBe("executed");
    await proxy.stop();
    await tap.close();
  });
});

describe("a claim that timed out but landed later", () => {
  it("does not wedge the plan: the approver's next click takes it over and the change runs once", async () => {
    const proxy = await startRedisProxy();
    const prefix = redis.prefix("late-claim");
    const slowStore = createRedisStore({ url: proxy.url, keyPrefix: prefix, commandTimeoutMs: 300 });
    const direct = redis.open(prefix);
    const flow = flowOn(slowStore, sim.clients);
    const other = flowOn(direct, sim.clients, { replicaId: "other-replica", leaseSeconds: 2 });
    try {
      const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
      const mark = sim.world.callLog.length;
      proxy.pause("ZADD"); // the claim's script
      await expect(flow.approve(plan.id, APPROVER)).rejects.toMatchObject({ code: "store-unavailable" });
      proxy.resume();
      // The claim landed after the caller gave up.
      await until(() => claimOf(direct, plan.id), "the late claim");
      expect(writesSince(sim.world.callLog, mark)).toEqual([]);
      // Another replica cannot tell it from a live execution: it waits for the lease.
      await expect(other.approve(plan.id, APPROVER)).rejects.toThrow(/already approved/);

      const result = await flow.approve(plan.id, APPROVER);
      expect(result.outcome).toBe("executed");
      expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
        "AuthorizeSecurityGroupIngress",
      ]);
      expect(await claimOf(direct, plan.id)).toMatchObject({ state: "done", outcome: "executed" });
      expect(await events(direct, plan.id)).toEqual(["plan-created", "approved", "executed", "verified"]);
    } finally {
      await slowStore.close();
      await proxy.stop();
    }
  });

  it("left alone, is closed by the reconciler as not applied once its lease expires", async () => {
    const proxy = await startRedisProxy();
    const prefix = redis.prefix("late-claim-2");
    const slowStore = createRedisStore({ url: proxy.url, keyPrefix: prefix, commandTimeoutMs: 300 });
    const direct = redis.open(prefix);
    const flow = flowOn(slowStore, sim.clients, { leaseSeconds: 2 });
    const reconciler = flowOn(direct, sim.clients, { replicaId: "other-replica" });
    try {
      const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
      proxy.pause("ZADD"); // the claim's script
      await expect(flow.approve(plan.id, APPROVER)).rejects.toMatchObject({ code: "store-unavailable" });
      proxy.resume();
      await until(() => claimOf(direct, plan.id), "the late claim");
      await new Promise((r) => setTimeout(r, 2100));
      const [outcome] = await reconciler.reconcile();
      expect(outcome).toMatchObject({ outcome: "failed", reconciled: true });
      expect(outcome.message).toMatch(/not applied, nothing changed/);
      expect(await ruleInAws()).toBe(false);
      expect(await claimOf(direct, plan.id)).toMatchObject({ state: "done", outcome: "failed" });
      expect((await events(direct, plan.id)).at(-1)).toBe("not-applied");
    } finally {
      await slowStore.close();
      await proxy.stop();
    }
  });
});
