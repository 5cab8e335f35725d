/**
 * Channel guardrails: which accounts (and load balancer names) a Slack channel may check, and which fix ids
 * it may plan. A refusal names the guardrail and says what the channel may do, and is decided before any AWS
 * call, so it cannot reveal anything about the other account's resources. The CLI has no channel: it is run
 * by whoever holds the credentials, and the guardrails do not apply to it.
 */
import { AlbDoctorError } from "../domain/errors.ts";
import type { AccountsMap, Guardrail } from "./file.ts";

/** The guardrail of a channel: its own entry, else `default:`. */
export function guardrailFor(map: AccountsMap, channel: string): Guardrail {
  return map.channels.get(channel) ?? map.default;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, "\\$&"))
    .join(".*");
  // ELB names are unique regardless of case, so the patterns are too.
  return new RegExp(`^${body}$`, "i");
}

export function mayCheckLoadBalancer(rail: Guardrail, name: string): boolean {
  return !rail.loadBalancers || rail.loadBalancers.some((p) => globToRegExp(p).test(name));
}

export function mayPlanFix(rail: Guardrail, fixId: string): boolean {
  return rail.fixes.includes("*") || rail.fixes.includes(fixId as Guardrail["fixes"][number]);
}

/** What the channel may do, in one sentence (for refusals and help). */
export function describeGuardrail(rail: Guardrail): string {
  const accounts = rail.accounts.length ? rail.accounts.join(", ") : "no account";
  const lbs = rail.loadBalancers ? ` (load balancers ${rail.loadBalancers.join(", ")})` : "";
  const fixes = rail.fixes.includes("*") ? "any fix" : rail.fixes.length ? rail.fixes.join(", ") : "no fixes";
  return `This channel may check ${accounts}${lbs} and plan ${fixes}.`;
}

/** A refusal by the guardrail: which one, what was refused, what is allowed. */
export function guardrailRefusal(rail: Guardrail, what: string): AlbDoctorError {
  return new AlbDoctorError(
    "forbidden",
    `Refused by the accounts file's ${rail.source} guardrail: ${what} is not allowed here. ${describeGuardrail(rail)}`,
    { details: { guardrail: rail.source } },
  );
}
