/**
 * The reconciler: closes executions whose owner stopped before recording the outcome (a crash or restart
 * between the claim and the audit, a write whose outcome was unknown, a store lost after the change).
 *
 * For each plan in the `plans:executing` index whose lease expired: take the claim over (a compare-and-set, so
 * one replica wins), re-read AWS with the fix module's own readCurrent, decide applied / partly applied / not
 * applied, and record it exactly as an execution would (audit first, then the claim's end and the plan's final
 * state). When the resource cannot be re-read, the plan stays executing under the new lease and the next
 * round tries again. The caller (src/slack/reconciler.ts) posts the outcomes in the plans' threads.
 */
import { isAlbDoctorError } from "../domain/errors.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type ApprovalOutcome, type ExecuteContext, recordObservation } from "./execute.ts";
import { observe } from "./observe.ts";

export async function reconcileExpired(
  ctx: ExecuteContext,
  options: { limit?: number } = {},
): Promise<ApprovalOutcome[]> {
  const outcomes: ApprovalOutcome[] = [];
  for (const planId of await ctx.claims.expired(options.limit ?? 50)) {
    try {
      const outcome = await reconcileOne(ctx, planId);
      if (outcome) outcomes.push(outcome);
    } catch (e) {
      if (isAlbDoctorError(e, "store-unavailable")) throw e; // the next round tries again
      ctx.logger?.error({ err: String(e), planId }, "could not reconcile a plan");
    }
  }
  return outcomes;
}

async function reconcileOne(ctx: ExecuteContext, planId: string): Promise<ApprovalOutcome | null> {
  const claim = await ctx.claims.read(planId);
  if (!claim || claim.decision.state !== "executing") {
    await ctx.claims.forget(planId); // nothing executing any more (expired, done, or a rejection)
    return null;
  }
  if (!ctx.claims.isExpired(claim)) return null; // renewed since the index was read
  const taken = await ctx.claims.renew(claim);
  if (!taken) return null; // another replica is on it
  ctx.logger?.warn(
    { planId, previousOwner: claim.decision.owner, leaseUntil: claim.decision.leaseUntil },
    "reconciling an execution whose lease expired",
  );

  const plan = await ctx.records.get(planId).catch((e: unknown) => {
    if (isAlbDoctorError(e, "not-found")) return null;
    throw e;
  });
  if (!plan) {
    await ctx.claims.finish(taken, "failed"); // nothing left to reconcile against
    return null;
  }
  const module = fixModule(plan.fixId);
  let aws = ctx.aws;
  try {
    if (ctx.awsOf) aws = await ctx.awsOf(plan);
  } catch (e) {
    ctx.logger?.warn(
      { planId, err: (e as Error).message },
      "cannot reach the plan's account yet: re-checking later",
    );
    return null;
  }
  const seen = await observe(module, aws, plan);
  if (seen.state === "unknown") {
    ctx.logger?.warn({ planId, err: seen.error }, "cannot re-read the resource yet: re-checking later");
    return null;
  }
  const approvedBy = claim.decision.by;
  return recordObservation(ctx, module, plan, taken, approvedBy, seen, {
    requestIds: [],
    reconciled: true,
    base: { plan, approvedBy, slack: claim.decision.slack },
  });
}
