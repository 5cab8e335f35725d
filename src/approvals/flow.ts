/**
 * The approval flow of a fix: offer -> plan (stored, audited) -> approve (policy, risk checks, atomic claim,
 * then drift check, apply, verify: execute.ts) | reject; and undo (the inverse plan, through the same approval).
 *
 * Exactly once: the decision on a plan is one SET NX of `plan:<id>:claim` (approve and reject compete for the
 * same key), so double clicks, Slack retries and several replicas lead to at most one execution. Refusals
 * before the claim throw AlbDoctorError("forbidden" | "conflict" | "not-found"); outcomes after it (executed,
 * unverified, failed, drifted) are returned. Fail closed: without the store nothing reaches AWS.
 */
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import type { ObservedDurations } from "../remediate/aws.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type Plan, blockingRisks } from "../remediate/plan.ts";
import type { Store } from "../store/store.ts";
import { type ApprovalOutcome, executePlan } from "./execute.ts";
import { type FixOffer, loadFixOffer } from "./offers.ts";
import { createPlanRecords } from "./plan-records.ts";
import type { ApproverPolicy } from "./policy.ts";

export type { ApprovalOutcome } from "./execute.ts";
export { PLAN_ID } from "./plan-records.ts";

export interface FlowDeps {
  store: Store;
  aws: AwsClients;
  policy: ApproverPolicy;
  planTtlSeconds: number;
  now: () => Date;
  logger?: Logger;
}

export function createApprovalFlow(deps: FlowDeps) {
  const records = createPlanRecords(deps);
  const refuse = async (plan: Plan, user: string, error: AlbDoctorError): Promise<never> => {
    await records.audit(plan, "refused", user, { detail: error.message }).catch(() => undefined);
    throw error;
  };
  const alreadyDecided = (plan: Plan, reason: string | null) =>
    new AlbDoctorError("conflict", `${reason ?? "already decided"}: ${plan.summary}`);
  /** Refuses a plan that is already decided (or no longer pending). */
  const assertOpen = async (plan: Plan) => {
    const reason = await records.closedReason(plan);
    if (reason) throw alreadyDecided(plan, reason);
  };

  /** Fix button: a plan from the offer, built from the current state in AWS. */
  async function createPlan(offerOrId: FixOffer | string, requestedBy: string, observed?: ObservedDurations) {
    const offer = typeof offerOrId === "string" ? await loadFixOffer(deps.store, offerOrId) : offerOrId;
    if (!offer)
      throw new AlbDoctorError("not-found", "this fix offer is unknown or expired: run the check again");
    const draft = await fixModule(offer.fix.id).plan({ clients: deps.aws, offer, now: deps.now(), observed });
    const plan = await records.create(draft, requestedBy, { offerId: offer.offerId });
    await records.audit(plan, "plan-created", requestedBy, {
      before: plan.before,
      after: plan.after,
      detail: plan.noop ? `no-op: ${plan.summary}` : plan.summary,
    });
    return plan;
  }

  async function approve(planId: string, user: string, overrides: string[] = []): Promise<ApprovalOutcome> {
    const plan = await records.get(planId);
    await assertOpen(plan);
    if (deps.now().getTime() >= Date.parse(plan.expiresAt)) {
      await records.audit(plan, "expired", user, { detail: `approval attempted after ${plan.expiresAt}` });
      throw new AlbDoctorError(
        "conflict",
        `plan ${plan.id} expired at ${plan.expiresAt}: click Fix again for a new plan`,
      );
    }
    if (plan.noop) throw new AlbDoctorError("conflict", `nothing to change: ${plan.summary}`);
    await deps.policy.assertMayApprove(user, plan.requestedBy).catch((e: unknown) => {
      if (isAlbDoctorError(e)) return refuse(plan, user, e);
      throw e;
    });
    const blocked = blockingRisks(plan, overrides);
    if (blocked.length)
      await refuse(
        plan,
        user,
        new AlbDoctorError("conflict", `blocked by risk check: ${blocked.map((r) => r.message).join(" ")}`, {
          details: { risks: blocked.map((r) => r.id) },
        }),
      );

    if (!(await records.claim(plan.id, { by: user, decision: "approve", at: deps.now().toISOString() })))
      throw alreadyDecided(plan, await records.closedReason(plan));
    // From here on this caller is the only executor of the plan.
    const overridden = overrides.filter((o) => plan.risks.some((r) => r.id === o && r.level === "block"));
    plan.state = "approved";
    await records.save(plan);
    await records.audit(plan, "approved", user, {
      detail: overridden.length ? `overriding risk checks: ${overridden.join(", ")}` : undefined,
    });
    return executePlan(records, deps.aws, plan, user);
  }

  async function reject(planId: string, user: string): Promise<Plan> {
    const plan = await records.get(planId);
    await assertOpen(plan);
    if (user !== plan.requestedBy && !(await deps.policy.isApprover(user)))
      await refuse(
        plan,
        user,
        new AlbDoctorError("forbidden", "only the requester or an approver may reject this plan"),
      );
    if (!(await records.claim(plan.id, { by: user, decision: "reject", at: deps.now().toISOString() })))
      throw alreadyDecided(plan, await records.closedReason(plan));
    plan.state = "rejected";
    await records.save(plan);
    await records.audit(plan, "rejected", user, { detail: plan.summary });
    return plan;
  }

  /** Undo button: the inverse of an executed plan, as a new pending plan (the same approval applies). */
  async function undo(planId: string, user: string): Promise<Plan> {
    const original = await records.get(planId);
    if (original.state !== "executed" && original.state !== "unverified")
      throw new AlbDoctorError(
        "conflict",
        `plan ${planId} is ${original.state}: only an executed plan can be undone`,
      );
    const previousId = await records.undoOf(planId);
    if (previousId) {
      const previous = await records.get(previousId).catch(() => null);
      if (previous?.state === "pending" && deps.now().getTime() < Date.parse(previous.expiresAt))
        return previous;
      if (previous?.state === "executed" || previous?.state === "approved")
        throw new AlbDoctorError("conflict", `plan ${planId} was already undone by plan ${previous.id}`);
    }
    const plan = await records.create(fixModule(original.fixId).inverse(original), user, {
      undoOf: original.id,
    });
    if (!(await records.linkUndo(planId, plan.id, previousId))) {
      // Another click prepared the undo at the same moment: use theirs.
      await records.remove(plan.id);
      const other = await records.undoOf(planId);
      if (other) return records.get(other);
      throw new AlbDoctorError("conflict", `an undo of plan ${planId} is being prepared: try again`);
    }
    await records.audit(plan, "undo-planned", user, {
      before: plan.before,
      after: plan.after,
      detail: `undo of ${original.id}`,
    });
    return plan;
  }

  return {
    policy: deps.policy,
    createPlan: (
      offer: FixOffer | string,
      requestedBy: string,
      options: { observed?: ObservedDurations } = {},
    ) => failClosed(() => createPlan(offer, requestedBy, options.observed)),
    getPlan: (id: string) => failClosed(() => records.get(id)),
    approve: (planId: string, user: string, options: { overrides?: string[] } = {}) =>
      failClosed(() => approve(planId, user, options.overrides)),
    reject: (planId: string, user: string) => failClosed(() => reject(planId, user)),
    undo: (planId: string, user: string) => failClosed(() => undo(planId, user)),
    history: (options: { ref?: string; limit?: number } = {}) =>
      failClosed(() => deps.store.readAudit({ resource: options.ref, limit: options.limit ?? 20 })),
  };
}

export type ApprovalFlow = ReturnType<typeof createApprovalFlow>;

/** Store failures become one clear refusal; nothing after a failed store call reaches AWS. */
async function failClosed<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isAlbDoctorError(e, "store-unavailable"))
      throw new AlbDoctorError(
        "store-unavailable",
        "approvals are unavailable (the store cannot be reached): nothing was changed",
        { cause: e },
      );
    throw e;
  }
}
