/**
 * Which fixes of a report get a button in a channel: the channel's guardrail decides per fix id (and
 * account and load balancer); the others keep their description but no button, with a note saying why.
 * Shared by `/alb check` and triage, so both follow the same rules.
 */
import type { AccountRef } from "../domain/account-ref.ts";
import type { Report } from "../domain/report.ts";
import type { Accounts, TargetAccount } from "./index.ts";

export interface OfferScope {
  allow: (fixId: string) => boolean;
  account?: AccountRef;
  /** Set when the guardrail hides some automated fix. */
  fixNote?: string;
}

export function offerScope(
  accounts: Accounts | undefined,
  channel: string,
  target: TargetAccount | undefined,
  report: Report,
): OfferScope {
  const allow = (fixId: string) =>
    accounts?.mayPlan(channel, target?.alias, fixId, report.loadBalancer.name) ?? true;
  const automated = report.findings.flatMap((f) => f.fixes.filter((x) => x.automated).map((x) => x.id));
  const refused = [...new Set(automated.filter((id) => !allow(id)))];
  return {
    allow,
    ...(target ? { account: { alias: target.alias, id: target.id, region: target.region } } : {}),
    ...(refused.length
      ? {
          fixNote: `This channel's guardrail (accounts file) does not allow planning ${refused.join(", ")}, so ${refused.length > 1 ? "those have" : "it has"} no Fix button.`,
        }
      : {}),
  };
}

/** The SourceIdentity of roles assumed for triage: no person asked, the alarm did. */
export const TRIAGE_REQUESTER = "alb-doctor-triage";
