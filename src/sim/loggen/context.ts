/**
 * What the traffic generator derives once per file: the LB's listeners (or a stand-in HTTPS listener),
 * the host names, and the client population (IPs, user agents, kept-alive connections).
 */
import type { InstanceW, ListenerW, LoadBalancerW, NetworkInterfaceW, TargetGroupW } from "../world.ts";
import type { Rng } from "./random.ts";
import { DEFAULT_USER_AGENTS, type GenerateSpec } from "./spec.ts";

/** What one generated file is about: the LB, its groups and targets, and the file's window. */
export interface GenerateContext {
  lb: LoadBalancerW;
  targetGroups: TargetGroupW[];
  /** The LB's listeners (others are ignored); absent: one HTTPS:443 listener forwarding to the LB's groups. */
  listeners?: ListenerW[];
  instances?: InstanceW[];
  networkInterfaces?: NetworkInterfaceW[];
  start: Date;
  end: Date;
  seed?: string | number;
}

export interface Client {
  ip: string;
  userAgent: string;
  /** conn_trace_id values of this client's connections. */
  connections: string[];
  weight: number;
}

export function lbListeners(ctx: GenerateContext): ListenerW[] {
  const own = (ctx.listeners ?? []).filter((l) => l.LoadBalancerArn === ctx.lb.LoadBalancerArn);
  if (own.length) return own;
  const groups = ctx.targetGroups.filter((g) => g.LoadBalancerArns.includes(ctx.lb.LoadBalancerArn));
  const chosen = groups.length ? groups : ctx.targetGroups;
  return [
    {
      ListenerArn: `${ctx.lb.LoadBalancerArn.replace(":loadbalancer/", ":listener/")}/synthetic`,
      LoadBalancerArn: ctx.lb.LoadBalancerArn,
      Port: 443,
      Protocol: "HTTPS",
      DefaultActions: chosen.length
        ? [
            {
              Type: "forward",
              ForwardConfig: {
                TargetGroups: chosen.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: 1 })),
              },
            },
          ]
        : [{ Type: "forward" }],
      Rules: [],
    },
  ];
}

export function hasForward(l: ListenerW): boolean {
  return l.DefaultActions.some((a) => a.Type === "forward");
}

export function hostsFromRules(listeners: ListenerW[]): string[] {
  const hosts = new Set<string>(["api.example.com"]);
  for (const l of listeners)
    for (const r of l.Rules)
      for (const c of r.Conditions)
        if (c.Field === "host-header")
          for (const v of c.HostHeaderConfig?.Values ?? c.Values ?? []) if (!/[*?]/.test(v)) hosts.add(v);
  return [...hosts];
}

export function makeClients(rng: Rng, spec: GenerateSpec, internal: boolean): Client[] {
  const agents = spec.UserAgents ?? DEFAULT_USER_AGENTS;
  return Array.from({ length: spec.Clients }, (_, i) => ({
    ip: internal ? rng.privateIp() : rng.publicIp(),
    userAgent: rng.pick(agents),
    connections: Array.from({ length: rng.int(1, 4) }, () => `TID_${rng.hex(32)}`),
    weight: 1 / (i + 1),
  }));
}
