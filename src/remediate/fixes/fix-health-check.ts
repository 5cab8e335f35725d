/**
 * fix-health-check: ModifyTargetGroup with the health-check settings the finding asks for (path, port,
 * protocol, matcher, interval, timeout, thresholds); only the settings that differ from AWS's current ones.
 */
import type { TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import { healthCheckPathProblem } from "../../diagnose/fixes/fix-health-check.ts";
import { AlbDoctorError } from "../../domain/errors.ts";
import { describeTargetGroup } from "../aws.ts";
import { defineFix, type PlanContext, type PlanProposal, type PlanTarget } from "../fix-module.ts";
import { type AwsCall, type Risk, type Settings, changedKeys, describeChanges } from "../plan.ts";
import { sharedGroupRisk, targetGroupArnOf } from "./common.ts";

/** The settings, named as ModifyTargetGroup names them. */
export const HEALTH_CHECK_SETTINGS = [
  "HealthCheckProtocol",
  "HealthCheckPort",
  "HealthCheckPath",
  "Matcher",
  "HealthCheckIntervalSeconds",
  "HealthCheckTimeoutSeconds",
  "HealthyThresholdCount",
  "UnhealthyThresholdCount",
] as const;
type Setting = (typeof HEALTH_CHECK_SETTINGS)[number];
const NUMERIC = new Set<Setting>([
  "HealthCheckIntervalSeconds",
  "HealthCheckTimeoutSeconds",
  "HealthyThresholdCount",
  "UnhealthyThresholdCount",
]);
const RANGES: Partial<Record<Setting, [number, number]>> = {
  HealthCheckIntervalSeconds: [5, 300],
  HealthCheckTimeoutSeconds: [2, 120],
  HealthyThresholdCount: [2, 10],
  UnhealthyThresholdCount: [2, 10],
};

export function healthCheckSettings(group: TargetGroup): Settings {
  const s: Settings = {
    HealthCheckProtocol: group.HealthCheckProtocol ?? null,
    HealthCheckPort: group.HealthCheckPort ?? null,
    HealthCheckPath: group.HealthCheckPath ?? null,
    Matcher: group.Matcher?.HttpCode ?? null,
    HealthCheckIntervalSeconds: numberOrNull(group.HealthCheckIntervalSeconds),
    HealthCheckTimeoutSeconds: numberOrNull(group.HealthCheckTimeoutSeconds),
    HealthyThresholdCount: numberOrNull(group.HealthyThresholdCount),
    UnhealthyThresholdCount: numberOrNull(group.UnhealthyThresholdCount),
  };
  return s;
}

const callsFor = (plan: PlanTarget, before: Settings, after: Settings): AwsCall[] => {
  const keys = changedKeys(before, after) as Setting[];
  if (keys.length === 0) return [];
  const params: Record<string, unknown> = { TargetGroupArn: plan.resource };
  for (const key of keys) {
    const value = after[key];
    if (value === null) continue; // AWS has no "unset"; a restore to unset keeps the current value
    if (key === "Matcher") params.Matcher = { HttpCode: value };
    else params[key] = NUMERIC.has(key) ? Number(value) : value;
  }
  return [{ service: "elbv2", action: "ModifyTargetGroup", resource: plan.resource, params }];
};

export const fixHealthCheck = defineFix({
  id: "fix-health-check",
  async plan(ctx: PlanContext): Promise<PlanProposal> {
    const arn = targetGroupArnOf(ctx.offer);
    const group = await describeTargetGroup(ctx.clients, arn);
    const current = healthCheckSettings(group);
    const wanted = wantedSettings(ctx.offer.fix.params ?? {}, ctx.offer.fix.changes ?? []);
    if (Object.keys(wanted).length === 0)
      throw new AlbDoctorError(
        "usage",
        "the fix-health-check offer names no setting to change: run the check again",
      );
    // before/after cover only the settings the fix is about.
    const before: Settings = {};
    const after: Settings = {};
    for (const [key, value] of Object.entries(wanted)) {
      before[key] = current[key];
      after[key] = value;
    }
    const name = group.TargetGroupName ?? arn;
    const shared = sharedGroupRisk(group.LoadBalancerArns, name);
    const risks = [...shared.risks, ...healthCheckRisks({ ...current, ...after })];
    const calls = callsFor({ resource: arn, loadBalancer: ctx.offer.loadBalancer, data: {} }, before, after);
    return {
      resource: arn,
      resources: [arn],
      calls,
      before,
      after,
      summary: calls.length
        ? `health check of ${name}: ${describeChanges(before, after)}`
        : `health check of ${name} already as wanted`,
      risks,
      multiResource: shared.multiResource,
      data: { targetGroupName: name },
    };
  },
  async readCurrent(clients, plan) {
    const all = healthCheckSettings(await describeTargetGroup(clients, plan.resource));
    return all;
  },
  callsFor,
});

/**
 * The settings the offer asks for, validated against AWS's ranges. A path is validated again here, before
 * any plan is stored: an offer is data (saved, read back), and the path in it may come from traffic.
 */
export function wantedSettings(
  params: Record<string, string | number | boolean>,
  changes: { setting: string; proposed: string }[],
): Settings {
  const out: Settings = {};
  for (const key of HEALTH_CHECK_SETTINGS) {
    const raw = params[key] ?? changes.find((c) => c.setting === key)?.proposed;
    if (raw === undefined || raw === "") continue;
    const value = String(raw);
    const range = RANGES[key];
    if (range) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < range[0] || n > range[1])
        throw new AlbDoctorError("usage", `${key} must be ${range[0]}..${range[1]}, not "${value}"`);
    }
    if (key === "HealthCheckPath") {
      const problem = healthCheckPathProblem(value);
      if (problem)
        throw new AlbDoctorError(
          "usage",
          `refusing the health-check path from the offer: it ${problem}; set the path by hand`,
          { details: { length: value.length } },
        );
    }
    out[key] = value;
  }
  return out;
}

/** Checks of the resulting health check as a whole. */
export function healthCheckRisks(result: Settings): Risk[] {
  const risks: Risk[] = [];
  const interval = Number(result.HealthCheckIntervalSeconds);
  const timeout = Number(result.HealthCheckTimeoutSeconds);
  if (Number.isFinite(interval) && Number.isFinite(timeout) && timeout >= interval)
    risks.push({
      id: "timeout-not-below-interval",
      level: "block",
      message: `The health-check timeout (${timeout} s) must be shorter than the interval (${interval} s).`,
      overridable: false,
    });
  risks.push({
    id: "targets-may-flip",
    level: "warn",
    message: `If the targets do not answer ${result.HealthCheckPath ?? "the path"} on port ${result.HealthCheckPort ?? "traffic-port"} with ${result.Matcher ?? "200"}, all of them turn unhealthy (the ALB then fails open).`,
    overridable: false,
  });
  return risks;
}

function numberOrNull(n: number | undefined): string | null {
  return n === undefined ? null : String(n);
}
