/**
 * set-deregistration-delay: ModifyTargetGroupAttributes deregistration_delay.timeout_seconds (0..3600), so
 * in-flight requests can finish when a target leaves during a deployment.
 */
import type { AwsClients } from "../../aws/clients.ts";
import { describeTargetGroup, readTargetGroupAttributes } from "../aws.ts";
import { defineFix, type PlanContext, type PlanProposal, type PlanTarget } from "../fix-module.ts";
import type { AwsCall, Risk, Settings } from "../plan.ts";
import {
  integerIn,
  modifyAttributesCalls,
  requireValue,
  sharedGroupRisk,
  targetGroupArnOf,
} from "./common.ts";

export const DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

const callsFor = (plan: PlanTarget, before: Settings, after: Settings): AwsCall[] =>
  modifyAttributesCalls("target-group", plan.resource, [DEREGISTRATION_DELAY], before, after);

const readSettings = async (clients: AwsClients, arn: string): Promise<Record<string, string>> => {
  const attrs = await readTargetGroupAttributes(clients, arn);
  return { [DEREGISTRATION_DELAY]: attrs[DEREGISTRATION_DELAY] ?? "300" };
};

export const setDeregistrationDelay = defineFix({
  id: "set-deregistration-delay",
  async plan(ctx: PlanContext): Promise<PlanProposal> {
    const arn = targetGroupArnOf(ctx.offer);
    const proposed = integerIn(
      requireValue(ctx.offer, "deregistrationDelaySeconds", DEREGISTRATION_DELAY),
      0,
      3600,
      DEREGISTRATION_DELAY,
    );
    const [group, before] = await Promise.all([
      describeTargetGroup(ctx.clients, arn),
      readSettings(ctx.clients, arn),
    ]);
    const current = before[DEREGISTRATION_DELAY];
    const name = group.TargetGroupName ?? arn;
    const shared = sharedGroupRisk(group.LoadBalancerArns, name);
    const risks: Risk[] = [...shared.risks];
    if (proposed > Number(current))
      risks.push({
        id: "slower-deployments",
        level: "warn",
        message: `Deployments wait up to ${proposed} s per deregistered target (was ${current} s).`,
        overridable: false,
      });
    if (proposed < Number(current))
      risks.push({
        id: "shorter-drain",
        level: "warn",
        message: `Requests still running ${proposed} s after a target is deregistered will be cut (was ${current} s).`,
        overridable: false,
      });
    const after = { [DEREGISTRATION_DELAY]: String(proposed) };
    const calls = callsFor({ resource: arn, loadBalancer: ctx.offer.loadBalancer, data: {} }, before, after);
    return {
      resource: arn,
      resources: [arn],
      calls,
      before,
      after,
      summary: `${DEREGISTRATION_DELAY} ${current} -> ${proposed} on target group ${name}`,
      risks,
      multiResource: shared.multiResource,
      data: { targetGroupName: name },
    };
  },
  readCurrent: (clients, plan) => readSettings(clients, plan.resource),
  callsFor,
});
