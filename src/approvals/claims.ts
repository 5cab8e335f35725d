/**
 * The one decision per plan (`plan:<id>:claim`) and, for an approval, its execution lease.
 *
 * An approval claim is written in one atomic step with the plan id in the `plans:executing` index, scored by the
 * lease's expiry (epoch ms), before anything reaches AWS: `state: "executing"`, the owner (replica id), a token
 * (one per approve attempt) and `leaseUntil`. The owner renews the lease right before each write, and ends it
 * with `finish` (state "done", out of the index). Every change is a compare-and-set on the exact record read,
 * so an owner and a reconciler taking over an expired lease can never both move it on.
 */
import { randomBytes } from "node:crypto";
import type { PlanState } from "../remediate/plan.ts";
import type { Store } from "../store/store.ts";

/** The reconciler's index: plan ids being executed, scored by lease expiry (epoch ms). */
export const EXECUTING_INDEX = "plans:executing";
/** How long a decided plan's claim is kept (the plan document is kept as long). */
export const KEEP_DONE_SECONDS = 7 * 86_400;

/** Where a plan's message is in Slack, so a reconciler in any replica can post the outcome there. */
export interface SlackPlace {
  channel: string;
  /** The plan message (the one with the buttons); chat.update replaces it. */
  messageTs?: string;
  /** The thread the plan message is in. */
  threadTs?: string;
}

export interface Decision {
  by: string;
  decision: "approve" | "reject";
  at: string;
  /** One per approve attempt: tells this attempt's claim from an earlier one that landed late. */
  token?: string;
  /** Approvals only: executing while an owner holds the lease, done once the outcome is recorded. */
  state?: "executing" | "done";
  /** Replica id of the lease holder. */
  owner?: string;
  /** epoch ms */
  leaseUntil?: number;
  /** The plan's final state, once done. */
  outcome?: PlanState;
  slack?: SlackPlace;
}

/** A claim as read: the exact stored text (what a compare-and-set expects) and its meaning. */
export interface HeldClaim {
  planId: string;
  raw: string;
  decision: Decision;
}

export function newToken(): string {
  return randomBytes(9).toString("base64url");
}

export function createClaims(options: { store: Store; now: () => Date; leaseMs: number; owner: string }) {
  const { store } = options;
  const key = (planId: string) => `plan:${planId}:claim`;
  const nowMs = () => options.now().getTime();
  const held = (planId: string, decision: Decision): HeldClaim => ({
    planId,
    raw: JSON.stringify(decision),
    decision,
  });

  return {
    owner: options.owner,
    leaseMs: options.leaseMs,
    async read(planId: string): Promise<HeldClaim | null> {
      const raw = await store.get(key(planId));
      if (!raw) return null;
      try {
        return { planId, raw, decision: JSON.parse(raw) as Decision };
      } catch {
        return null;
      }
    },
    /** The atomic approval: the claim, executing under this replica's lease. Null when the plan is decided. */
    async claimExecution(
      planId: string,
      decision: Pick<Decision, "by" | "at" | "token" | "slack">,
    ): Promise<HeldClaim | null> {
      const leaseUntil = nowMs() + options.leaseMs;
      const claim = held(planId, {
        ...decision,
        decision: "approve",
        state: "executing",
        owner: options.owner,
        leaseUntil,
      });
      const won = await store.setIfAbsentIndexed(key(planId), claim.raw, KEEP_DONE_SECONDS, {
        index: EXECUTING_INDEX,
        member: planId,
        score: leaseUntil,
      });
      return won ? claim : null;
    },
    /** Reject competes for the same key; a rejection has no lease. */
    claimRejection: (planId: string, decision: Pick<Decision, "by" | "at">) =>
      store.setIfAbsent(
        key(planId),
        JSON.stringify({ ...decision, decision: "reject" } satisfies Decision),
        KEEP_DONE_SECONDS,
      ),
    /**
     * A fresh lease for this replica on exactly the claim `from` (optionally with other fields: a take-over's
     * new token and approver). Null when the claim moved on (another owner took it, or it is done).
     */
    async renew(from: HeldClaim, changes: Partial<Decision> = {}): Promise<HeldClaim | null> {
      const leaseUntil = nowMs() + options.leaseMs;
      const next = held(from.planId, { ...from.decision, ...changes, owner: options.owner, leaseUntil });
      const ok = await store.compareAndSetIndexed(key(from.planId), from.raw, next.raw, undefined, {
        index: EXECUTING_INDEX,
        member: from.planId,
        score: leaseUntil,
      });
      return ok ? next : null;
    },
    /** Ends the execution: state done with the plan's final state, out of the index. False when not ours. */
    finish: (from: HeldClaim, outcome: PlanState) =>
      store.compareAndSetIndexed(
        key(from.planId),
        from.raw,
        JSON.stringify({ ...from.decision, state: "done", outcome } satisfies Decision),
        undefined,
        { index: EXECUTING_INDEX, member: from.planId, score: null },
      ),
    /** Plan ids whose lease expired by now, oldest first. */
    async expired(limit = 50): Promise<string[]> {
      return (await store.indexRange(EXECUTING_INDEX, nowMs(), limit)).map((e) => e.member);
    },
    /** Drops a plan id from the index (its claim is gone or no longer executing). */
    forget: (planId: string) => store.removeFromIndex(EXECUTING_INDEX, planId),
    isExpired: (c: HeldClaim) => (c.decision.leaseUntil ?? 0) <= nowMs(),
  };
}

export type Claims = ReturnType<typeof createClaims>;
