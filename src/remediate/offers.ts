/**
 * Fix offers: the automated fixes of a report, saved in the store under opaque ids so that a button's value
 * carries only the id (never resource details). The Slack renderer takes the id map; the fix button's
 * listener loads the offer and asks the remediation planner for a plan. An offer is what a fix module plans
 * from, so it lives with remediation.
 */
import { randomBytes } from "node:crypto";
import type { FixSuggestion, Report } from "../domain/report.ts";
import type { PlanAccount } from "../remediate/plan.ts";
import type { Store } from "../store/store.ts";

export interface FixOffer {
  offerId: string;
  loadBalancer: { name: string; arn: string };
  findingId: string;
  fix: FixSuggestion;
  window: { start: string; end: string };
  createdAt: string;
  /** The account of the report (accounts file): the plan is made and run there, under the guardrail. */
  account?: OfferAccount;
}

export type OfferAccount = PlanAccount;

const DAY = 86_400;

export function offerKey(findingId: string, fixId: string): string {
  return `${findingId}/${fixId}`;
}

/** Saves one offer per automated fix of the report; returns `${findingId}/${fixId}` -> offer id. */
export async function saveFixOffers(
  store: Store,
  report: Report,
  options: {
    ttlSeconds?: number;
    now?: Date;
    account?: OfferAccount;
    /** The channel's guardrail: fixes it may not plan get no offer (and so no button). */
    allow?: (fixId: string) => boolean;
  } = {},
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const createdAt = (options.now ?? new Date()).toISOString();
  for (const finding of report.findings) {
    for (const fix of finding.fixes) {
      if (!fix.automated || (options.allow && !options.allow(fix.id))) continue;
      const key = offerKey(finding.id, fix.id);
      if (ids[key]) continue;
      const offer: FixOffer = {
        offerId: `fx_${randomBytes(9).toString("base64url")}`,
        loadBalancer: { name: report.loadBalancer.name, arn: report.loadBalancer.arn },
        findingId: finding.id,
        fix,
        window: report.window,
        createdAt,
        ...(options.account ? { account: options.account } : {}),
      };
      await store.set(`offer:${offer.offerId}`, JSON.stringify(offer), options.ttlSeconds ?? DAY);
      ids[key] = offer.offerId;
    }
  }
  return ids;
}

export async function loadFixOffer(store: Store, offerId: string): Promise<FixOffer | null> {
  if (!/^fx_[A-Za-z0-9_-]{6,40}$/.test(offerId)) return null;
  const raw = await store.get(`offer:${offerId}`);
  return raw ? (JSON.parse(raw) as FixOffer) : null;
}
