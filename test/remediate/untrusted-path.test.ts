/**
 * A health-check path that came from traffic is validated again when the plan is made: an offer carrying an
 * unsafe path is refused before any plan is stored, and AWS is not written. Real Redis, the simulator over
 * HTTP with the real SDK clients.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApprovalFlow, createApprovalFlow } from "../../src/approvals/flow.ts";
import { createApproverPolicy } from "../../src/approvals/policy.ts";
import { healthCheckPathProblem } from "../../src/diagnose/fixes/fix-health-check.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from "../helpers/redis.ts";
import { type TestSim, startTestSim } from "../helpers/sim.ts";
import { NOW, TG_ARN, offer, remediationScenario } from "./fixture.ts";
import { describeAll, writesSince } from "./helpers.ts";

const UNSAFE = [
  "/api/v1/../../admin/health",
  "/api/<!channel>/health",
  "/%2e%2e/admin/health",
  "/health%0d%0aX: y",
  "/./health",
  "health",
  "/api/:id/health",
  "/health\u202e",
  `/${"h".repeat(1024)}`,
];

describe("healthCheckPathProblem", () => {
  it.each(UNSAFE)("refuses %j", (path) => {
    expect(healthCheckPathProblem(path)).toBeDefined();
  });

  it.each(["/healthz", "/api/v1/health", "/status/ready", "/_health", "/health;v=1", "/@status"])(
    "accepts %j",
    (path) => {
      expect(healthCheckPathProblem(path)).toBeUndefined();
    },
  );
});

let sim: TestSim;
let store: Store;
let flow: ApprovalFlow;
const prefix = uniquePrefix("untrusted-path");

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
    policy: createApproverPolicy({ approvers: ["UAPPROVER"], allowSelfApproval: false }),
    planTtlSeconds: 900,
    now: () => new Date(NOW),
  });
});
afterEach(async () => {
  await sim.close();
});

describe("fix-health-check planning", () => {
  it.each(UNSAFE.slice(0, 3))(
    "refuses an offer whose path is %j, stores no plan, writes nothing",
    async (path) => {
      const before = await describeAll(sim.clients);
      const mark = sim.world.callLog.length;
      const hostile = offer("health-check-misconfigured", {
        id: "fix-health-check",
        params: { targetGroupArn: TG_ARN, HealthCheckPath: path },
      });
      await expect(flow.createPlan(hostile, "UREQUESTER")).rejects.toThrow(/refusing the health-check path/);
      expect(writesSince(sim.world.callLog, mark)).toEqual([]);
      expect(await store.readAudit({})).toEqual([]);
      expect((await describeAll(sim.clients)).tgs.TargetGroups?.[0].HealthCheckPath).toBe(
        before.tgs.TargetGroups?.[0].HealthCheckPath,
      );
    },
  );

  it("plans a plain path and shows it verbatim", async () => {
    const plan = await flow.createPlan(
      offer("health-check-misconfigured", {
        id: "fix-health-check",
        params: { targetGroupArn: TG_ARN, HealthCheckPath: "/api/v1/health" },
      }),
      "UREQUESTER",
    );
    expect(plan.after.HealthCheckPath).toBe("/api/v1/health");
  });
});
