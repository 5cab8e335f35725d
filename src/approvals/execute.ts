/**
 * Running a claimed plan: re-read the resource (drift check: abort when `before` no longer holds), renew the
 * execution lease, make the exact AWS calls, re-read and compare with `after` (verify), then record: the audit
 * entries first, the claim's end and the plan's final state after them, and only then tell the user.
 *
 * A write that fails without a clear refusal from AWS (a timeout, a dropped connection, a 5xx) may still have
 * landed: the resource is re-read before anything is said (applied -> success, not applied -> failed, cannot
 * re-read -> "unknown", left to the reconciler). When the store is down after AWS changed, the records are
 * queued and retried (pending.ts) and the user hears that the change is applied and its audit pending.
 */
import type { Logger } from "pino";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import type { FixModule, Verification } from "../remediate/fix-module.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type Plan, type PlanState, differences } from "../remediate/plan.ts";
import type { AuditEntry, AuditEvent } from "../store/store.ts";
import type { Claims, HeldClaim, SlackPlace } from "./claims.ts";
import { type Observation, observe, refusedByAws, settle } from "./observe.ts";
import type { PendingWrites, Step } from "./pending.ts";
import type { PlanRecords } from "./plan-records.ts";

export interface ApprovalOutcome {
  plan: Plan;
  /** unknown: the write's outcome could not be established; the reconciler re-checks and posts it. */
  outcome: "executed" | "unverified" | "failed" | "drifted" | "unknown";
  approvedBy: string;
  requestIds: string[];
  verification?: Verification;
  /** For people: what happened, in one or two sentences. */
  message: string;
  /** The store could not take the audit entries and final state: they are retried until they land. */
  auditPending?: boolean;
  /** Decided by the reconciler for an execution whose owner stopped (crash, restart, lost store). */
  reconciled?: boolean;
  /** Where the plan's message is (for the reconciler's post). */
  slack?: SlackPlace;
}

export interface ExecuteContext {
  records: PlanRecords;
  claims: Claims;
  pending: PendingWrites;
  aws: AwsClients;
  /** The clients of a plan's account (the reconciler's; an approval passes its own in `aws`). */
  awsOf?: (plan: Plan) => Promise<AwsClients>;
  /** How long to keep re-reading after a write that may have landed (ms). */
  settleMs: number;
  logger?: Logger;
}

interface Entry {
  event: AuditEvent;
  extra: Partial<AuditEntry>;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function executePlan(
  ctx: ExecuteContext,
  plan: Plan,
  user: string,
  claim: HeldClaim,
): Promise<ApprovalOutcome> {
  const module = fixModule(plan.fixId);
  const base = { plan, approvedBy: user, slack: claim.decision.slack };
  const stop = async (
    state: PlanState,
    entry: Entry,
    rest: Pick<ApprovalOutcome, "outcome" | "message">,
  ) => ({
    ...base,
    ...rest,
    requestIds: [],
    auditPending: !(await conclude(ctx, plan, claim, user, state, [entry])),
  });

  let current;
  try {
    current = await module.readCurrent(ctx.aws, plan);
  } catch (e) {
    return stop(
      "failed",
      { event: "execution-failed", extra: { detail: `drift check could not read: ${why(e)}` } },
      {
        outcome: "failed",
        message: `Aborted, nothing changed: could not re-read the resource before changing it (${why(e)}).`,
      },
    );
  }
  const drift = differences(plan.before, current);
  if (drift.length) {
    const what = drift
      .map((d) => `${d.key} is now ${d.actual ?? "(unset)"}, planned from ${d.expected ?? "(unset)"}`)
      .join("; ");
    return stop(
      "drifted",
      { event: "drift-detected", extra: { before: plan.before, after: current, detail: what } },
      {
        outcome: "drifted",
        message: `Aborted, nothing changed: the resource changed since the plan was made (${what}). Click Fix again for a new plan.`,
      },
    );
  }

  // Renewed right before the write: proves this caller still holds the execution, and gives the write and the
  // re-reads after it a whole lease. A store failure here fails closed (nothing reached AWS).
  const renewed = await ctx.claims.renew(claim);
  if (!renewed)
    throw new AlbDoctorError("conflict", `plan ${plan.id} was taken over by the reconciler: nothing changed`);

  let requestIds: string[] = [];
  let seen: Observation;
  let callError: unknown;
  try {
    requestIds = (await module.apply(ctx.aws, plan)).requestIds;
    seen = await observe(module, ctx.aws, plan);
  } catch (e) {
    callError = e;
    // One re-read after a clear refusal (an earlier call of several may have changed something); after an
    // ambiguous failure, re-read for a while: the request may still be processed.
    seen = await settle(module, ctx.aws, plan, refusedByAws(e) ? 0 : ctx.settleMs);
  }
  return recordObservation(ctx, module, plan, renewed, user, seen, {
    requestIds,
    callError: callError === undefined ? undefined : why(callError),
    base,
  });
}

/**
 * From what AWS shows after a write (by this caller, or by an owner that stopped: `reconciled`) to the audit
 * entries, the plan's final state and the message. Shared by executePlan and the reconciler.
 */
export async function recordObservation(
  ctx: ExecuteContext,
  module: FixModule,
  plan: Plan,
  claim: HeldClaim,
  user: string,
  seen: Observation,
  how: {
    requestIds: string[];
    callError?: string;
    reconciled?: boolean;
    base: Pick<ApprovalOutcome, "plan" | "approvedBy" | "slack">;
  },
): Promise<ApprovalOutcome> {
  const { requestIds, callError, reconciled } = how;
  const calls = plan.calls.map((c) => `${c.action} ${c.resource}`).join("; ");
  const executed: Entry = {
    event: "executed",
    extra: {
      before: plan.before,
      after: plan.after,
      awsRequestId: requestIds.join(",") || undefined,
      detail: reconciled
        ? `reconciled after the execution was interrupted: ${calls} is in effect (AWS request id unknown)`
        : callError
          ? `${calls} (the call failed: ${callError}; re-reading shows the change)`
          : calls,
    },
  };
  const verifiedEntry = (v: Verification): Entry => ({
    event: v.ok ? "verified" : "verification-failed",
    extra: { after: Object.fromEntries(v.checks.map((c) => [c.setting, c.actual])), detail: v.summary },
  });
  const done = async (
    state: PlanState,
    entries: Entry[],
    rest: Pick<ApprovalOutcome, "outcome" | "message" | "verification">,
  ): Promise<ApprovalOutcome> => {
    const landed = await conclude(ctx, plan, claim, user, state, entries);
    return { ...how.base, ...rest, requestIds, reconciled, auditPending: !landed };
  };
  const late = callError
    ? `The AWS call did not complete (${callError}), but re-reading shows the change. `
    : "";
  const interrupted = reconciled ? "The execution was interrupted (the bot stopped); re-read from AWS: " : "";

  if (seen.state === "unknown") {
    if (!callError && !reconciled)
      // AWS accepted the write; only the verification read failed.
      return done("unverified", [executed, verifiedEntry(unread(seen.error))], {
        outcome: "unverified",
        verification: unread(seen.error),
        message: `Applied, but could not re-read the resource to verify it (${seen.error}).`,
      });
    // Neither the call nor a re-read says what happened: leave the claim executing for the reconciler.
    const entry: Entry = {
      event: "outcome-unknown",
      extra: { detail: `${callError ?? "interrupted"}; re-read failed: ${seen.error}` },
    };
    const landed = await ctx.pending.run(`plan ${plan.id} outcome-unknown`, [
      () => ctx.records.audit(plan, entry.event, user, entry.extra),
    ]);
    return {
      ...how.base,
      outcome: "unknown",
      requestIds,
      auditPending: !landed,
      message: `The AWS call did not complete (${callError}) and the resource could not be re-read (${seen.error}): the outcome is unknown. Re-checking: the result will be posted here.`,
    };
  }
  if (seen.state === "applied")
    return done("executed", [executed, verifiedEntry(seen.verification)], {
      outcome: "executed",
      verification: seen.verification,
      message: `${interrupted}${late}Done: ${plan.summary}. ${capitalize(seen.verification.summary)}.`,
    });
  if (seen.state === "partial" || (!callError && !reconciled))
    return done("unverified", [executed, verifiedEntry(seen.verification)], {
      outcome: "unverified",
      verification: seen.verification,
      message: `${interrupted}Applied, but ${seen.verification.summary}.`,
    });
  // Not applied: AWS shows the plan's `before`.
  return reconciled
    ? done(
        "failed",
        [{ event: "not-applied", extra: { detail: `re-read from AWS: ${seen.verification.summary}` } }],
        {
          outcome: "failed",
          message: `${interrupted}not applied, nothing changed. Click Fix again for a new plan.`,
        },
      )
    : done(
        "failed",
        [{ event: "execution-failed", extra: { detail: `${callError}; re-read: not applied` } }],
        {
          outcome: "failed",
          message: `The AWS call failed (${callError}); re-reading shows nothing changed.`,
        },
      );
}

/**
 * Records an outcome in order: confirm the claim is still ours (renew), the audit entries, the claim's end,
 * the plan's final state (and an undo's original as undone). Returns false when the store did not take them
 * now: they are retried in the background.
 */
async function conclude(
  ctx: ExecuteContext,
  plan: Plan,
  claim: HeldClaim,
  user: string,
  state: PlanState,
  entries: Entry[],
): Promise<boolean> {
  let held = claim;
  const steps: Step[] = [
    async () => {
      const next = await ctx.claims.renew(held);
      if (!next) return false;
      held = next;
    },
    ...entries.map((e) => () => ctx.records.audit(plan, e.event, user, e.extra)),
    () => ctx.claims.finish(held, state),
    () => ctx.records.save({ ...plan, state }),
  ];
  if (plan.undoOf && state === "executed") steps.push(() => markUndone(ctx.records, plan.undoOf!));
  plan.state = state;
  return ctx.pending.run(`plan ${plan.id} ${state}`, steps);
}

async function markUndone(records: PlanRecords, originalId: string) {
  const original = await records.get(originalId).catch((e: unknown) => {
    if (isAlbDoctorError(e, "store-unavailable")) throw e; // retried with the other writes
    return null;
  });
  if (!original) return; // the undo itself is done and audited; the original's label is cosmetic
  original.state = "undone";
  await records.save(original);
}

function unread(error: string): Verification {
  return { ok: false, checks: [], summary: `could not re-read the resource: ${error}` };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
