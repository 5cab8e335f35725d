import type { FixChange, FixSuggestion } from "../../domain/report.ts";
import type { HealthCheck, TargetGroup } from "../../domain/snapshot.ts";

/** AWS accepts a HealthCheckPath of at most 1024 characters. */
export const MAX_HEALTH_CHECK_PATH = 1024;
/** RFC 3986 pchar without pct-encoded (unreserved, sub-delims, ":" and "@"), and "/" between segments. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/**
 * Why a path seen in traffic must not become a health-check path, or undefined when it may. Paths in the
 * access logs are what the internet sent: a fix takes one only if it is a plain path (starts with "/", only
 * RFC 3986 pchar, no percent-escapes, no "." or ".." segment, no ":id" placeholder of a collapsed pattern,
 * at most 1024 characters), so no request can steer the change to another route or smuggle markup into it.
 */
export function healthCheckPathProblem(path: string): string | undefined {
  if (path.length === 0 || path.length > MAX_HEALTH_CHECK_PATH)
    return `not 1..${MAX_HEALTH_CHECK_PATH} characters long`;
  if (!path.startsWith("/")) return "does not start with /";
  if (path.includes("%")) return "has percent-escapes";
  if (!PLAIN_PATH.test(path)) return "has characters outside RFC 3986 path characters";
  const segments = path.split("/");
  if (segments.some((s) => s === "." || s === "..")) return "has a . or .. segment";
  if (segments.includes(":id")) return "is a pattern (:id), not a path";
  return undefined;
}

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
