/** Small helpers the fix modules share: reading offer parameters and shaping attribute calls. */
import { AlbDoctorError } from "../../domain/errors.ts";
import type { FixOffer } from "../offers.ts";
import type { AwsCall, Risk, Settings } from "../plan.ts";

/** A parameter of the offer (params first, then the matching change's proposed value). */
export function offerValue(offer: FixOffer, param: string, setting?: string): string | undefined {
  const p = offer.fix.params?.[param];
  if (p !== undefined && p !== null && p !== "") return String(p);
  const change = setting ? offer.fix.changes?.find((c) => c.setting === setting) : undefined;
  return change?.proposed;
}

export function requireValue(offer: FixOffer, param: string, setting?: string): string {
  const v = offerValue(offer, param, setting);
  if (v === undefined)
    throw new AlbDoctorError("usage", `the ${offer.fix.id} fix offer has no ${param}: run the check again`);
  return v;
}

export function integerIn(value: string, min: number, max: number, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AlbDoctorError("usage", `${what} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

/** ELB attributes as Key/Value pairs for the changed settings only (unset restores as ""). */
export function attributePairs(keys: string[], after: Settings): { Key: string; Value: string }[] {
  return keys.map((Key) => ({ Key, Value: after[Key] ?? "" }));
}

/** The target group a fix names (params.targetGroupArn, or the resource of its first change). */
export function targetGroupArnOf(offer: FixOffer): string {
  const arn =
    offerValue(offer, "targetGroupArn") ??
    offer.fix.changes?.find((c) => c.resource.includes(":targetgroup/"))?.resource;
  if (!arn) throw new AlbDoctorError("usage", `the ${offer.fix.id} fix offer names no target group`);
  return arn;
}

export function lbNameOf(arn: string): string {
  return arn.split("/").at(-2) ?? arn;
}

/** A target group shared by several load balancers: a change to it reaches all of them. */
export function sharedGroupRisk(
  loadBalancerArns: string[] | undefined,
  groupName: string,
): { multiResource: boolean; risks: Risk[] } {
  const n = loadBalancerArns?.length ?? 0;
  if (n <= 1) return { multiResource: false, risks: [] };
  const names = (loadBalancerArns ?? []).map(lbNameOf).join(", ");
  return {
    multiResource: true,
    risks: [
      {
        id: "shared-target-group",
        level: "warn",
        message: `Target group ${groupName} is used by ${n} load balancers (${names}): this change applies to all of them.`,
        overridable: false,
      },
    ],
  };
}

/**
 * The ModifyLoadBalancerAttributes / ModifyTargetGroupAttributes call that sets `keys` to their `after`
 * values, or no call at all when none of them changes (the plan is then a no-op).
 */
export function modifyAttributesCalls(
  on: "load-balancer" | "target-group",
  resource: string,
  keys: string[],
  before: Settings,
  after: Settings,
): AwsCall[] {
  if (keys.every((k) => before[k] === after[k])) return [];
  const Attributes = attributePairs(keys, after);
  return [
    on === "load-balancer"
      ? {
          service: "elbv2",
          action: "ModifyLoadBalancerAttributes",
          resource,
          params: { LoadBalancerArn: resource, Attributes },
        }
      : {
          service: "elbv2",
          action: "ModifyTargetGroupAttributes",
          resource,
          params: { TargetGroupArn: resource, Attributes },
        },
  ];
}
