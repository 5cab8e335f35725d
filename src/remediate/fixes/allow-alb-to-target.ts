/**
 * allow-alb-to-target: AuthorizeSecurityGroupIngress on the targets' security group from the ALB's security
 * group, on the traffic port (and the health-check port when it differs). A rule that already admits the ALB
 * (exact, a wider port range, or all traffic) leaves nothing to do: the plan is a no-op and never calls AWS.
 * Undo revokes exactly the rules this plan added, never one that was there before.
 */
import { DescribeInstancesCommand, type IpPermission } from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsClients } from "../../aws/clients.ts";
import { AlbDoctorError } from "../../domain/errors.ts";
import type { FixOffer } from "../offers.ts";
import { awsCall } from "../../aws/call.ts";
import { describeIngress, describeTargetGroup } from "../aws.ts";
import { defineFix, type PlanContext, type PlanProposal, type PlanTarget, unique } from "../fix-module.ts";
import { type AwsCall, type Risk, type Settings, changedKeys } from "../plan.ts";
import { offerValue } from "./common.ts";

export interface IngressRule {
  groupId: string;
  port: number;
  sourceGroupId: string;
}

export const ruleKey = (r: IngressRule) => `${r.groupId} ingress tcp ${r.port} from ${r.sourceGroupId}`;
const KEY = /^(sg-[0-9A-Za-z]+) ingress tcp (\d+) from (sg-[0-9A-Za-z]+)$/;

export function parseRuleKey(key: string): IngressRule {
  const m = KEY.exec(key);
  if (!m) throw new AlbDoctorError("internal", `not an ingress rule key: ${key}`);
  return { groupId: m[1], port: Number(m[2]), sourceGroupId: m[3] };
}

/** Whether the group's ingress already admits the source group on the port (exactly or more widely). */
export function admits(permissions: IpPermission[], port: number, sourceGroupId: string): boolean {
  return permissions.some((p) => {
    const protocolOk =
      p.IpProtocol === "-1" ||
      (p.IpProtocol === "tcp" && (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535));
    return protocolOk && (p.UserIdGroupPairs ?? []).some((g) => g.GroupId === sourceGroupId);
  });
}

const callsFor = (_plan: PlanTarget, before: Settings, after: Settings): AwsCall[] => {
  const byGroup = new Map<string, { add: IpPermission[]; remove: IpPermission[] }>();
  for (const key of changedKeys(before, after)) {
    const rule = parseRuleKey(key);
    const perm: IpPermission = {
      IpProtocol: "tcp",
      FromPort: rule.port,
      ToPort: rule.port,
      UserIdGroupPairs: [{ GroupId: rule.sourceGroupId }],
    };
    const entry = byGroup.get(rule.groupId) ?? { add: [], remove: [] };
    (after[key] === "present" ? entry.add : entry.remove).push(perm);
    byGroup.set(rule.groupId, entry);
  }
  const calls: AwsCall[] = [];
  for (const [groupId, { add, remove }] of byGroup) {
    if (add.length)
      calls.push({
        service: "ec2",
        action: "AuthorizeSecurityGroupIngress",
        resource: groupId,
        params: { GroupId: groupId, IpPermissions: add },
      });
    if (remove.length)
      calls.push({
        service: "ec2",
        action: "RevokeSecurityGroupIngress",
        resource: groupId,
        params: { GroupId: groupId, IpPermissions: remove },
      });
  }
  return calls;
};

async function readRules(clients: AwsClients, keys: string[]): Promise<Settings> {
  const rules = keys.map(parseRuleKey);
  const groups = unique(rules.map((r) => r.groupId));
  const ingress = new Map(
    await Promise.all(groups.map(async (g) => [g, await describeIngress(clients, g)] as const)),
  );
  return Object.fromEntries(
    rules.map((r) => [
      ruleKey(r),
      admits(ingress.get(r.groupId) ?? [], r.port, r.sourceGroupId) ? "present" : "absent",
    ]),
  );
}

export const allowAlbToTarget = defineFix({
  id: "allow-alb-to-target",
  async plan(ctx: PlanContext): Promise<PlanProposal> {
    const wanted = await wantedRules(ctx.clients, ctx.offer);
    const keys = unique(wanted.map(ruleKey));
    const before = await readRules(ctx.clients, keys);
    const after: Settings = Object.fromEntries(keys.map((k) => [k, "present"]));
    const calls = callsFor({ resource: "", loadBalancer: ctx.offer.loadBalancer, data: {} }, before, after);
    const groups = unique(wanted.map((r) => r.groupId));
    const risks: Risk[] = [];
    const existing = keys.filter((k) => before[k] === "present");
    if (existing.length)
      risks.push({
        id: "rule-exists",
        level: "ok",
        message: `Already admitted, left as is: ${existing.join("; ")}.`,
        overridable: false,
      });
    if (groups.length > 1)
      risks.push({
        id: "several-groups",
        level: "warn",
        message: `Changes ${groups.length} security groups (${groups.join(", ")}).`,
        overridable: false,
      });
    risks.push({
      id: "group-shared",
      level: "warn",
      message: `The new rule applies to everything else that uses ${groups.join(", ")} too.`,
      overridable: false,
    });
    const adding = changedKeys(before, after);
    return {
      resource: groups[0],
      resources: groups,
      calls,
      before,
      after,
      summary: adding.length
        ? `allow ${adding.map((k) => k.replace(" ingress ", ": ingress ")).join("; ")}`
        : `nothing to add: ${keys.join("; ")} already admitted`,
      risks,
      multiResource: groups.length > 1,
      data: { ruleKeys: keys },
    };
  },
  async readCurrent(clients, plan) {
    return readRules(clients, (plan.data.ruleKeys as string[] | undefined) ?? []);
  },
  callsFor,
});

/**
 * The rules to add: from the offer when it names them (params or changes), the rest from AWS: the ALB's first
 * security group, the target group's traffic and health-check ports, the first security group of its targets.
 */
async function wantedRules(clients: AwsClients, offer: FixOffer): Promise<IngressRule[]> {
  const fromChanges = (offer.fix.changes ?? []).flatMap((c) => {
    const m = /ingress\s+tcp\s+(\d+)(?:-(\d+))?\s+from\s+(sg-[0-9A-Za-z]+)/i.exec(c.setting);
    if (!m || !c.resource.startsWith("sg-")) return [];
    return [{ groupId: c.resource, port: Number(m[1]), sourceGroupId: m[3] }];
  });
  if (fromChanges.length) return fromChanges;

  let groupId =
    offerValue(offer, "groupId") ??
    offerValue(offer, "targetSecurityGroupId") ??
    offerValue(offer, "securityGroupId");
  let sourceGroupId = offerValue(offer, "sourceGroupId") ?? offerValue(offer, "sourceSecurityGroupId");
  let ports = (offerValue(offer, "ports") ?? offerValue(offer, "port") ?? "")
    .split(",")
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p > 0);
  const hcPort = Number(offerValue(offer, "healthCheckPort"));
  if (Number.isInteger(hcPort) && hcPort > 0) ports.push(hcPort);

  const tgArn =
    offerValue(offer, "targetGroupArn") ?? (await firstTargetGroupOf(clients, offer.loadBalancer.arn));
  if (!sourceGroupId) sourceGroupId = await albSecurityGroup(clients, offer.loadBalancer.arn);
  if (!ports.length || !groupId) {
    const group = await describeTargetGroup(clients, tgArn);
    if (!ports.length) {
      if (group.Port) ports.push(group.Port);
      const hc = Number(group.HealthCheckPort);
      if (Number.isInteger(hc) && hc > 0) ports.push(hc);
    }
    if (!groupId) groupId = await targetSecurityGroup(clients, tgArn);
  }
  ports = unique(ports);
  if (!ports.length) throw new AlbDoctorError("usage", "no traffic port found for the target group");
  return ports.map((port) => ({ groupId: groupId as string, port, sourceGroupId: sourceGroupId as string }));
}

async function albSecurityGroup(clients: AwsClients, arn: string): Promise<string> {
  const out = await awsCall(clients, "elasticloadbalancing:DescribeLoadBalancers", (abortSignal) =>
    clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }), { abortSignal }),
  );
  const sg = out.LoadBalancers?.[0]?.SecurityGroups?.[0];
  if (!sg) throw new AlbDoctorError("not-found", `load balancer ${arn} has no security group`);
  return sg;
}

async function firstTargetGroupOf(clients: AwsClients, lbArn: string): Promise<string> {
  const out = await awsCall(clients, "elasticloadbalancing:DescribeTargetGroups", (abortSignal) =>
    clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }), { abortSignal }),
  );
  const arn = out.TargetGroups?.[0]?.TargetGroupArn;
  if (!arn) throw new AlbDoctorError("not-found", `load balancer ${lbArn} has no target group`);
  return arn;
}

async function targetSecurityGroup(clients: AwsClients, tgArn: string): Promise<string> {
  const health = await awsCall(clients, "elasticloadbalancing:DescribeTargetHealth", (abortSignal) =>
    clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }), { abortSignal }),
  );
  const instanceIds = (health.TargetHealthDescriptions ?? [])
    .map((d) => d.Target?.Id ?? "")
    .filter((id) => id.startsWith("i-"));
  if (!instanceIds.length)
    throw new AlbDoctorError(
      "usage",
      "the targets are not instances: name the security group in the fix offer",
    );
  const out = await awsCall(clients, "ec2:DescribeInstances", (abortSignal) =>
    clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds.slice(0, 1) }), { abortSignal }),
  );
  const sg = out.Reservations?.[0]?.Instances?.[0]?.SecurityGroups?.[0]?.GroupId;
  if (!sg) throw new AlbDoctorError("not-found", `no security group found on target ${instanceIds[0]}`);
  return sg;
}
