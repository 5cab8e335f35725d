/**
 * Scenario -> World for Elastic Load Balancing: load balancers (ARN, DNS name, zones, attribute defaults),
 * listeners and rules (ARNs; TargetGroupName resolved to ARNs), target groups (health-check defaults per
 * target type, attributes, LoadBalancerArns from the listeners that use them) and targets (default state).
 * Also adds the network interfaces ELB creates for the LB nodes, one per subnet.
 */
import { isIP } from "node:net";
import type {
  ActionW,
  ListenerW,
  LoadBalancerW,
  NetworkInterfaceW,
  RuleW,
  TargetGroupW,
  TargetW,
} from "./world.ts";
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
  targetGroupArn,
} from "./derive-ids.ts";
import { checkAttribute, defaultTargetGroupAttributes, LB_ATTRIBUTE_DEFAULTS } from "./elb-attributes.ts";
import {
  checkHealthCheck,
  defaultHealthCheck,
  type HealthCheckSettings,
  REASON_DESCRIPTIONS,
} from "./health-check.ts";

export interface ElbPart {
  loadBalancers: LoadBalancerW[];
  listeners: ListenerW[];
  targetGroups: TargetGroupW[];
  /** ENIs of the LB nodes (to add to the EC2 part). */
  nodeInterfaces: NetworkInterfaceW[];
}

const ARN_ID = /\/([0-9a-f]{16})$/;

export function deriveElb(s: Scenario, ec2: Ec2Part, problems: Problems): ElbPart {
  const { region, accountId } = s;
  const now = s.now ? new Date(s.now) : new Date();

  // Target groups first (without LoadBalancerArns) so actions can resolve names to ARNs.
  const tgByName = new Map<string, TargetGroupW>();
  const targetGroups: TargetGroupW[] = s.targetGroups.map((tg, i) => {
    const id =
      tg.Id ??
      ARN_ID.exec(tg.TargetGroupArn ?? "")?.[1] ??
      hexIdFrom(`tg:${accountId}:${region}:${tg.TargetGroupName}`);
    if (tgByName.has(tg.TargetGroupName))
      problems.add(
        ["targetGroups", i, "TargetGroupName"],
        `duplicate target group name ${tg.TargetGroupName}`,
      );
    const lambda = tg.TargetType === "lambda";
    if (!lambda) {
      if (tg.VpcId === undefined) problems.add(["targetGroups", i, "VpcId"], "required: expected a VPC id");
      else if (!ec2.vpcs.some((v) => v.VpcId === tg.VpcId))
        problems.add(["targetGroups", i, "VpcId"], `unknown VPC ${tg.VpcId} (not in vpcs)`);
      if (tg.Port === undefined) problems.add(["targetGroups", i, "Port"], "required: expected 1..65535");
    }
    const hc = healthCheckOf(tg, problems, ["targetGroups", i]);
    const attrs = { ...defaultTargetGroupAttributes(tg.TargetType) };
    for (const [k, v] of Object.entries(tg.Attributes)) {
      const p = checkAttribute("target-group", k, v);
      if (p)
        problems.add(
          ["targetGroups", i, "Attributes", k],
          p.expected === "unknown" ? "unknown target group attribute" : `expected ${p.expected}, got "${v}"`,
        );
      attrs[k] = v;
    }
    const w: TargetGroupW = {
      TargetGroupArn: targetGroupArn(region, accountId, tg.TargetGroupName, id),
      TargetGroupName: tg.TargetGroupName,
      Id: id,
      ...(lambda
        ? {}
        : {
            Protocol: tg.Protocol ?? "HTTP",
            ProtocolVersion: tg.ProtocolVersion ?? "HTTP1",
            Port: tg.Port,
            VpcId: tg.VpcId,
          }),
      TargetType: tg.TargetType,
      IpAddressType: tg.IpAddressType ?? (lambda ? undefined : "ipv4"),
      ...hc,
      LoadBalancerArns: [],
      Attributes: attrs,
      Targets: [],
      Tags: tg.Tags ?? [],
    };
    tgByName.set(tg.TargetGroupName, w);
    return w;
  });
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

  // LoadBalancerArns: the LBs whose listeners forward to the group (default actions and rules).
  for (const l of listeners) {
    const actions = [...l.DefaultActions, ...l.Rules.flatMap((r) => r.Actions)];
    for (const a of actions) {
      for (const t of a.ForwardConfig?.TargetGroups ?? []) {
        const tg = tgByArn.get(t.TargetGroupArn);
        if (tg && !tg.LoadBalancerArns.includes(l.LoadBalancerArn))
          tg.LoadBalancerArns.push(l.LoadBalancerArn);
      }
    }
  }

  s.targetGroups.forEach((tg, i) => {
    targetGroups[i].Targets = deriveTargets(tg, targetGroups[i], ec2, problems, [
      "targetGroups",
      i,
      "Targets",
    ]);
  });
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

const SHORT_HC: [keyof HealthCheckSettings, string][] = [
  ["HealthCheckEnabled", "Enabled"],
  ["HealthCheckProtocol", "Protocol"],
  ["HealthCheckPort", "Port"],
  ["HealthCheckPath", "Path"],
  ["HealthCheckIntervalSeconds", "IntervalSeconds"],
  ["HealthCheckTimeoutSeconds", "TimeoutSeconds"],
  ["HealthyThresholdCount", "HealthyThresholdCount"],
  ["UnhealthyThresholdCount", "UnhealthyThresholdCount"],
  ["Matcher", "Matcher"],
];

/** Defaults <- the flat HealthCheck* fields <- the HealthCheck block; then AWS's cross-field rules. */
function healthCheckOf(
  tg: Scenario["targetGroups"][number],
  problems: Problems,
  at: ProblemPath,
): HealthCheckSettings {
  const hc: HealthCheckSettings = defaultHealthCheck(tg.TargetType, tg.ProtocolVersion);
  const fromBlock = new Set<string>();
  const set = (k: keyof HealthCheckSettings, v: unknown) => {
    if (v !== undefined) (hc as unknown as Record<string, unknown>)[k] = v;
  };
  for (const [flat] of SHORT_HC) set(flat, (tg as Record<string, unknown>)[flat]);
  for (const [flat, short] of SHORT_HC) {
    const v = (tg.HealthCheck as Record<string, unknown> | undefined)?.[short];
    if (v !== undefined) fromBlock.add(flat);
    set(flat, v);
  }
  if (tg.TargetType === "lambda") {
    delete hc.HealthCheckProtocol;
    delete hc.HealthCheckPort;
  }
  for (const p of checkHealthCheck(hc, tg.TargetType)) {
    const [field, sub] = p.field.split(".");
    const short = SHORT_HC.find(([f]) => f === field)?.[1] ?? field;
    const path =
      fromBlock.has(field) || (tg.HealthCheck && !(field in tg))
        ? [...at, "HealthCheck", short]
        : [...at, field];
    problems.add(sub ? [...path, sub] : path, `expected ${p.expected}, got ${JSON.stringify(p.got)}`);
  }
  return hc;
}

function deriveTargets(
  tg: Scenario["targetGroups"][number],
  w: TargetGroupW,
  ec2: Ec2Part,
  problems: Problems,
  at: ProblemPath,
): TargetW[] {
  const seen = new Set<string>();
  return tg.Targets.map((t, k) => {
    const path = [...at, k];
    if (tg.TargetType === "instance") {
      const inst = ec2.instances.find((x) => x.InstanceId === t.Id);
      if (!inst) problems.add([...path, "Id"], `unknown instance ${t.Id} (not in instances)`);
      else if (w.VpcId && inst.VpcId !== w.VpcId)
        problems.add(
          [...path, "Id"],
          `instance ${t.Id} is in ${inst.VpcId}, not the target group's ${w.VpcId}`,
        );
    } else if (tg.TargetType === "ip") {
      if (isIP(t.Id) === 0)
        problems.add([...path, "Id"], `expected an IP address for an ip target group, got "${t.Id}"`);
    } else if (!/^arn:aws[a-z-]*:lambda:/.test(t.Id)) {
      problems.add(
        [...path, "Id"],
        `expected a Lambda function ARN for a lambda target group, got "${t.Id}"`,
      );
    }
    const port = t.Port ?? w.Port;
    const key = `${t.Id}:${port ?? ""}`;
    if (seen.has(key)) problems.add(path, `duplicate target ${t.Id}${port ? ` port ${port}` : ""}`);
    seen.add(key);
    const state =
      t.State ??
      (!w.HealthCheckEnabled ? "unavailable" : w.LoadBalancerArns.length === 0 ? "unused" : "healthy");
    const reason =
      t.Reason ??
      (t.State === undefined && state === "unavailable"
        ? "Target.HealthCheckDisabled"
        : t.State === undefined && state === "unused"
          ? "Target.NotInUse"
          : undefined);
    const { State: _s, Reason: _r, Description, ...rest } = t;
    return {
      ...rest,
      Id: t.Id,
      ...(port !== undefined ? { Port: port } : {}),
      State: state,
      ...(reason
        ? { Reason: reason, Description: Description ?? REASON_DESCRIPTIONS[reason] }
        : Description
          ? { Description }
          : {}),
    };
  });
}
