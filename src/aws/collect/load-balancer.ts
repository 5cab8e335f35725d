/** The load balancer's attributes, listeners and rules, mapped to the domain's shapes. */
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeRulesCommand,
  type Action,
  type Listener as SdkListener,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Listener, ListenerAction, ListenerRule } from "../../domain/snapshot.ts";
import { allPages, awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";

export async function describeLbAttributes(
  clients: AwsClients,
  lbArn: string,
): Promise<Record<string, string>> {
  const out = await awsCall(clients, "elasticloadbalancing:DescribeLoadBalancerAttributes", (abortSignal) =>
    clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }), {
      abortSignal,
    }),
  );
  return Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
}

export async function describeListeners(clients: AwsClients, lbArn: string): Promise<SdkListener[]> {
  const pages = await allPages(
    (Marker) =>
      awsCall(clients, "elasticloadbalancing:DescribeListeners", (abortSignal) =>
        clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, Marker }), { abortSignal }),
      ),
    (page) => page.NextMarker,
  );
  return pages.flatMap((page) => page.Listeners ?? []);
}

export async function describeRules(clients: AwsClients, listenerArn: string): Promise<ListenerRule[]> {
  const pages = await allPages(
    (Marker) =>
      awsCall(clients, "elasticloadbalancing:DescribeRules", (abortSignal) =>
        clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker }), { abortSignal }),
      ),
    (page) => page.NextMarker,
  );
  return pages
    .flatMap((page) => page.Rules ?? [])
    .map((r) => ({
      arn: r.RuleArn ?? "",
      priority: r.Priority ?? "",
      conditions: (r.Conditions ?? []).map((c) => ({
        field: c.Field ?? "",
        values: c.Values ?? c.PathPatternConfig?.Values ?? c.HostHeaderConfig?.Values ?? [],
      })),
      actions: (r.Actions ?? []).map(toAction),
    }));
}

export function toListener(l: SdkListener, rules: ListenerRule[]): Listener {
  return {
    arn: l.ListenerArn ?? "",
    port: l.Port ?? 0,
    protocol: l.Protocol ?? "",
    sslPolicy: l.SslPolicy,
    defaultActions: (l.DefaultActions ?? []).map(toAction),
    // The default rule repeats the default actions; keep only the listener's own rules.
    rules: rules.filter((r) => r.priority !== "default"),
  };
}

export function toAction(a: Action): ListenerAction {
  const forward = a.ForwardConfig?.TargetGroups?.length
    ? a.ForwardConfig.TargetGroups.map((t) => ({ arn: t.TargetGroupArn ?? "", weight: t.Weight ?? 1 }))
    : a.TargetGroupArn
      ? [{ arn: a.TargetGroupArn, weight: 1 }]
      : undefined;
  return {
    type: a.Type ?? "",
    ...(forward ? { targetGroups: forward } : {}),
    ...(a.FixedResponseConfig?.StatusCode ? { fixedResponseStatus: a.FixedResponseConfig.StatusCode } : {}),
    ...(a.RedirectConfig?.StatusCode ? { redirectStatus: a.RedirectConfig.StatusCode } : {}),
  };
}

/** Every target group ARN a listener forwards to: default actions, rules, weighted forwards. */
export function forwardedTargetGroupArns(listeners: Listener[]): string[] {
  const arns = new Set<string>();
  for (const l of listeners) {
    for (const a of [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)]) {
      for (const tg of a.targetGroups ?? []) arns.add(tg.arn);
    }
  }
  return [...arns];
}
