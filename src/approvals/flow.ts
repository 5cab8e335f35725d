/**
 * The approval flow of a fix: offer -> plan (stored, audited) -> approve (policy, risk checks, atomic claim,
 * then drift check, apply, verify: execute.ts) | reject; and undo (the inverse plan, through the same approval).
 *
 * Exactly once: the decision on a plan is one SET NX of `plan:<id>:claim` (approve and reject compete for the
 * same key), so double clicks, Slack retries and several replicas lead to at most one execution. An approval's
 * claim carries the execution lease (claims.ts); the reconciler (reconcile.ts) closes executions whose owner
 * stopped. Refusals before the claim throw AlbDoctorError("forbidden" | "conflict" | "not-found"); outcomes after
 * it (executed, unverified, failed, drifted, unknown) are returned. Fail closed: without the store nothing
 * reaches AWS.
 *
 * A claim whose call failed (store timeout) may still land later. Each approve attempt has its own token; an
 * attempt that saw its claim fail remembers the token, so a later click on this replica takes that claim over
 * instead of hearing "already approved" (elsewhere, the reconciler closes it once its lease expires).
 */
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import type { ObservedDurations } from "../remediate/aws.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type Plan, type PlanAccount, blockingRisks } from "../remediate/plan.ts";
import type { Store } from "../store/store.ts";
import { createClaims, type HeldClaim, newToken, type SlackPlace } from "./claims.ts";
import { type ApprovalOutcome, type ExecuteContext, executePlan } from "./execute.ts";
import { createPendingWrites } from "./pending.ts";
import { reconcileExpired } from "./reconcile.ts";
import { type FixOffer, loadFixOffer } from "../remediate/offers.ts";
import { createPlanRecords } from "./plan-records.ts";
import type { ApproverPolicy } from "./policy.ts";

export type { ApprovalOutcome } from "./execute.ts";
export type { SlackPlace } from "./claims.ts";
export { PLAN_ID } from "./plan-records.ts";

export interface FlowDeps {
  store: Store;
  aws: AwsClients;
  policy: ApproverPolicy;
  planTtlSeconds: number;
  now: () => Date;
  logger?: Logger;
  /** The execution lease (default 120 s): longer than a write, the re-reads after it and the verification. */
  leaseSeconds?: number;
  /** This replica, as the lease owner (default host:pid). */
  replicaId?: string;
  /** How long to re-read after a write that may have landed (default: the AWS call deadline). */
  settleMs?: number;
  /** The accounts file: plans in other accounts, and the channel guardrails, re-checked at every click. */
  accounts?: PlanAccounts;
}

/** What the flow needs of src/accounts: guardrail checks, and clients for a plan's account. */
export interface PlanAccounts {
  /** Throws the guardrail's refusal unless `channel` may plan `fixId` on that account and load balancer. */
  assertMayPlan(channel: string | undefined, alias: string | undefined, fixId: string, lbName: string): void;
  /** Clients for the account, assumed on behalf of `user` (the requester, or the approver who runs it). */
  clientsFor(account: PlanAccount, user: string, channel?: string): Promise<AwsClients>;
}

/** Tokens of approve attempts whose claim call failed, per plan; bounded (oldest dropped). */
const ABANDONED_MAX = 1000;

export function createApprovalFlow(deps: FlowDeps) {
  const claims = createClaims({
    store: deps.store,
    now: deps.now,
    leaseMs: (deps.leaseSeconds ?? 120) * 1000,
    owner: deps.replicaId ?? `${hostname()}:${process.pid}`,
  });
  const records = createPlanRecords({ ...deps, claims });
  const pending = createPendingWrites({ logger: deps.logger });
  const ctx: ExecuteContext = {
    records,
    claims,
    pending,
    aws: deps.aws,
    settleMs: deps.settleMs ?? deps.aws.callDeadlineMs,
    logger: deps.logger,
    // The reconciler reads the plan's account as its approver, whatever the guardrail says now: the change
    // may already be made, and its outcome must be recorded.
    awsOf: (plan) =>
      plan.account && deps.accounts
        ? deps.accounts.clientsFor(plan.account, plan.requestedBy)
        : Promise.resolve(deps.aws),
  };
  const awsFor = (account: PlanAccount | undefined, user: string, channel?: string) => {
    if (!account) return Promise.resolve(deps.aws);
    if (!deps.accounts)
      throw new AlbDoctorError(
        "config",
        `the plan is for account ${account.alias}, but no accounts are configured`,
      );
    return deps.accounts.clientsFor(account, user, channel);
  };
  /** The guardrail of the clicking channel, as the accounts file says now (it may have changed). */
  const guard = (plan: Pick<Plan, "account" | "fixId" | "loadBalancer">, channel: string | undefined) =>
    deps.accounts?.assertMayPlan(channel, plan.account?.alias, plan.fixId, plan.loadBalancer.name);
  const abandoned = new Map<string, string>();
  const abandon = (planId: string, token: string) => {
    abandoned.set(planId, token);
    if (abandoned.size > ABANDONED_MAX) abandoned.delete(abandoned.keys().next().value!);
  };
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
  async function createPlan(
    offerOrId: FixOffer | string,
    requestedBy: string,
    observed?: ObservedDurations,
    channel?: string,
  ) {
    const offer = typeof offerOrId === "string" ? await loadFixOffer(deps.store, offerOrId) : offerOrId;
    if (!offer)
      throw new AlbDoctorError("not-found", "this fix offer is unknown or expired: run the check again");
    guard({ account: offer.account, fixId: offer.fix.id, loadBalancer: offer.loadBalancer }, channel);
    const clients = await awsFor(offer.account, requestedBy, channel);
    const draft = await fixModule(offer.fix.id).plan({ clients, offer, now: deps.now(), observed });
    const plan = await records.create(draft, requestedBy, {
      offerId: offer.offerId,
      ...(offer.account ? { account: offer.account } : {}),
    });
    await records.audit(plan, "plan-created", requestedBy, {
      before: plan.before,
      after: plan.after,
      detail: plan.noop ? `no-op: ${plan.summary}` : plan.summary,
    });
    return plan;
  }

  async function approve(
    planId: string,
    user: string,
    overrides: string[] = [],
    slack?: SlackPlace,
  ): Promise<ApprovalOutcome> {
    const plan = await records.get(planId);
    // A claim of this replica's own failed attempt is not a decision: retakeAbandoned below takes it over.
    if (!abandoned.has(plan.id)) await assertOpen(plan);
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
    try {
      guard(plan, slack?.channel);
    } catch (e) {
      if (isAlbDoctorError(e)) await refuse(plan, user, e);
      throw e;
    }
    // Before the claim: credentials that cannot be had leave the plan open for a later click.
    const aws = await awsFor(plan.account, user, slack?.channel);
    const blocked = blockingRisks(plan, overrides);
    if (blocked.length)
      await refuse(
        plan,
        user,
        new AlbDoctorError("conflict", `blocked by risk check: ${blocked.map((r) => r.message).join(" ")}`, {
          details: { risks: blocked.map((r) => r.id) },
        }),
      );

    const token = newToken();
    try {
      const at = deps.now().toISOString();
      const claim =
        (await claims.claimExecution(plan.id, { by: user, at, token, slack })) ??
        (await retakeAbandoned(plan.id, { by: user, at, token, ...(slack ? { slack } : {}) }));
      if (!claim) throw alreadyDecided(plan, await records.closedReason(plan));
      // From here on this caller is the only executor of the plan.
      const overridden = overrides.filter((o) => plan.risks.some((r) => r.id === o && r.level === "block"));
      plan.state = "executing";
      await records.save(plan);
      await records.audit(plan, "approved", user, {
        detail: overridden.length ? `overriding risk checks: ${overridden.join(", ")}` : undefined,
      });
      return await executePlan({ ...ctx, aws }, plan, user, claim);
    } catch (e) {
      // Nothing reached AWS (executePlan throws only before the write): a later click may take this over.
      if (isAlbDoctorError(e, "store-unavailable")) abandon(plan.id, token);
      throw e;
    }
  }

  /** This replica's earlier attempt whose claim call failed but landed anyway: take it over (new token). */
  async function retakeAbandoned(planId: string, changes: Partial<HeldClaim["decision"]>) {
    const token = abandoned.get(planId);
    if (!token) return null;
    const current = await claims.read(planId);
    if (current?.decision.token !== token || current.decision.state !== "executing") return null;
    const taken = await claims.renew(current, changes);
    if (taken) abandoned.delete(planId);
    return taken;
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
    if (!(await claims.claimRejection(plan.id, { by: user, at: deps.now().toISOString() })))
      throw alreadyDecided(plan, await records.closedReason(plan));
    plan.state = "rejected";
    await records.save(plan);
    await records.audit(plan, "rejected", user, { detail: plan.summary });
    return plan;
  }

  /** Undo button: the inverse of an executed plan, as a new pending plan (the same approval applies). */
  async function undo(planId: string, user: string, channel?: string): Promise<Plan> {
    const original = await records.get(planId);
    guard(original, channel);
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
      if (previous?.state === "executed" || previous?.state === "approved" || previous?.state === "executing")
        throw new AlbDoctorError("conflict", `plan ${planId} was already undone by plan ${previous.id}`);
    }
    const plan = await records.create(fixModule(original.fixId).inverse(original), user, {
      undoOf: original.id,
      ...(original.account ? { account: original.account } : {}),
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
      options: { observed?: ObservedDurations; channel?: string } = {},
    ) => failClosed(() => createPlan(offer, requestedBy, options.observed, options.channel)),
    getPlan: (id: string) => failClosed(() => records.get(id)),
    approve: (planId: string, user: string, options: { overrides?: string[]; slack?: SlackPlace } = {}) =>
      failClosed(() => approve(planId, user, options.overrides, options.slack)),
    reject: (planId: string, user: string) => failClosed(() => reject(planId, user)),
    undo: (planId: string, user: string, options: { channel?: string } = {}) =>
      failClosed(() => undo(planId, user, options.channel)),
    /** One reconciler round: executions whose lease expired, re-read from AWS and recorded. */
    reconcile: () => reconcileExpired(ctx),
    /** Audit entries and final states still waiting for the store. */
    pendingWrites: pending,
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
