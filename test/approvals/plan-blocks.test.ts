/** The plan, result and history messages: content people need, buttons carrying only the plan id, Slack limits. */
import { describe, expect, it } from "vitest";
import type { ApprovalOutcome } from "../../src/approvals/flow.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import type { Plan } from "../../src/remediate/plan.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import { renderAudit } from "../../src/slack/blocks/audit.ts";
import { limitViolations } from "../../src/slack/blocks/limits.ts";
import { renderOutcome, renderPlan, renderRefusal } from "../../src/slack/blocks/plan.ts";
import type { AuditEntry } from "../../src/store/store.ts";

const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";

function plan(over: Partial<Plan> = {}): Plan {
  return {
    id: "pl_abcdefgh",
    fixId: "set-idle-timeout",
    findingId: "keepalive-race",
    loadBalancer: { name: "my-alb", arn: LB_ARN },
    resource: LB_ARN,
    resources: [LB_ARN],
    calls: [{ service: "elbv2", action: "ModifyLoadBalancerAttributes", resource: LB_ARN, params: {} }],
    before: { "idle_timeout.timeout_seconds": "60" },
    after: { "idle_timeout.timeout_seconds": "4" },
    summary: "idle_timeout.timeout_seconds 60 -> 4 on my-alb",
    risks: [],
    multiResource: false,
    noop: false,
    data: {},
    requestedBy: "U0ALICE",
    createdAt: "2026-03-15T14:30:00.000Z",
    expiresAt: "2026-03-15T14:45:00.000Z",
    state: "pending",
    ...over,
  };
}

type Button = { action_id: string; value: string; confirm?: unknown; style?: string };
const buttons = (blocks: unknown): Button[] =>
  ((blocks ?? []) as { type: string; elements?: Button[] }[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? []);
const text = (m: { blocks?: unknown }) => JSON.stringify(m.blocks);

describe("plan message", () => {
  it("shows before -> after, the AWS call, who may approve and the expiry; buttons carry only the plan id", () => {
    const m = renderPlan(
      plan({ risks: [{ id: "observed-durations", level: "ok", message: "fast", overridable: false }] }),
      {
        approvers: "<@U0BOB>",
      },
    );
    expect(limitViolations(m.blocks!)).toEqual([]);
    expect(text(m)).toContain("`60` → *`4`*");
    expect(text(m)).toContain("ModifyLoadBalancerAttributes");
    expect(text(m)).toContain("may approve: <@U0BOB>");
    const expires = Date.parse("2026-03-15T14:45:00.000Z") / 1000;
    expect(text(m)).toContain(`<!date^${expires}^{time}|2026-03-15T14:45:00.000Z>`);
    expect(text(m)).toContain(":white_check_mark: fast");
    const bs = buttons(m.blocks);
    expect(bs.map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.approve, "pl_abcdefgh"],
      [ACTION.reject, "pl_abcdefgh"],
    ]);
    expect(bs.every((b) => b.confirm)).toBe(true);
  });

  it("a blocked plan has no Approve button and names the override command", () => {
    const m = renderPlan(
      plan({
        risks: [{ id: "lower-idle-timeout", level: "block", message: "slow requests", overridable: true }],
      }),
      { approvers: "<@U0BOB>" },
    );
    expect(buttons(m.blocks).map((b) => b.action_id)).toEqual([ACTION.reject]);
    expect(text(m)).toContain("/alb fix pl_abcdefgh --override lower-idle-timeout");
    expect(text(m)).toContain(":no_entry: slow requests");
  });

  it("a no-op plan says there is nothing to change and offers no buttons", () => {
    const m = renderPlan(plan({ noop: true, calls: [], after: { "idle_timeout.timeout_seconds": "60" } }), {
      approvers: "<@U0BOB>",
    });
    expect(buttons(m.blocks)).toEqual([]);
    expect(text(m)).toContain("Nothing to change");
  });

  it("a change touching several resources says so", () => {
    const m = renderPlan(plan({ multiResource: true, resources: ["sg-1", "sg-2"] }), { approvers: "x" });
    expect(text(m)).toContain("This change touches 2 resources");
  });

  it("stays within Slack's limits with huge values and many risks", () => {
    const before = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`setting.${i}`, "x".repeat(500)]),
    );
    const after = Object.fromEntries(Object.keys(before).map((k) => [k, "y".repeat(500)]));
    const risks = Array.from({ length: 30 }, (_, i) => ({
      id: `r${i}`,
      level: "warn" as const,
      message: "z".repeat(400),
      overridable: false,
    }));
    const m = renderPlan(plan({ before, after, risks, summary: "s".repeat(5000) }), {
      approvers: "a".repeat(3000),
    });
    expect(limitViolations(m.blocks!)).toEqual([]);
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });
});

describe("result message", () => {
  const outcome = (over: Partial<ApprovalOutcome>): ApprovalOutcome => ({
    plan: plan({ state: "executed" }),
    outcome: "executed",
    approvedBy: "U0BOB",
    requestIds: ["req-1"],
    verification: {
      ok: true,
      checks: [{ setting: "idle_timeout.timeout_seconds", wanted: "4", actual: "4", ok: true }],
      summary: "verified",
    },
    message: "Done.",
    ...over,
  });

  it("an executed plan shows the verification, the request id and an Undo button (value: plan id)", () => {
    const m = renderOutcome(outcome({}));
    expect(limitViolations(m.blocks!)).toEqual([]);
    expect(m.text).toMatch(/^Applied and verified/);
    expect(text(m)).toContain("`req-1`");
    expect(text(m)).toContain("approved by <@U0BOB>");
    expect(buttons(m.blocks).map((b) => [b.action_id, b.value])).toEqual([[ACTION.undo, "pl_abcdefgh"]]);
  });

  it("drift and failure offer no Undo; an undo's own result offers none either", () => {
    expect(buttons(renderOutcome(outcome({ outcome: "drifted", verification: undefined })).blocks)).toEqual(
      [],
    );
    expect(buttons(renderOutcome(outcome({ outcome: "failed", verification: undefined })).blocks)).toEqual(
      [],
    );
    expect(buttons(renderOutcome(outcome({ plan: plan({ undoOf: "pl_original" }) })).blocks)).toEqual([]);
  });
});

describe("refusals and history", () => {
  it("refusals keep mentions but escape everything else", () => {
    const m = renderRefusal(
      new AlbDoctorError("conflict", "already approved by <@U0BOB>: a <b> & c"),
      "approving",
    );
    expect(m.response_type).toBe("ephemeral");
    expect(m.text).toContain("already approved by <@U0BOB>");
    expect(m.text).toContain("a &lt;b&gt; &amp; c");
  });

  it("history of 500 entries fits Slack's limits and shows changes and request ids", () => {
    const entries: AuditEntry[] = Array.from({ length: 500 }, (_, i) => ({
      at: "2026-03-15T14:30:00.000Z",
      event: i % 2 ? "executed" : "approved",
      planId: `pl_${String(i).padStart(8, "0")}`,
      fixId: "set-idle-timeout",
      actor: "U0BOB",
      loadBalancer: "my-alb",
      resource: LB_ARN,
      before: { "idle_timeout.timeout_seconds": "60" },
      after: { "idle_timeout.timeout_seconds": "4" },
      awsRequestId: `req-${i}`,
      detail: "d".repeat(400),
    }));
    const m = renderAudit(entries, "my-alb");
    expect(limitViolations(m.blocks!)).toEqual([]);
    expect(text(m)).toContain("`idle_timeout.timeout_seconds` `60` → `4`");
    expect(text(m)).toContain("`req-1`");
    expect(renderAudit([], "x").text).toContain("nothing yet");
  });
});
