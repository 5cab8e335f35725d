/**
 * The full remediation flow per fix, at the service level: real Redis store, the simulator over HTTP with the
 * real SDK clients. Offer -> plan (from current AWS state) -> approve (exactly one write call) -> verify ->
 * undo -> approve (the state described by AWS is again exactly what it was before the fix).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApprovalFlow, createApprovalFlow } from "../../src/approvals/flow.ts";
import { createApproverPolicy } from "../../src/approvals/policy.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import { NOW, OFFERS, remediationScenario } from "./fixture.ts";
import { attr, describeAll, writesSince } from "./helpers.ts";

const REQUESTER = "UREQUESTER";
const APPROVER = "UAPPROVER";

let sim: TestSim;
let store: Store;
let flow: ApprovalFlow;
const prefix = uniquePrefix("flow");

beforeAll(async () => {
  store = createRedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix, connectTimeoutMs: 3000 });
});
afterAll(async () => {
  await store.close();
  await deletePrefix(prefix);
});
beforeEach(async () => {
  sim = await startTestSim(remediationScenario());
  flow = createApprovalFlow({
    store,
    aws: sim.clients,
    policy: createApproverPolicy({ approvers: [APPROVER], allowSelfApproval: false }),
    planTtlSeconds: 900,
    now: () => new Date(NOW),
  });
});
afterEach(async () => {
  await sim.close();
});

type Described = Awaited<ReturnType<typeof describeAll>>;

const FIXES = [
  {
    name: "set-idle-timeout (raise 60 -> 120)",
    offer: OFFERS.raiseIdleTimeout,
    write: "ModifyLoadBalancerAttributes",
    changed: (d: Described) => attr(d.lbAttrs.Attributes, "idle_timeout.timeout_seconds") === "120",
  },
  {
    name: "allow-alb-to-target (tcp 8080 from sg-alb on sg-app)",
    offer: OFFERS.allowAlb,
    write: "AuthorizeSecurityGroupIngress",
    undoWrite: "RevokeSecurityGroupIngress",
    changed: (d: Described) =>
      (d.sgs.SecurityGroups ?? [])
        .find((g) => g.GroupId === "sg-app")!
        .IpPermissions!.some(
          (p) => p.FromPort === 8080 && p.UserIdGroupPairs?.some((u) => u.GroupId === "sg-alb"),
        ),
  },
  {
    name: "fix-health-check (path /healthz, matcher 200-299)",
    offer: OFFERS.fixHealthCheck,
    write: "ModifyTargetGroup",
    changed: (d: Described) =>
      d.tgs.TargetGroups?.[0].HealthCheckPath === "/healthz" &&
      d.tgs.TargetGroups?.[0].Matcher?.HttpCode === "200-299",
  },
  {
    name: "set-deregistration-delay (300 -> 90)",
    offer: OFFERS.deregistrationDelay,
    write: "ModifyTargetGroupAttributes",
    changed: (d: Described) => attr(d.tgAttrs.Attributes, "deregistration_delay.timeout_seconds") === "90",
  },
  {
    name: "enable-access-logs (to a bucket whose policy allows delivery)",
    offer: () => OFFERS.enableAccessLogs("logs-ok"),
    write: "ModifyLoadBalancerAttributes",
    changed: (d: Described) =>
      attr(d.lbAttrs.Attributes, "access_logs.s3.enabled") === "true" &&
      attr(d.lbAttrs.Attributes, "access_logs.s3.bucket") === "logs-ok",
  },
];

describe.each(FIXES)("$name", (fix) => {
  it("plans from AWS, runs exactly one write on approval, verifies, and undo restores the exact state", async () => {
    const initial = await describeAll(sim.clients);
    expect(fix.changed(initial)).toBe(false);

    const plan = await flow.createPlan(fix.offer(), REQUESTER);
    expect(plan.noop).toBe(false);
    expect(plan.risks.filter((r) => r.level === "block")).toEqual([]);
    expect(plan.calls.map((c) => c.action)).toEqual([fix.write]);

    const mark = sim.world.callLog.length;
    const result = await flow.approve(plan.id, APPROVER);
    expect(result.outcome).toBe("executed");
    expect(result.verification?.ok).toBe(true);
    const writes = writesSince(sim.world.callLog, mark);
    expect(writes.map((w) => w.action)).toEqual([fix.write]);
    expect(result.requestIds).toEqual([writes[0].requestId]);
    expect(fix.changed(await describeAll(sim.clients))).toBe(true);

    const trail = await store.readAudit({ resource: plan.id });
    expect(trail.map((e) => e.event)).toEqual(["verified", "executed", "approved", "plan-created"]);
    expect(trail[1]).toMatchObject({
      actor: APPROVER,
      awsRequestId: writes[0].requestId,
      before: plan.before,
      after: plan.after,
    });

    // Undo: requested by anyone, approved by an approver, exactly the inverse call.
    const undo = await flow.undo(plan.id, REQUESTER);
    expect(undo.undoOf).toBe(plan.id);
    expect(undo.before).toEqual(plan.after);
    expect(undo.after).toEqual(plan.before);
    const undoMark = sim.world.callLog.length;
    const undone = await flow.approve(undo.id, APPROVER);
    expect(undone.outcome).toBe("executed");
    expect(writesSince(sim.world.callLog, undoMark).map((w) => w.action)).toEqual([
      fix.undoWrite ?? fix.write,
    ]);
    expect(await describeAll(sim.clients)).toEqual(initial);
    expect((await flow.getPlan(plan.id)).state).toBe("undone");
  });
});

describe("no-op and blocking risk checks", () => {
  it("an ingress rule that already exists makes a no-op plan that never calls AWS", async () => {
    const first = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    await flow.approve(first.id, APPROVER);
    const mark = sim.world.callLog.length;
    const again = await flow.createPlan(OFFERS.allowAlb(), REQUESTER);
    expect(again.noop).toBe(true);
    expect(again.calls).toEqual([]);
    expect(again.risks.find((r) => r.id === "rule-exists")?.level).toBe("ok");
    await expect(flow.approve(again.id, APPROVER)).rejects.toMatchObject({
      code: "conflict",
      message: /nothing to change/,
    });
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
  });

  it("lowering the idle timeout below the observed maximum is blocked unless the approver overrides it", async () => {
    const plan = await flow.createPlan(OFFERS.lowerIdleTimeout(), REQUESTER);
    const block = plan.risks.find((r) => r.level === "block");
    expect(block).toMatchObject({ id: "lower-idle-timeout", overridable: true });
    expect(block!.message).toMatch(/59\.9 s/);
    expect(block!.message).toContain("--override lower-idle-timeout");
    const mark = sim.world.callLog.length;
    await expect(flow.approve(plan.id, APPROVER)).rejects.toMatchObject({
      code: "conflict",
      message: /blocked by risk check/,
    });
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
    // The refusal did not consume the plan: the override runs it.
    const result = await flow.approve(plan.id, APPROVER, { overrides: ["lower-idle-timeout"] });
    expect(result.outcome).toBe("executed");
    expect(writesSince(sim.world.callLog, mark).map((w) => w.action)).toEqual([
      "ModifyLoadBalancerAttributes",
    ]);
    const approved = (await store.readAudit({ resource: plan.id })).find((e) => e.event === "approved");
    expect(approved?.detail).toContain("lower-idle-timeout");
  });

  it("access logs to a bucket whose policy does not allow ELB delivery are blocked, not overridable", async () => {
    const plan = await flow.createPlan(OFFERS.enableAccessLogs("logs-closed"), REQUESTER);
    expect(plan.risks.find((r) => r.id === "bucket-policy")).toMatchObject({
      level: "block",
      overridable: false,
    });
    const mark = sim.world.callLog.length;
    await expect(flow.approve(plan.id, APPROVER, { overrides: ["bucket-policy"] })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(writesSince(sim.world.callLog, mark)).toEqual([]);
    expect(sim.world.callLog.some((c) => c.action === "GetBucketPolicy")).toBe(true);
  });
});
