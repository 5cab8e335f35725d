/**
 * Scenario -> World for target groups: ids and ARNs, health-check defaults per target type (then AWS's
 * rules), attribute defaults, LoadBalancerArns from the listeners that forward to each group, and targets
 * (known instance / IP / Lambda ARN, default port and state).
 */
import { isIP } from "node:net";
import type { ListenerW, TargetGroupW, TargetW } from "./world.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { Problems, ProblemPath } from "./scenario-problems.ts";
import type { Ec2Part } from "./derive-ec2.ts";
import { hexIdFrom, targetGroupArn } from "./derive-ids.ts";
import { checkAttribute, defaultTargetGroupAttributes } from "./elb-attributes.ts";
import {
  checkHealthCheck,
  defaultHealthCheck,
  type HealthCheckSettings,
  REASON_DESCRIPTIONS,
} from "./health-check.ts";

/** The 16-hex id at the end of an ELB ARN given in a scenario. */
export const ARN_ID = /\/([0-9a-f]{16})$/;

/** The groups without LoadBalancerArns and targets (which need the listeners): see linkTargetGroups. */
export function deriveTargetGroups(s: Scenario, ec2: Ec2Part, problems: Problems): TargetGroupW[] {
  const { region, accountId } = s;
  const tgByName = new Map<string, TargetGroupW>();
  return s.targetGroups.map((tg, i) => {
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
}

/** LoadBalancerArns from the listeners' forward actions (default actions and rules), then the targets. */
export function linkTargetGroups(
  s: Scenario,
  targetGroups: TargetGroupW[],
  listeners: ListenerW[],
  ec2: Ec2Part,
  problems: Problems,
): void {
  // LoadBalancerArns: the LBs whose listeners forward to the group (default actions and rules).
  const tgByArn = new Map(targetGroups.map((t) => [t.TargetGroupArn, t]));
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
