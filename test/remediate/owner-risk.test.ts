/**
 * A plan on an owned resource carries the warning that its owner reverts a direct change: the tags are read
 * at planning time through the real SDK client against the simulator.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FixOffer } from "../../src/remediate/offers.ts";
import { fixModule } from "../../src/remediate/fixes.ts";
import { OWNER_REVERTS } from "../../src/remediate/owner-risk.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim(join(import.meta.dirname, "../../scenarios/healthy.yaml"), { maxAttempts: 1 });
});
afterAll(async () => sim?.close());
beforeEach(() => {
  sim.world.faults.length = 0;
  sim.world.loadBalancers[0].Tags = [];
});

function offer(seconds: number): FixOffer {
  const lb = sim.world.loadBalancers[0];
  return {
    offerId: "fx_test000",
    loadBalancer: { name: lb.LoadBalancerName, arn: lb.LoadBalancerArn },
    findingId: "keepalive-race",
    fix: { id: "set-idle-timeout", automated: true, summary: "", params: { idleTimeoutSeconds: seconds } },
    window: {
      start: new Date(sim.world.now.getTime() - 3600_000).toISOString(),
      end: sim.world.now.toISOString(),
    },
    createdAt: sim.world.now.toISOString(),
  };
}
const plan = (seconds: number) =>
  fixModule("set-idle-timeout").plan({ clients: sim.clients, offer: offer(seconds), now: sim.world.now });

describe("owner-reverts risk", () => {
  it("warns that the controller reverts a direct change, naming the Ingress", async () => {
    sim.world.loadBalancers[0].Tags = [
      { Key: "elbv2.k8s.aws/cluster", Value: "shop-prod" },
      { Key: "ingress.k8s.aws/stack", Value: "shop/web" },
    ];
    const draft = await plan(120);
    const risk = draft.risks.find((r) => r.id === OWNER_REVERTS);
    expect(risk?.level).toBe("warn");
    expect(risk?.message).toContain("Ingress shop/web");
    expect(risk?.message).toContain("reverts a direct change at its next reconcile");
  });

  it("names the CloudFormation stack", async () => {
    sim.world.loadBalancers[0].Tags = [{ Key: "aws:cloudformation:stack-name", Value: "edge-prod" }];
    const risk = (await plan(120)).risks.find((r) => r.id === OWNER_REVERTS);
    expect(risk?.message).toContain("CloudFormation stack edge-prod");
  });

  it("no owner tags, no warning; a no-op plan carries none either", async () => {
    expect((await plan(120)).risks.map((r) => r.id)).not.toContain(OWNER_REVERTS);
    sim.world.loadBalancers[0].Tags = [{ Key: "ingress.k8s.aws/stack", Value: "shop/web" }];
    const current = Number(sim.world.loadBalancers[0].Attributes["idle_timeout.timeout_seconds"] ?? 60);
    const noop = await plan(current);
    expect(noop.noop).toBe(true);
    expect(noop.risks.map((r) => r.id)).not.toContain(OWNER_REVERTS);
  });

  it("unreadable tags: the owner is said to be unknown", async () => {
    sim.world.faults.push({ Service: "elbv2", Action: "DescribeTags", Error: "AccessDenied", fired: 0 });
    const risk = (await plan(120)).risks.find((r) => r.id === OWNER_REVERTS);
    expect(risk?.message).toMatch(/^Owner unknown .*elasticloadbalancing:DescribeTags/);
  });
});
