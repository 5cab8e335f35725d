/**
 * Running a claimed plan: re-read the resource (drift check: abort when `before` no longer holds), make the
 * exact AWS calls, re-read and compare with `after` (verify), and audit every step with the AWS request ids.
 * Only the one caller that won the plan's claim gets here.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { Verification } from "../remediate/fix-module.ts";
import { fixModule } from "../remediate/fixes.ts";
import { type Plan, type PlanState, type Settings, differences } from "../remediate/plan.ts";
import type { PlanRecords } from "./plan-records.ts";

export interface ApprovalOutcome {
  plan: Plan;
  outcome: "executed" | "unverified" | "failed" | "drifted";
  approvedBy: string;
  requestIds: string[];
  verification?: Verification;
  /** For people: what happened, in one or two sentences. */
  message: string;
}

export async function executePlan(
  records: PlanRecords,
  aws: AwsClients,
  plan: Plan,
  user: string,
): Promise<ApprovalOutcome> {
  const module = fixModule(plan.fixId);
  const finish = async (state: PlanState, rest: Omit<ApprovalOutcome, "plan" | "approvedBy">) => {
    plan.state = state;
    await records.saveFinal(plan);
    return { plan, approvedBy: user, ...rest };
  };
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

  let current: Settings;
  try {
    current = await module.readCurrent(aws, plan);
  } catch (e) {
    await records.audit(plan, "execution-failed", user, { detail: `drift check could not read: ${why(e)}` });
    return finish("failed", {
      outcome: "failed",
      requestIds: [],
      message: `Aborted, nothing changed: could not re-read the resource before changing it (${why(e)}).`,
    });
  }
  const drift = differences(plan.before, current);
  if (drift.length) {
    const what = drift
      .map((d) => `${d.key} is now ${d.actual ?? "(unset)"}, planned from ${d.expected ?? "(unset)"}`)
      .join("; ");
    await records.audit(plan, "drift-detected", user, { before: plan.before, after: current, detail: what });
    return finish("drifted", {
      outcome: "drifted",
      requestIds: [],
      message: `Aborted, nothing changed: the resource changed since the plan was made (${what}). Click Fix again for a new plan.`,
    });
  }

  let requestIds: string[];
  try {
    requestIds = (await module.apply(aws, plan)).requestIds;
  } catch (e) {
    await records.auditAfterChange(plan, "execution-failed", user, { detail: why(e) });
    return finish("failed", { outcome: "failed", requestIds: [], message: `The AWS call failed: ${why(e)}` });
  }
  await records.auditAfterChange(plan, "executed", user, {
    before: plan.before,
    after: plan.after,
    awsRequestId: requestIds.join(","),
    detail: plan.calls.map((c) => `${c.action} ${c.resource}`).join("; "),
  });

  let verification: Verification;
  try {
    verification = await module.verify(aws, plan);
  } catch (e) {
    verification = { ok: false, checks: [], summary: `could not re-read the resource: ${why(e)}` };
  }
  await records.auditAfterChange(plan, verification.ok ? "verified" : "verification-failed", user, {
    after: Object.fromEntries(verification.checks.map((c) => [c.setting, c.actual])),
    detail: verification.summary,
  });
  if (verification.ok && plan.undoOf) await markUndone(records, plan.undoOf);
  return finish(verification.ok ? "executed" : "unverified", {
    outcome: verification.ok ? "executed" : "unverified",
    requestIds,
    verification,
    message: verification.ok
      ? `Done: ${plan.summary}. ${capitalize(verification.summary)}.`
      : `Applied, but ${verification.summary}.`,
  });
}

async function markUndone(records: PlanRecords, originalId: string) {
  try {
    const original = await records.get(originalId);
    original.state = "undone";
    await records.save(original);
  } catch {
    // the undo itself is done and audited; the original's label is cosmetic
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
