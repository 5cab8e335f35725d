/**
 * A remediation plan: one approved change to AWS, described completely before anything runs.
 * `before` and `after` are flat maps of setting -> value (strings, or null for unset) read from AWS at planning
 * time; the calls change exactly the settings whose before and after differ. The same maps drive the drift check
 * (current must equal `before`), verification (current must equal `after`) and undo (swap them).
 */
import type { AccountRef } from "../domain/account-ref.ts";
import type { FixId } from "../domain/ids.ts";

export type PlanState =
  | "pending" // waiting for an approver
  | "approved" // claimed by an approver (plans decided before execution leases existed)
  | "executing" // claimed by an approver; an owner holds the execution lease (the reconciler closes it if it dies)
  | "executed" // AWS call done and verified
  | "unverified" // AWS call done, but re-reading did not show the change
  | "failed" // the AWS call failed
  | "drifted" // the resource changed since planning: nothing done
  | "rejected"
  | "undone"; // an executed plan whose undo plan ran

/** block: cannot run (unless overridden); warn: runs, and the message says why to care; ok: a check that passed. */
export type RiskLevel = "block" | "warn" | "ok";

export interface Risk {
  /** Stable id, the word an override names: `/alb fix PLAN --override lower-idle-timeout`. */
  id: string;
  level: RiskLevel;
  message: string;
  /** A blocking risk that an approver may accept explicitly. */
  overridable: boolean;
}

/** One AWS write call, in the SDK input shape of its command. */
export interface AwsCall {
  service: "elbv2" | "ec2";
  action:
    | "ModifyLoadBalancerAttributes"
    | "ModifyTargetGroup"
    | "ModifyTargetGroupAttributes"
    | "AuthorizeSecurityGroupIngress"
    | "RevokeSecurityGroupIngress";
  /** The resource the call changes (ARN or sg-...). */
  resource: string;
  params: Record<string, unknown>;
}

export type Settings = Record<string, string | null>;

/** The account a plan runs in (from the accounts file); absent: the bot's own credentials and region. */
export type PlanAccount = AccountRef;

export interface Plan {
  id: string;
  fixId: FixId;
  /** The finding the fix answers (for verification wording and history). */
  findingId: string;
  offerId?: string;
  loadBalancer: { name: string; arn: string };
  /** The main resource changed (ARN or sg-...). */
  resource: string;
  /** Every resource the calls touch. */
  resources: string[];
  calls: AwsCall[];
  before: Settings;
  after: Settings;
  /** One line for people, e.g. "idle_timeout.timeout_seconds 60 -> 4 on my-alb". */
  summary: string;
  risks: Risk[];
  /** True when more than one resource changes (the message says so). */
  multiResource: boolean;
  /** Nothing to change: the current state already is the wanted one. Never runs. */
  noop: boolean;
  /** Fix-specific data the module needs again at apply/verify/undo time (plain JSON). */
  data: Record<string, unknown>;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  state: PlanState;
  /** For an undo plan: the executed plan it reverses. */
  undoOf?: string;
  account?: PlanAccount;
}

/** What a fix module computes; the flow adds id, requester, times and state. */
export type PlanDraft = Omit<
  Plan,
  "id" | "requestedBy" | "createdAt" | "expiresAt" | "state" | "undoOf" | "offerId" | "account"
>;

/** The settings whose value changes, in `before` order. */
export function changedKeys(before: Settings, after: Settings): string[] {
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

/** Differences between two setting maps over the keys of `expected`; empty when they agree. */
export function differences(
  expected: Settings,
  actual: Settings,
): { key: string; expected: string | null; actual: string | null }[] {
  return Object.keys(expected)
    .filter((k) => (actual[k] ?? null) !== expected[k])
    .map((k) => ({ key: k, expected: expected[k], actual: actual[k] ?? null }));
}

export function blockingRisks(plan: Pick<Plan, "risks">, overrides: readonly string[] = []): Risk[] {
  return plan.risks.filter((r) => r.level === "block" && !(r.overridable && overrides.includes(r.id)));
}

/** "a -> b, c -> d" for the changed settings. */
export function describeChanges(before: Settings, after: Settings): string {
  return changedKeys(before, after)
    .map((k) => `${k} ${before[k] ?? "(unset)"} -> ${after[k] ?? "(unset)"}`)
    .join(", ");
}
