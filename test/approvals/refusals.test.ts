/**
 * Every refusal of the approval flow leaves AWS untouched, asserted from the simulator's call log:
 * self-approval, a user who is not an approver, an expired plan (injected clock), a rejected plan, drift
 * (the world changed between plan and approval), and Redis stopped mid-flow. Plus exactly-once under 200
 * concurrent approvals from two flows on separate Redis connections (two replicas).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ApprovalFlow, createApprovalFlow } from "../../src/approvals/flow.ts";
import { createApproverPolicy } from "../../src/approvals/policy.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/store.ts";
import { startRedisProxy } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import { NOW, OFFERS, remediationScenario } from "../remediate/fixture.ts";
import { redisStores, writesSince } from "../remediate/helpers.ts";

const REQUESTER = "UREQUESTER";
const APPROVER = "UAPPROVER";
const APPROVERS = [APPROVER, ...Array.from({ length: 200 }, (_, i) => `UAPP${i}`)];

let sim: TestSim;
let clock: number;
const redis = redisStores();

function flowOn(store: Store): ApprovalFlow {
  return createApprovalFlow({
    store,
    aws: sim.clients,
    policy: createApproverPolicy({ approvers: APPROVERS, allowSelfApproval: false }),
    planTtlSeconds: 900,
    now: () => new Date(clock),
  });
}

let store: Store;
let flow: ApprovalFlow;
beforeEach(async () => {
  clock = Date.parse(NOW);
  sim = await startTestSim(remediationScenario());
  const prefix = redis.prefix("refusals");
  store = redis.open(prefix);
  flow = flowOn(store);
});
afterEach(async () => {
  await sim.close();
});
afterAll(redis.cleanup);

describe("refusals leave AWS untouched", () => {
  const refusals = [
    {
      name: "self-approval (two-person rule)",
      act: (f: ApprovalFlow, id: string) => f.approve(id, REQUESTER),
      error: { code: "forbidden", message: expect.stringMatching(/cannot also approve/) },
    },
    {
      name: "a user who is not an approver",
      act: (f: ApprovalFlow, id: string) => f.approve(id, "UMALLORY"),
      error: { code: "forbidden", message: expect.stringMatching(/not an approver/) },
    },
    {
      name: "an expired plan",
      act: (f: ApprovalFlow, id: string) => {
        clock += 901_000;
        return f.approve(id, APPROVER);
      },
      error: { code: "conflict", message: expect.stringMatching(/expired/) },
    },
    {
      name: "a rejected plan",
      act: async (f: ApprovalFlow, id: string) => {
        await f.reject(id, APPROVER);
        return f.approve(id, "UAPP1");
      },
      error: { code: "conflict", message: expect.stringMatching(/already rejected by <@UAPPROVER>/) },
    },
    {
      name: "a second approval after the first",
      act: async (f: ApprovalFlow, id: string) => {
        await f.approve(id, APPROVER);
        return f.approve(id, "UAPP1");
      },
      error: { code: "conflict", message: expect.stringMatching(/already approved by <@UAPPROVER>/) },
      writes: 1,
    },
  ];
  it.each(refusals)("$name", async ({ act, error, writes }) => {
    const plan = await flow.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER);
    const mark = sim.world.callLog.length;
    await expect(act(flow, plan.id)).rejects.toMatchObject(error);
    expect(writesSince(sim.world.callLog, mark)).toHaveLength(writes ?? 0);
    const lb = sim.world.loadBalancers[0];
    expect(lb.Attributes["idle_timeout.timeout_seconds"]).toBe(writes ? "120" : "60");
  });

  it("drift: the resource changed after planning, so the approval aborts and says so", async () => {
    const plan = await flow.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER);
    sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"] = "45"; // someone else changed it
    const mark = sim.world.callLog.length;
    const result = await flow.approve(plan.id, APPROVER);
    expect(result.outcome).toBe("drifted");
    expect(result.message).toMatch(/idle_timeout\.timeout_seconds is now 45, planned from 60/);
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
    expect(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("45");
    const events = (await store.readAudit({ resource: plan.id })).map((e) => e.event);
    expect(events).toContain("drift-detected");
    await expect(flow.approve(plan.id, "UAPP1")).rejects.toMatchObject({ code: "conflict" });
  });

  it("drift on a security group: the rule appeared meanwhile, nothing is added twice", async () => {
    const plan = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    sim.world.securityGroups
      .find((g) => g.GroupId === "sg-app")!
      .IpPermissions.push({
        IpProtocol: "tcp",
        FromPort: 8080,
        ToPort: 8080,
        UserIdGroupPairs: [{ GroupId: "sg-alb" }],
      });
    const mark = sim.world.callLog.length;
    expect((await flow.approve(plan.id, APPROVER)).outcome).toBe("drifted");
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
  });

  it("Redis stopped mid-flow: approvals are unavailable and nothing changes AWS", async () => {
    const proxy = await startRedisProxy();
    const prefix = redis.prefix("redis-down");
    const viaProxy = flowOn(redis.open(prefix, proxy.url));
    const plan = await viaProxy.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER);
    await proxy.stop();
    const mark = sim.world.callLog.length;
    for (const attempt of [
      () => viaProxy.approve(plan.id, APPROVER),
      () => viaProxy.reject(plan.id, APPROVER),
      () => viaProxy.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER),
    ])
      await expect(attempt()).rejects.toMatchObject({
        code: "store-unavailable",
        message: expect.stringMatching(/^approvals are unavailable/),
      });
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
    expect(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("60");
  });
});

describe("exactly once", () => {
  it("200 concurrent approvals through two replicas (separate Redis connections): one write call", async () => {
    const prefix = redis.prefix("once");
    const replicas = [flowOn(redis.open(prefix)), flowOn(redis.open(prefix))];
    const plan = await replicas[0].createPlan(OFFERS.allowAlb(), REQUESTER);
    const mark = sim.world.callLog.length;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => replicas[i % 2].approve(plan.id, `UAPP${i}`)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    const winner = (ok[0] as PromiseFulfilledResult<{ approvedBy: string; outcome: string }>).value;
    expect(winner.outcome).toBe("executed");
    for (const r of results.filter((x) => x.status === "rejected"))
      expect((r as PromiseRejectedResult).reason.message).toContain(
        `already approved by <@${winner.approvedBy}>`,
      );
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
    ]);
  });
});

describe("exactly once with the embedded store", () => {
  it("200 concurrent approvals in one process on the memory store: one write", async () => {
    const memory = createMemoryStore();
    const f = flowOn(memory);
    const plan = await f.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER);
    const mark = sim.world.callLog.length;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => f.approve(plan.id, `UAPP${i}`)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "ModifyLoadBalancerAttributes",
    ]);
  });
});

describe("undo", () => {
  it("concurrent Undo clicks prepare one undo plan; an undone plan cannot be undone again", async () => {
    const plan = await flow.createPlan(OFFERS.raiseIdleTimeout(), REQUESTER);
    await flow.approve(plan.id, APPROVER);
    const undos = await Promise.all(Array.from({ length: 20 }, (_, i) => flow.undo(plan.id, `UAPP${i}`)));
    expect(new Set(undos.map((u) => u.id)).size).toBe(1);
    const mark = sim.world.callLog.length;
    await flow.approve(undos[0].id, APPROVER);
    expect(writesSince(sim.world.callLog, mark)).toHaveLength(1);
    expect(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"]).toBe("60");
    await expect(flow.undo(plan.id, REQUESTER)).rejects.toMatchObject({
      code: "conflict",
      message: /undone/,
    });
  });

  it("an expired undo plan can be replaced by a new one; a plan that never ran cannot be undone", async () => {
    const plan = await flow.createPlan(OFFERS.deregistrationDelay(), REQUESTER);
    await expect(flow.undo(plan.id, REQUESTER)).rejects.toMatchObject({ code: "conflict" });
    await flow.approve(plan.id, APPROVER);
    const first = await flow.undo(plan.id, REQUESTER);
    clock += 901_000;
    await expect(flow.approve(first.id, APPROVER)).rejects.toMatchObject({ message: /expired/ });
    const second = await flow.undo(plan.id, REQUESTER);
    expect(second.id).not.toBe(first.id);
    expect((await flow.approve(second.id, APPROVER)).outcome).toBe("executed");
    expect(sim.world.targetGroups[0].Attributes["deregistration_delay.timeout_seconds"]).toBe("300");
  });
});
