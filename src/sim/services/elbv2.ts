/**
 * Elastic Load Balancing v2 (awsQuery, Version 2015-12-01): the Describe actions the project and the
 * manual playbook use, with AWS's paging and errors. The Modify actions are in elbv2-modify.ts.
 */
import { SimError } from "../contract.ts";
import type { World } from "../world.ts";
import { createAwsQueryHandler } from "../wire/aws-query-handler.ts";
import { qObject, qString, qStrings, qRequiredString, qList, qInt, type QueryParams } from "../wire/query.ts";
import {
  attributesShape,
  findLb,
  findListener,
  findRule,
  findTg,
  lbShape,
  listenerShape,
  page,
  ruleShape,
  rulesOf,
  targetGroupShape,
  targetHealthShape,
} from "./elbv2-shapes.ts";
import {
  modifyLoadBalancerAttributes,
  modifyTargetGroup,
  modifyTargetGroupAttributes,
} from "./elbv2-modify.ts";

export const ELBV2_XMLNS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

function exclusive(params: QueryParams, names: string[]): void {
  const given = names.filter(
    (n) => qList(params[n]).length > 0 || (typeof params[n] === "string" && params[n] !== ""),
  );
  if (given.length > 1) {
    throw new SimError("ValidationError", `${given.join(" and ")} cannot be specified together`);
  }
}

function describeLoadBalancers(params: QueryParams, world: World) {
  exclusive(params, ["Names", "LoadBalancerArns"]);
  const names = qStrings(params.Names, "Names");
  const arns = qStrings(params.LoadBalancerArns, "LoadBalancerArns");
  let lbs = world.loadBalancers;
  if (names.length) {
    const missing = names.filter((n) => !lbs.some((lb) => lb.LoadBalancerName === n));
    if (missing.length)
      throw new SimError("LoadBalancerNotFound", `Load balancers '[${missing.join(", ")}]' not found`);
    lbs = lbs.filter((lb) => names.includes(lb.LoadBalancerName));
  } else if (arns.length) {
    lbs = arns.map((a) => findLb(world, a));
  }
  const { items, NextMarker } = page(lbs, params);
  return { LoadBalancers: items.map(lbShape), NextMarker };
}

function describeListeners(params: QueryParams, world: World) {
  const lbArn = qString(params.LoadBalancerArn, "LoadBalancerArn");
  const arns = qStrings(params.ListenerArns, "ListenerArns");
  if (!lbArn && arns.length === 0) {
    throw new SimError("ValidationError", "You must specify either listener ARNs or a load balancer ARN");
  }
  if (lbArn && arns.length)
    throw new SimError(
      "ValidationError",
      "Listener ARNs and a load balancer ARN cannot be specified at the same time",
    );
  const listeners = lbArn
    ? (findLb(world, lbArn), world.listeners.filter((l) => l.LoadBalancerArn === lbArn))
    : arns.map((a) => findListener(world, a));
  const { items, NextMarker } = page(listeners, params);
  return { Listeners: items.map(listenerShape), NextMarker };
}

function describeRules(params: QueryParams, world: World) {
  const listenerArn = qString(params.ListenerArn, "ListenerArn");
  const arns = qStrings(params.RuleArns, "RuleArns");
  if (!listenerArn && arns.length === 0) {
    throw new SimError("ValidationError", "You must specify either listener rule ARNs or a listener ARN");
  }
  const rules = listenerArn ? rulesOf(findListener(world, listenerArn)) : arns.map((a) => findRule(world, a));
  const { items, NextMarker } = page(rules, params);
  return { Rules: items.map(ruleShape), NextMarker };
}

function describeTargetGroups(params: QueryParams, world: World) {
  exclusive(params, ["Names", "TargetGroupArns", "LoadBalancerArn"]);
  const names = qStrings(params.Names, "Names");
  const arns = qStrings(params.TargetGroupArns, "TargetGroupArns");
  const lbArn = qString(params.LoadBalancerArn, "LoadBalancerArn");
  let tgs = world.targetGroups;
  if (names.length) {
    const missing = names.filter((n) => !tgs.some((t) => t.TargetGroupName === n));
    if (missing.length)
      throw new SimError("TargetGroupNotFound", `Target groups '[${missing.join(", ")}]' not found`);
    tgs = tgs.filter((t) => names.includes(t.TargetGroupName));
  } else if (arns.length) {
    tgs = arns.map((a) => findTg(world, a));
  } else if (lbArn) {
    findLb(world, lbArn);
    tgs = tgs.filter((t) => t.LoadBalancerArns.includes(lbArn));
  }
  const { items, NextMarker } = page(tgs, params);
  return { TargetGroups: items.map(targetGroupShape), NextMarker };
}

function describeTargetHealth(params: QueryParams, world: World) {
  const tg = findTg(world, qRequiredString(params.TargetGroupArn, "TargetGroupArn"));
  const include = qStrings(params.Include, "Include");
  const wanted = qList(params.Targets).map((t) => {
    const o = qObject(t, "Targets") ?? {};
    return { Id: qRequiredString(o.Id, "Targets.member.N.Id"), Port: qInt(o.Port, "Port") };
  });
  if (wanted.length === 0)
    return { TargetHealthDescriptions: tg.Targets.map((t) => targetHealthShape(tg, t, include)) };
  const invalid = wanted.filter(
    (w) =>
      (tg.TargetType === "instance" && !world.instances.some((i) => i.InstanceId === w.Id)) ||
      (tg.TargetType === "ip" && !/^[0-9a-fA-F.:]+$/.test(w.Id)),
  );
  if (invalid.length) {
    throw new SimError(
      "InvalidTarget",
      `The following targets are not valid: ${invalid.map((w) => `'${w.Id}'`).join(", ")}`,
    );
  }
  return {
    TargetHealthDescriptions: wanted.map((w) => {
      const t = tg.Targets.find((x) => x.Id === w.Id && (w.Port === undefined || x.Port === w.Port));
      return targetHealthShape(
        tg,
        t ?? {
          Id: w.Id,
          Port: w.Port ?? tg.Port,
          State: "unused",
          Reason: "Target.NotRegistered",
          Description: "Target is not registered to the target group",
        },
        include,
      );
    }),
  };
}

function describeTags(params: QueryParams, world: World) {
  const arns = qStrings(params.ResourceArns, "ResourceArns");
  if (arns.length === 0 || arns.length > 20) {
    throw new SimError("ValidationError", "ResourceArns must contain between 1 and 20 ARNs");
  }
  return {
    TagDescriptions: arns.map((arn) => {
      const kind = /:(loadbalancer|targetgroup|listener|listener-rule)\//.exec(arn)?.[1];
      const tags =
        kind === "loadbalancer"
          ? findLb(world, arn).Tags
          : kind === "targetgroup"
            ? findTg(world, arn).Tags
            : kind === "listener"
              ? (findListener(world, arn), [])
              : kind === "listener-rule"
                ? (findRule(world, arn), [])
                : undefined;
      if (!tags) throw new SimError("ValidationError", `'${arn}' is not a valid load balancer resource ARN`);
      return { ResourceArn: arn, Tags: tags };
    }),
  };
}

export const elbv2Handler = createAwsQueryHandler({
  service: "elbv2",
  xmlns: ELBV2_XMLNS,
  actions: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeLoadBalancerAttributes: (p, w) => ({
      Attributes: attributesShape(
        findLb(w, qRequiredString(p.LoadBalancerArn, "LoadBalancerArn")).Attributes,
      ),
    }),
    ModifyLoadBalancerAttributes: modifyLoadBalancerAttributes,
    DescribeListeners: describeListeners,
    DescribeRules: describeRules,
    DescribeTargetGroups: describeTargetGroups,
    DescribeTargetGroupAttributes: (p, w) => ({
      Attributes: attributesShape(findTg(w, qRequiredString(p.TargetGroupArn, "TargetGroupArn")).Attributes),
    }),
    ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
    ModifyTargetGroup: modifyTargetGroup,
    DescribeTargetHealth: describeTargetHealth,
    DescribeTags: describeTags,
  },
});
