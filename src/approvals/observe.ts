/**
 * Is a plan's change in AWS? Re-reads the settings the plan covers (the fix module's own readCurrent) and
 * compares them with `after` (applied) and `before` (not applied). Used after a write call that failed or timed
 * out (the request may still have landed) and by the reconciler for executions whose owner died.
 */
import type { AwsClients } from "../aws/clients.ts";
import { isAlbDoctorError } from "../domain/errors.ts";
import { compareWithAfter, type FixModule, type Verification } from "../remediate/fix-module.ts";
import { differences, type Plan } from "../remediate/plan.ts";

export type Observation =
  | { state: "applied" | "not-applied" | "partial"; verification: Verification }
  /** The resource could not be re-read. */
  | { state: "unknown"; error: string };

export async function observe(module: FixModule, aws: AwsClients, plan: Plan): Promise<Observation> {
  let current;
  try {
    current = await module.readCurrent(aws, plan);
  } catch (e) {
    return { state: "unknown", error: e instanceof Error ? e.message : String(e) };
  }
  const verification = compareWithAfter(plan, current);
  if (verification.ok) return { state: "applied", verification };
  if (differences(plan.before, current).length === 0) return { state: "not-applied", verification };
  return { state: "partial", verification };
}

/**
 * Re-reads until the change shows up or `windowMs` passed (a request that timed out on our side may still be
 * processed by AWS a moment later); the last observation otherwise. `windowMs` 0: one read.
 */
export async function settle(
  module: FixModule,
  aws: AwsClients,
  plan: Plan,
  windowMs: number,
  pollMs = 250,
): Promise<Observation> {
  const until = Date.now() + windowMs;
  for (;;) {
    const seen = await observe(module, aws, plan);
    const left = until - Date.now();
    if (seen.state === "applied" || left <= 0) return seen;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
  }
}

/**
 * True when AWS answered the write with a client error (4xx): the request was refused and changed nothing.
 * Anything else (a timeout, a dropped connection, a 5xx) leaves it open whether the write landed.
 */
export function refusedByAws(e: unknown): boolean {
  if (!isAlbDoctorError(e) || e.code === "timeout") return false;
  const status = (e.cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}
