/**
 * Scenario -> World for Elastic Load Balancing: load balancers (ARN, DNS name, zones, attribute defaults),
 * listeners and rules (ARNs; TargetGroupName resolved to ARNs); target groups are in derive-target-groups.ts.
 * Also adds the network interfaces ELB creates for the LB nodes, one per subnet.
 */
import type { ActionW, ListenerW, LoadBalancerW, NetworkInterfaceW, RuleW, TargetGroupW } from "./world.ts";
import type { Scenario, ScenarioAction } from "./scenario-schema.ts";
import type { Problems, ProblemPath } from "./scenario-problems.ts";
import type { Ec2Part } from "./derive-ec2.ts";
import {
  canonicalHostedZoneId,
  elbArn,
  hexIdFrom,
  hostInCidr,
  lbDnsName,
  lbResourceId,
  loadBalancerArn,
} from "./derive-ids.ts";
import { checkAttribute, LB_ATTRIBUTE_DEFAULTS } from "./elb-attributes.ts";
import { ARN_ID, deriveTargetGroups, linkTargetGroups } from "./derive-target-groups.ts";

export interface ElbPart {
  loadBalancers: LoadBalancerW[];
  listeners: ListenerW[];
  targetGroups: TargetGroupW[];
  /** ENIs of the LB nodes (to add to the EC2 part). */
  nodeInterfaces: NetworkInterfaceW[];
}

export function deriveElb(s: Scenario, ec2: Ec2Part, problems: Problems): ElbPart {
  const { region, accountId } = s;
  const now = s.now ? new Date(s.now) : new Date();

  // Target groups first (without LoadBalancerArns) so actions can resolve names to ARNs.
  const targetGroups = deriveTargetGroups(s, ec2, problems);
  const tgByName = new Map(targetGroups.map((t) => [t.TargetGroupName, t]));
  const tgByArn = new Map(targetGroups.map((t) => [t.TargetGroupArn, t]));

  const resolveTg = (
    name: string | undefined,
    arn: string | undefined,
    path: ProblemPath,
  ): string | undefined => {
    if (name !== undefined) {
      const tg = tgByName.get(name);
      if (!tg)
        problems.add([...path, "TargetGroupName"], `unknown target group ${name} (not in targetGroups)`);
      if (tg && arn !== undefined && arn !== tg.TargetGroupArn)
        problems.add([...path, "TargetGroupArn"], `does not match TargetGroupName ${name}`);
      return tg?.TargetGroupArn;
    }
    if (arn !== undefined && !tgByArn.has(arn))
      problems.add([...path, "TargetGroupArn"], `unknown target group ${arn}`);
    return arn;
  };
  const resolveAction = (a: ScenarioAction, path: ProblemPath): ActionW => {
    const { TargetGroupName, ForwardConfig, ...rest } = a;
    const out: ActionW = { ...rest } as ActionW;
    if (a.Type === "forward") {
      if (TargetGroupName === undefined && a.TargetGroupArn === undefined && !ForwardConfig) {
        problems.add(path, "a forward action needs TargetGroupName, TargetGroupArn or ForwardConfig");
      }
      const tgs = (ForwardConfig?.TargetGroups ?? []).map((t, k) => ({
        TargetGroupArn:
          resolveTg(t.TargetGroupName, t.TargetGroupArn, [...path, "ForwardConfig", "TargetGroups", k]) ?? "",
        Weight: t.Weight ?? 1,
      }));
      const single =
        TargetGroupName !== undefined || a.TargetGroupArn !== undefined
          ? resolveTg(TargetGroupName, a.TargetGroupArn, path)
          : undefined;
      if (single) tgs.unshift({ TargetGroupArn: single, Weight: 1 });
      if (single !== undefined || tgs.length === 1) out.TargetGroupArn = single ?? tgs[0].TargetGroupArn;
      // AWS describes every forward action with its ForwardConfig, even when created with a single ARN.
      out.ForwardConfig = {
        TargetGroups: tgs,
        TargetGroupStickinessConfig: ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false },
      };
    } else if (a.Type === "redirect" && !a.RedirectConfig)
      problems.add(path, "a redirect action needs RedirectConfig");
    else if (a.Type === "fixed-response" && !a.FixedResponseConfig)
      problems.add(path, "a fixed-response action needs FixedResponseConfig");
    return out;
  };

  const loadBalancers: LoadBalancerW[] = [];
  const listeners: ListenerW[] = [];
  const nodeInterfaces: NetworkInterfaceW[] = [];
  const lbNames = new Set<string>();
  s.loadBalancers.forEach((lb, i) => {
    const at: ProblemPath = ["loadBalancers", i];
    if (lbNames.has(lb.LoadBalancerName))
      problems.add([...at, "LoadBalancerName"], `duplicate load balancer name ${lb.LoadBalancerName}`);
    lbNames.add(lb.LoadBalancerName);
    const id =
      lb.Id ??
      ARN_ID.exec(lb.LoadBalancerArn ?? "")?.[1] ??
      hexIdFrom(`lb:${accountId}:${region}:${lb.LoadBalancerName}`);
    const arn = loadBalancerArn(region, accountId, lb.LoadBalancerName, id);
    if (!ec2.vpcs.some((v) => v.VpcId === lb.VpcId))
      problems.add([...at, "VpcId"], `unknown VPC ${lb.VpcId} (not in vpcs)`);
    const subnetIds = lb.Subnets ?? lb.AvailabilityZones?.map((z) => z.SubnetId) ?? [];
    if (subnetIds.length === 0) problems.add([...at, "Subnets"], "required: expected at least one subnet");
    const zones = subnetIds.flatMap((sid, k) => {
      const sn = ec2.subnets.find((x) => x.SubnetId === sid);
      const path = lb.Subnets ? [...at, "Subnets", k] : [...at, "AvailabilityZones", k, "SubnetId"];
      if (!sn) problems.add(path, `unknown subnet ${sid} (not in subnets)`);
      else if (sn.VpcId !== lb.VpcId) problems.add(path, `subnet ${sid} is in ${sn.VpcId}, not ${lb.VpcId}`);
      return sn ? [{ ZoneName: sn.AvailabilityZone, SubnetId: sid }] : [];
    });
    lb.SecurityGroups.forEach((g, k) => {
      const sg = ec2.securityGroups.find((x) => x.GroupId === g);
      if (!sg)
        problems.add([...at, "SecurityGroups", k], `unknown security group ${g} (not in securityGroups)`);
      else if (sg.VpcId !== lb.VpcId)
        problems.add([...at, "SecurityGroups", k], `security group ${g} is in ${sg.VpcId}, not ${lb.VpcId}`);
    });
    const attrs: Record<string, string> = { ...LB_ATTRIBUTE_DEFAULTS };
    for (const [k, v] of Object.entries(lb.Attributes)) {
      const p = checkAttribute("load-balancer", k, v);
      if (p)
        problems.add(
          [...at, "Attributes", k],
          p.expected === "unknown" ? "unknown load balancer attribute" : `expected ${p.expected}, got "${v}"`,
        );
      attrs[k] = v;
    }
    if (attrs["access_logs.s3.enabled"] === "true" && !attrs["access_logs.s3.bucket"]) {
      problems.add(
        [...at, "Attributes", "access_logs.s3.bucket"],
        "required when access_logs.s3.enabled is true",
      );
    }
    loadBalancers.push({
      LoadBalancerArn: arn,
      LoadBalancerName: lb.LoadBalancerName,
      Id: id,
      DNSName: lb.DNSName ?? lbDnsName(lb.LoadBalancerName, region, lb.Scheme, accountId),
      CanonicalHostedZoneId: lb.CanonicalHostedZoneId ?? canonicalHostedZoneId(region),
      CreatedTime: lb.CreatedTime ?? new Date(now.getTime() - 90 * 86_400_000).toISOString(),
      Scheme: lb.Scheme,
      VpcId: lb.VpcId,
      State: lb.State ?? { Code: "active" },
      Type: lb.Type,
      AvailabilityZones: zones,
      SecurityGroups: lb.SecurityGroups,
      IpAddressType: lb.IpAddressType,
      Attributes: attrs,
      Tags: lb.Tags ?? [],
    });
    for (const z of zones) {
      const sn = ec2.subnets.find((x) => x.SubnetId === z.SubnetId);
      const ip = sn && hostInCidr(sn.CidrBlock, `elb-node:${arn}:${z.SubnetId}`, ec2.takenIps);
      if (!sn || !ip) continue;
      ec2.takenIps.add(ip);
      nodeInterfaces.push({
        NetworkInterfaceId: `eni-${hexIdFrom(`eni:${arn}:${z.SubnetId}`, 17)}`,
        SubnetId: z.SubnetId,
        VpcId: lb.VpcId,
        PrivateIpAddress: ip,
        Groups: lb.SecurityGroups.map((g) => ({
          GroupId: g,
          GroupName: ec2.securityGroups.find((x) => x.GroupId === g)?.GroupName,
        })),
        Description: `ELB ${lbResourceId(lb.LoadBalancerName, id)}`,
        Status: "in-use",
        AvailabilityZone: z.ZoneName,
        InterfaceType: "interface",
        RequesterManaged: true,
      } as NetworkInterfaceW);
    }
    const ports = new Set<number>();
    lb.Listeners.forEach((l, j) => {
      const lpath: ProblemPath = [...at, "Listeners", j];
      if (ports.has(l.Port)) problems.add([...lpath, "Port"], `duplicate listener port ${l.Port}`);
      ports.add(l.Port);
      const listenerId = hexIdFrom(`listener:${arn}:${l.Port}`);
      const listenerArn =
        l.ListenerArn ?? elbArn(region, accountId, `listener/app/${lb.LoadBalancerName}/${id}/${listenerId}`);
      const priorities = new Set<number>();
      const rules: RuleW[] = (l.Rules ?? []).map((r, k) => {
        if (priorities.has(r.Priority))
          problems.add([...lpath, "Rules", k, "Priority"], `duplicate rule priority ${r.Priority}`);
        priorities.add(r.Priority);
        const ruleId = hexIdFrom(`rule:${listenerArn}:${r.Priority}`);
        return {
          RuleArn:
            r.RuleArn ??
            elbArn(
              region,
              accountId,
              `listener-rule/app/${lb.LoadBalancerName}/${id}/${listenerId}/${ruleId}`,
            ),
          Priority: String(r.Priority),
          Conditions: (r.Conditions as RuleW["Conditions"]).map(withBothValueForms),
          Actions: r.Actions.map((a, m) => resolveAction(a, [...lpath, "Rules", k, "Actions", m])),
          IsDefault: false,
        };
      });
      listeners.push({
        ListenerArn: listenerArn,
        LoadBalancerArn: arn,
        Port: l.Port,
        Protocol: l.Protocol,
        ...(l.Protocol === "HTTPS"
          ? {
              SslPolicy: l.SslPolicy ?? "ELBSecurityPolicy-2016-08",
              Certificates: l.Certificates ?? [
                {
                  CertificateArn: `arn:aws:acm:${region}:${accountId}:certificate/${hexIdFrom(`cert:${arn}`, 32)}`,
                },
              ],
            }
          : {}),
        DefaultActions: l.DefaultActions.map((a, m) => resolveAction(a, [...lpath, "DefaultActions", m])),
        Rules: rules,
      });
    });
  });

  linkTargetGroups(s, targetGroups, listeners, ec2, problems);
  return { loadBalancers, listeners, targetGroups, nodeInterfaces };
}

/**
 * AWS describes host-header and path-pattern conditions in both forms, the legacy `Values` and the
 * `HostHeaderConfig` / `PathPatternConfig` block, whichever was used to create them.
 */
function withBothValueForms(c: RuleW["Conditions"][number]): RuleW["Conditions"][number] {
  const key =
    c.Field === "host-header"
      ? "HostHeaderConfig"
      : c.Field === "path-pattern"
        ? "PathPatternConfig"
        : undefined;
  if (!key) return c;
  const values = c.Values ?? c[key]?.Values;
  if (!values) return c;
  return { ...c, Values: values, [key]: { ...c[key], Values: c[key]?.Values ?? values } };
}
