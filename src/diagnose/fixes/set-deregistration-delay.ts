import type { FixSuggestion } from "../../domain/report.ts";
import type { TargetGroup } from "../../domain/snapshot.ts";

export const DEREGISTRATION_DELAY_SETTING = "deregistration_delay.timeout_seconds";
export const DEREGISTRATION_DELAY_MAX = 3600;
export const DEREGISTRATION_DELAY_DEFAULT = 300;

export function deregistrationDelaySeconds(group: TargetGroup): number {
  const n = Number(group.attributes[DEREGISTRATION_DELAY_SETTING]);
  return Number.isFinite(n) && group.attributes[DEREGISTRATION_DELAY_SETTING] !== undefined
    ? n
    : DEREGISTRATION_DELAY_DEFAULT;
}

/** A delay that lets the slowest observed request finish, with 50% headroom, rounded up to 10 s. */
export function proposedDeregistrationDelay(slowestSeconds: number): number {
  return Math.min(DEREGISTRATION_DELAY_MAX, Math.max(30, Math.ceil((slowestSeconds * 1.5) / 10) * 10));
}

export function setDeregistrationDelayFix(group: TargetGroup, proposed: number): FixSuggestion {
  const current = deregistrationDelaySeconds(group);
  return {
    id: "set-deregistration-delay",
    automated: true,
    summary: `Raise ${DEREGISTRATION_DELAY_SETTING} on ${group.name} ${current} -> ${proposed}`,
    changes: [
      {
        resource: group.arn,
        setting: DEREGISTRATION_DELAY_SETTING,
        current: group.attributes[DEREGISTRATION_DELAY_SETTING] ?? null,
        proposed: String(proposed),
      },
    ],
    params: { targetGroupArn: group.arn, deregistrationDelaySeconds: proposed },
  };
}
