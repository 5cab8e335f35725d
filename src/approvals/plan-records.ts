/**
 * Plans in the store: the plan document (`plan:<id>`), the undo link (`plan:<id>:undo`) and the audit entries
 * about a plan. The one decision per plan (`plan:<id>:claim`, with its execution lease) is claims.ts.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { AlbDoctorError } from "../domain/errors.ts";
import type { Plan, PlanDraft } from "../remediate/plan.ts";
import type { AuditEntry, AuditEvent, Store } from "../store/store.ts";
import { type Claims, KEEP_DONE_SECONDS } from "./claims.ts";

export const PLAN_ID = /^pl_[A-Za-z0-9_-]{6,40}$/;

export function createPlanRecords(options: {
  store: Store;
  now: () => Date;
  planTtlSeconds: number;
  claims: Claims;
  logger?: Logger;
}) {
  const { store, now } = options;
  const planKey = (id: string) => `plan:${id}`;
  const undoKey = (id: string) => `plan:${id}:undo`;

  const audit = (plan: Plan, event: AuditEvent, actor: string, extra: Partial<AuditEntry> = {}) =>
    store.appendAudit({
      at: now().toISOString(),
      event,
      planId: plan.id,
      fixId: plan.fixId,
      actor,
      loadBalancer: plan.loadBalancer.name,
      resource: plan.resource,
      ...(plan.account ? { account: plan.account.alias } : {}),
      ...extra,
    });

  const records = {
    store,
    audit,
    save: (plan: Plan, ttlSeconds = KEEP_DONE_SECONDS) =>
      store.set(planKey(plan.id), JSON.stringify(plan), ttlSeconds),
    async get(id: string): Promise<Plan> {
      if (!PLAN_ID.test(id)) throw new AlbDoctorError("usage", `"${id}" is not a plan id (pl_...)`);
      const raw = await store.get(planKey(id));
      if (!raw)
        throw new AlbDoctorError(
          "not-found",
          `plan ${id} is unknown or long expired: click Fix again for a new plan`,
        );
      return JSON.parse(raw) as Plan;
    },
    async create(
      draft: PlanDraft,
      requestedBy: string,
      extra: Pick<Plan, "offerId" | "undoOf" | "account">,
    ): Promise<Plan> {
      const created = now();
      const plan: Plan = {
        ...draft,
        ...extra,
        id: `pl_${randomBytes(9).toString("base64url")}`,
        requestedBy,
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + options.planTtlSeconds * 1000).toISOString(),
        state: "pending",
      };
      // Kept an hour past expiry, so a late click hears "expired" rather than "unknown".
      await records.save(plan, options.planTtlSeconds + 3600);
      return plan;
    },
    remove: (id: string) => store.del(planKey(id)),
    /** Why a plan cannot be decided any more ("already approved by <@U>"), or null while it is open. */
    async closedReason(plan: Plan): Promise<string | null> {
      const claim = await options.claims.read(plan.id);
      if (claim) {
        const d = claim.decision;
        return d.decision === "approve" ? `already approved by <@${d.by}>` : `already rejected by <@${d.by}>`;
      }
      return plan.state === "pending" ? null : `plan ${plan.id} is ${plan.state}`;
    },
    undoOf: (planId: string) => store.get(undoKey(planId)),
    /** Links an undo plan to the plan it reverses; replaces `previous` (an expired or rejected undo) atomically. */
    linkUndo: (planId: string, undoId: string, previous: string | null) =>
      previous
        ? store.compareAndSet(undoKey(planId), previous, undoId, KEEP_DONE_SECONDS)
        : store.setIfAbsent(undoKey(planId), undoId, KEEP_DONE_SECONDS),
  };
  return records;
}

export type PlanRecords = ReturnType<typeof createPlanRecords>;
