/**
 * The approval flow of a fix: offer -> plan (stored, audited) -> approve (policy, atomic claim, drift check,
 * apply, verify, audit) | reject; and undo (the inverse plan, through the same approval).
 *
 * Exactly once: the decision on a plan is one SET NX of `plan:<id>:claim` (approve and reject compete for the
 * same key), so double clicks, Slack retries and several replicas lead to at most one execution. Refusals
 * before the claim throw AlbDoctorError("forbidden" | "conflict" | "not-found"); outcomes after it (executed,
 * unverified, failed, drifted) are returned. Fail closed: without the store nothing reaches AWS.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import type { ObservedDurations } from "../remediate/aws.ts";
import type { Verification } from "../remediate/fix-module.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type Plan, type PlanDraft, type PlanState, blockingRisks, differences } from "../remediate/plan.ts";
import type { AuditEntry, AuditEvent, Store } from "../store/store.ts";
import { type FixOffer, loadFixOffer } from "./offers.ts";
import type { ApproverPolicy } from "./policy.ts";

export interface FlowDeps {
  store: Store;
  aws: AwsClients;
  policy: ApproverPolicy;
  planTtlSeconds: number;
  now: () => Date;
  logger?: Logger;
}

export interface ApprovalOutcome {
  plan: Plan;
  outcome: "executed" | "unverified" | "failed" | "drifted";
  approvedBy: string;
  requestIds: string[];
  verification?: Verification;
  /** For people: what happened, in one or two sentences. */
  message: string;
}

interface Decision {
  by: string;
  decision: "approve" | "reject";
  at: string;
}

/** How long an executed plan stays available for Undo and history. */
const KEEP_DONE_SECONDS = 7 * 86_400;
export const PLAN_ID = /^pl_[A-Za-z0-9_-]{6,40}$/;

export function createApprovalFlow(deps: FlowDeps) {
  const { store } = deps;
  const planKey = (id: string) => `plan:${id}`;
  const claimKey = (id: string) => `plan:${id}:claim`;
  const undoKey = (id: string) => `plan:${id}:undo`;

  const audit = (plan: Plan, event: AuditEvent, actor: string, extra: Partial<AuditEntry> = {}) =>
    store.appendAudit({
      at: deps.now().toISOString(),
      event,
      planId: plan.id,
      fixId: plan.fixId,
      actor,
      loadBalancer: plan.loadBalancer.name,
      resource: plan.resource,
      ...extra,
    });
  /** After AWS changed, a store failure must not hide the outcome: log it and go on. */
  const auditAfterChange = async (
    plan: Plan,
    event: AuditEvent,
    actor: string,
    extra: Partial<AuditEntry> = {},
  ) => {
    try {
      await audit(plan, event, actor, extra);
    } catch (e) {
      deps.logger?.error({ err: e, planId: plan.id, event }, "audit entry lost after an AWS change");
    }
  };
  const save = (plan: Plan, ttlSeconds: number) =>
    store.set(planKey(plan.id), JSON.stringify(plan), ttlSeconds);
  const pendingTtl = () => deps.planTtlSeconds + 3600; // kept a while after expiry, to say "expired" rather than "unknown"

  async function getPlan(id: string): Promise<Plan> {
    if (!PLAN_ID.test(id)) throw new AlbDoctorError("usage", `"${id}" is not a plan id (pl_...)`);
    const raw = await store.get(planKey(id));
    if (!raw)
      throw new AlbDoctorError(
        "not-found",
        `plan ${id} is unknown or long expired: click Fix again for a new plan`,
      );
    return JSON.parse(raw) as Plan;
  }

  async function storeDraft(
    draft: PlanDraft,
    requestedBy: string,
    extra: Pick<Plan, "offerId" | "undoOf">,
  ): Promise<Plan> {
    const created = deps.now();
    const plan: Plan = {
      ...draft,
      ...extra,
      id: `pl_${randomBytes(9).toString("base64url")}`,
      requestedBy,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + deps.planTtlSeconds * 1000).toISOString(),
      state: "pending",
    };
    await save(plan, pendingTtl());
    return plan;
  }

  /** Fix button: a plan from the offer, built from the current state in AWS. */
  async function createPlan(
    offerOrId: FixOffer | string,
    requestedBy: string,
    options: { observed?: ObservedDurations } = {},
  ): Promise<Plan> {
    const offer = typeof offerOrId === "string" ? await loadFixOffer(store, offerOrId) : offerOrId;
    if (!offer)
      throw new AlbDoctorError("not-found", "this fix offer is unknown or expired: run the check again");
    const draft = await fixModule(offer.fix.id).plan({
      clients: deps.aws,
      offer,
      now: deps.now(),
      observed: options.observed,
    });
    const plan = await storeDraft(draft, requestedBy, { offerId: offer.offerId });
    await audit(plan, "plan-created", requestedBy, {
      before: plan.before,
      after: plan.after,
      detail: plan.noop ? `no-op: ${plan.summary}` : plan.summary,
    });
    return plan;
  }

  /** Why a plan cannot be decided on any more, or null when it is still pending. */
  async function closedReason(plan: Plan): Promise<string | null> {
    const raw = await store.get(claimKey(plan.id));
    if (raw) {
      const d = JSON.parse(raw) as Decision;
      return d.decision === "approve" ? `already approved by <@${d.by}>` : `already rejected by <@${d.by}>`;
    }
    if (plan.state !== "pending") return `plan ${plan.id} is ${plan.state}`;
    return null;
  }

  async function refuse(plan: Plan, user: string, error: AlbDoctorError): Promise<never> {
    await audit(plan, "refused", user, { detail: error.message }).catch(() => undefined);
    throw error;
  }

  async function approve(
    planId: string,
    user: string,
    options: { overrides?: string[] } = {},
  ): Promise<ApprovalOutcome> {
    return failClosed(async () => {
      const plan = await getPlan(planId);
      const closed = await closedReason(plan);
      if (closed) throw new AlbDoctorError("conflict", `${closed}: ${plan.summary}`);
      if (deps.now().getTime() >= Date.parse(plan.expiresAt)) {
        await audit(plan, "expired", user, { detail: `approval attempted after ${plan.expiresAt}` });
        throw new AlbDoctorError(
          "conflict",
          `plan ${plan.id} expired at ${plan.expiresAt}: click Fix again for a new plan`,
        );
      }
      if (plan.noop) throw new AlbDoctorError("conflict", `nothing to change: ${plan.summary}`);
      try {
        await deps.policy.assertMayApprove(user, plan.requestedBy);
      } catch (e) {
        if (isAlbDoctorError(e)) await refuse(plan, user, e);
        throw e;
      }
      const blocked = blockingRisks(plan, options.overrides);
      if (blocked.length)
        await refuse(
          plan,
          user,
          new AlbDoctorError(
            "conflict",
            `blocked by risk check: ${blocked.map((r) => r.message).join(" ")}`,
            {
              details: { risks: blocked.map((r) => r.id) },
            },
          ),
        );

      const decision: Decision = { by: user, decision: "approve", at: deps.now().toISOString() };
      if (!(await store.setIfAbsent(claimKey(plan.id), JSON.stringify(decision), KEEP_DONE_SECONDS))) {
        throw new AlbDoctorError(
          "conflict",
          `${(await closedReason(plan)) ?? "already decided"}: ${plan.summary}`,
        );
      }
      // From here on this caller is the only executor of the plan.
      const overridden = (options.overrides ?? []).filter((o) =>
        plan.risks.some((r) => r.id === o && r.level === "block"),
      );
      plan.state = "approved";
      await save(plan, KEEP_DONE_SECONDS);
      await audit(plan, "approved", user, {
        detail: overridden.length ? `overriding risk checks: ${overridden.join(", ")}` : undefined,
      });
      return execute(plan, user);
    });
  }

  async function execute(plan: Plan, user: string): Promise<ApprovalOutcome> {
    const module = fixModule(plan.fixId);
    const finish = async (state: PlanState) => {
      plan.state = state;
      try {
        await save(plan, KEEP_DONE_SECONDS);
      } catch (e) {
        deps.logger?.error({ err: e, planId: plan.id }, "could not save the plan's final state");
      }
    };

    let current;
    try {
      current = await module.readCurrent(deps.aws, plan);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      await audit(plan, "execution-failed", user, {
        detail: `drift check could not read the resource: ${why}`,
      });
      await finish("failed");
      return {
        plan,
        outcome: "failed",
        approvedBy: user,
        requestIds: [],
        message: `Aborted, nothing changed: could not re-read the resource before changing it (${why}).`,
      };
    }
    const drift = differences(plan.before, current);
    if (drift.length) {
      const what = drift.map(
        (d) => `${d.key} is now ${d.actual ?? "(unset)"}, planned from ${d.expected ?? "(unset)"}`,
      );
      await audit(plan, "drift-detected", user, {
        before: plan.before,
        after: current,
        detail: what.join("; "),
      });
      await finish("drifted");
      return {
        plan,
        outcome: "drifted",
        approvedBy: user,
        requestIds: [],
        message: `Aborted, nothing changed: the resource changed since the plan was made (${what.join("; ")}). Click Fix again for a new plan.`,
      };
    }

    let requestIds: string[];
    try {
      requestIds = (await module.apply(deps.aws, plan)).requestIds;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      await auditAfterChange(plan, "execution-failed", user, { detail: why });
      await finish("failed");
      return {
        plan,
        outcome: "failed",
        approvedBy: user,
        requestIds: [],
        message: `The AWS call failed: ${why}`,
      };
    }
    await auditAfterChange(plan, "executed", user, {
      before: plan.before,
      after: plan.after,
      awsRequestId: requestIds.join(","),
      detail: plan.calls.map((c) => `${c.action} ${c.resource}`).join("; "),
    });

    let verification: Verification;
    try {
      verification = await module.verify(deps.aws, plan);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      verification = { ok: false, checks: [], summary: `could not re-read the resource: ${why}` };
    }
    await auditAfterChange(plan, verification.ok ? "verified" : "verification-failed", user, {
      after: Object.fromEntries(verification.checks.map((c) => [c.setting, c.actual])),
      detail: verification.summary,
    });
    await finish(verification.ok ? "executed" : "unverified");
    if (verification.ok && plan.undoOf) await markUndone(plan.undoOf);
    return {
      plan,
      outcome: verification.ok ? "executed" : "unverified",
      approvedBy: user,
      requestIds,
      verification,
      message: verification.ok
        ? `Done: ${plan.summary}. ${capitalize(verification.summary)}.`
        : `Applied, but ${verification.summary}.`,
    };
  }

  async function markUndone(originalId: string) {
    try {
      const original = await getPlan(originalId);
      original.state = "undone";
      await save(original, KEEP_DONE_SECONDS);
    } catch (e) {
      deps.logger?.warn({ err: e, originalId }, "could not mark the original plan undone");
    }
  }

  async function reject(planId: string, user: string): Promise<Plan> {
    return failClosed(async () => {
      const plan = await getPlan(planId);
      const closed = await closedReason(plan);
      if (closed) throw new AlbDoctorError("conflict", `${closed}: ${plan.summary}`);
      if (user !== plan.requestedBy && !(await deps.policy.isApprover(user)))
        await refuse(
          plan,
          user,
          new AlbDoctorError("forbidden", `only the requester or an approver may reject this plan`),
        );
      const decision: Decision = { by: user, decision: "reject", at: deps.now().toISOString() };
      if (!(await store.setIfAbsent(claimKey(plan.id), JSON.stringify(decision), KEEP_DONE_SECONDS)))
        throw new AlbDoctorError(
          "conflict",
          `${(await closedReason(plan)) ?? "already decided"}: ${plan.summary}`,
        );
      plan.state = "rejected";
      await save(plan, KEEP_DONE_SECONDS);
      await audit(plan, "rejected", user, { detail: plan.summary });
      return plan;
    });
  }

  /** Undo button: the inverse of an executed plan, as a new pending plan (the same approval applies). */
  async function undo(planId: string, user: string): Promise<Plan> {
    return failClosed(async () => {
      const original = await getPlan(planId);
      if (original.state !== "executed" && original.state !== "unverified")
        throw new AlbDoctorError(
          "conflict",
          `plan ${planId} is ${original.state}: only an executed plan can be undone`,
        );
      const existingId = await store.get(undoKey(planId));
      if (existingId) {
        const existing = await getPlan(existingId).catch(() => null);
        const live =
          existing && existing.state === "pending" && deps.now().getTime() < Date.parse(existing.expiresAt);
        if (existing && live) return existing;
        if (existing?.state === "executed" || existing?.state === "approved")
          throw new AlbDoctorError("conflict", `plan ${planId} was already undone by plan ${existing.id}`);
      }
      const draft = fixModule(original.fixId).inverse(original);
      const plan = await storeDraft(draft, user, { undoOf: original.id });
      const won = existingId
        ? await store.compareAndSet(undoKey(planId), existingId, plan.id, KEEP_DONE_SECONDS)
        : await store.setIfAbsent(undoKey(planId), plan.id, KEEP_DONE_SECONDS);
      if (!won) {
        await store.del(`plan:${plan.id}`);
        const other = await store.get(undoKey(planId));
        if (other) return getPlan(other);
        throw new AlbDoctorError("conflict", `an undo of plan ${planId} is being prepared: try again`);
      }
      await audit(plan, "undo-planned", user, {
        before: plan.before,
        after: plan.after,
        detail: `undo of ${original.id}`,
      });
      return plan;
    });
  }

  async function history(options: { ref?: string; limit?: number } = {}) {
    return failClosed(() => store.readAudit({ resource: options.ref, limit: options.limit ?? 20 }));
  }

  return {
    createPlan: (o: FixOffer | string, u: string, x?: { observed?: ObservedDurations }) =>
      failClosed(() => createPlan(o, u, x)),
    getPlan: (id: string) => failClosed(() => getPlan(id)),
    approve,
    reject,
    undo,
    history,
    policy: deps.policy,
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
        {
          cause: e,
        },
      );
    throw e;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
