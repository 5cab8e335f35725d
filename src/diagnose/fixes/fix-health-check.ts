import type { FixChange, FixSuggestion } from "../../domain/report.ts";
import type { HealthCheck, TargetGroup } from "../../domain/snapshot.ts";

/** Health-check settings a plan can change, named as ModifyTargetGroup names them. */
export interface HealthCheckPatch {
  HealthCheckPath?: string;
  HealthCheckPort?: string;
  HealthCheckProtocol?: string;
  Matcher?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  UnhealthyThresholdCount?: number;
  HealthyThresholdCount?: number;
}

function currentValue(hc: HealthCheck, key: keyof HealthCheckPatch): string | null {
  switch (key) {
    case "HealthCheckPath":
      return hc.path ?? null;
    case "HealthCheckPort":
      return hc.port;
    case "HealthCheckProtocol":
      return hc.protocol;
    case "Matcher":
      return hc.matcher?.httpCode ?? null;
    case "HealthCheckIntervalSeconds":
      return String(hc.intervalSeconds);
    case "HealthCheckTimeoutSeconds":
      return String(hc.timeoutSeconds);
    case "UnhealthyThresholdCount":
      return String(hc.unhealthyThreshold);
    case "HealthyThresholdCount":
      return String(hc.healthyThreshold);
  }
}

/** Automated fix: ModifyTargetGroup with only the settings that change. Returns null when nothing would change. */
export function fixHealthCheckFix(group: TargetGroup, patch: HealthCheckPatch): FixSuggestion | null {
  const changes: FixChange[] = [];
  const params: Record<string, string | number> = { targetGroupArn: group.arn };
  for (const [key, value] of Object.entries(patch) as [
    keyof HealthCheckPatch,
    string | number | undefined,
  ][]) {
    if (value === undefined) continue;
    const current = currentValue(group.healthCheck, key);
    if (current === String(value)) continue;
    changes.push({ resource: group.arn, setting: key, current, proposed: String(value) });
    params[key] = value;
  }
  if (changes.length === 0) return null;
  const what = changes.map((c) => `${c.setting} ${c.current ?? "(unset)"} -> ${c.proposed}`).join(", ");
  return {
    id: "fix-health-check",
    automated: true,
    summary: `Change the health check of ${group.name}: ${what}`,
    changes,
    params,
  };
}
