/**
 * What every automated fix provides, and the parts that are the same for all of them. A module reads the
 * current state and proposes a plan (`plan`), re-reads the settings the plan covers (`readCurrent`) and turns a
 * before/after pair into write calls (`callsFor`). From those, `defineFix` derives the plan draft (the fix id,
 * the offer's finding and load balancer, no-op when there are no calls), apply (the exact calls), verify
 * (re-read: every setting now has its `after` value) and inverse (swap before and after: restore the previous
 * values, revoke exactly the added rule).
 */
import type { AwsClients } from "../aws/clients.ts";
import type { FixId } from "../domain/ids.ts";
import type { FixOffer } from "./offers.ts";
import { executeCall, type ObservedDurations } from "./aws.ts";
import { ownerRisks } from "./owner-risk.ts";
import {
  type AwsCall,
  type Plan,
  type PlanDraft,
  type Risk,
  type Settings,
  describeChanges,
} from "./plan.ts";

export interface PlanContext {
  clients: AwsClients;
  offer: FixOffer;
  now: Date;
  /** Observed request durations of the window; the idle-timeout fix reads CloudWatch when absent. */
  observed?: ObservedDurations;
}

/** The part of a plan `callsFor` and `readCurrent` need. */
export type PlanTarget = Pick<Plan, "resource" | "loadBalancer" | "data">;

export interface Verification {
  ok: boolean;
  /** What was checked, for people: "idle_timeout.timeout_seconds is 4 (wanted 4)". */
  checks: { setting: string; wanted: string | null; actual: string | null; ok: boolean }[];
  summary: string;
}

/** What a module's `plan` works out; `defineFix` adds the parts that are the same for every fix. */
export type PlanProposal = Omit<PlanDraft, "fixId" | "findingId" | "loadBalancer" | "noop">;

export interface FixModuleSpec {
  id: FixId;
  plan(ctx: PlanContext): Promise<PlanProposal>;
  readCurrent(clients: AwsClients, plan: PlanTarget): Promise<Settings>;
  callsFor(plan: PlanTarget, before: Settings, after: Settings): AwsCall[];
  /** Risks an undo carries (restoring a value can be risky too); none by default. */
  inverseRisks?(plan: Plan): Risk[];
}

export interface FixModule extends Omit<FixModuleSpec, "plan"> {
  plan(ctx: PlanContext): Promise<PlanDraft>;
  apply(clients: AwsClients, plan: Plan): Promise<{ requestId: string; requestIds: string[] }>;
  verify(clients: AwsClients, plan: Plan): Promise<Verification>;
  inverse(plan: Plan): PlanDraft;
}

export function defineFix(spec: FixModuleSpec): FixModule {
  const draft = (of: Pick<Plan, "findingId" | "loadBalancer">, proposal: PlanProposal): PlanDraft => ({
    fixId: spec.id,
    findingId: of.findingId,
    loadBalancer: of.loadBalancer,
    ...proposal,
    noop: proposal.calls.length === 0,
  });
  return {
    ...spec,
    async plan(ctx) {
      const proposal = await spec.plan(ctx);
      // A no-op changes nothing an owner could revert.
      const owned = proposal.calls.length ? await ownerRisks(ctx.clients, proposal.resources) : [];
      return draft(ctx.offer, { ...proposal, risks: [...proposal.risks, ...owned] });
    },
    async apply(clients, plan) {
      const requestIds: string[] = [];
      // Sequential on purpose: a failure stops before the next resource changes.
      for (const call of plan.calls) requestIds.push(await executeCall(clients, call));
      return { requestId: requestIds.join(","), requestIds };
    },
    async verify(clients, plan) {
      return compareWithAfter(plan, await spec.readCurrent(clients, plan));
    },
    inverse(plan) {
      const before = plan.after;
      const after = plan.before;
      const calls = spec.callsFor(plan, before, after);
      return draft(plan, {
        resource: plan.resource,
        resources: unique(calls.map((c) => c.resource)),
        calls,
        before,
        after,
        summary: `Undo: ${describeChanges(before, after)}`,
        risks: spec.inverseRisks?.(plan) ?? [],
        multiResource: plan.multiResource,
        data: plan.data,
      });
    },
  };
}

/** Verification of settings already read: every setting of the plan's `after` has its value. Pure. */
export function compareWithAfter(plan: Pick<Plan, "after">, current: Settings): Verification {
  const checks = Object.keys(plan.after).map((setting) => {
    const wanted = plan.after[setting];
    const actual = current[setting] ?? null;
    return { setting, wanted, actual, ok: wanted === actual };
  });
  const failed = checks.filter((c) => !c.ok);
  const summary = failed.length
    ? `still not as planned: ${failed.map((c) => `${c.setting} is ${c.actual ?? "(unset)"}, wanted ${c.wanted ?? "(unset)"}`).join("; ")}`
    : `verified: ${checks.map((c) => `${c.setting} is ${c.actual ?? "(unset)"}`).join("; ")}`;
  return { ok: failed.length === 0, checks, summary };
}

export function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
