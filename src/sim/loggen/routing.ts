/**
 * How the simulated LB routes one request: listener -> first matching rule (by priority) -> action ->
 * target group -> target. Mirrors ALB routing closely enough for realistic logs: path-pattern,
 * host-header and http-request-method conditions are evaluated; rules with other conditions (headers,
 * query strings, source IPs) never match generated traffic.
 */
import type {
  ActionW,
  InstanceW,
  ListenerW,
  NetworkInterfaceW,
  RuleConditionW,
  TargetGroupW,
  TargetW,
} from "../world.ts";
import type { Rng } from "./random.ts";

export interface RouteTarget {
  target: TargetW;
  /** ip:port as the access log shows it; "-" for Lambda. */
  address: string;
}

export interface Route {
  /** "forward", "authenticate,forward", "redirect", "fixed-response" */
  actionsExecuted: string;
  /** 0 = default action, else the rule's priority. */
  matchedRulePriority: number;
  targetGroup?: TargetGroupW;
  redirect?: Record<string, string>;
  fixedStatus?: number;
}

const globCache = new Map<string, RegExp>();

/** ALB rule globs: `*` any run of characters, `?` one character; case-insensitive. Compiled once per glob. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`, "i");
  globCache.set(glob, re);
  return re;
}

function values(c: RuleConditionW, cfg?: { Values: string[] }): string[] {
  return cfg?.Values ?? c.Values ?? [];
}

function conditionMatches(c: RuleConditionW, req: { host: string; path: string; method: string }): boolean {
  const pathOnly = req.path.split("?")[0];
  switch (c.Field) {
    case "path-pattern":
      return values(c, c.PathPatternConfig).some((v) => globToRegExp(v).test(pathOnly));
    case "host-header":
      return values(c, c.HostHeaderConfig).some((v) => globToRegExp(v).test(req.host));
    case "http-request-method":
      return values(c, c.HttpRequestMethodConfig).includes(req.method);
    default:
      return false;
  }
}

function routeActions(actions: ActionW[], groups: Map<string, TargetGroupW>, rng: Rng) {
  const sorted = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const auth = sorted.some((a) => a.Type.startsWith("authenticate"));
  const final = sorted.find((a) => !a.Type.startsWith("authenticate")) ?? sorted[0];
  if (!final) return { actionsExecuted: "-" };
  const prefix = auth ? "authenticate," : "";
  if (final.Type === "redirect")
    return { actionsExecuted: `${prefix}redirect`, redirect: final.RedirectConfig ?? {} };
  if (final.Type === "fixed-response") {
    return {
      actionsExecuted: `${prefix}fixed-response`,
      fixedStatus: Number(final.FixedResponseConfig?.StatusCode ?? 200),
    };
  }
  const weighted = final.ForwardConfig?.TargetGroups ?? [];
  const arn =
    final.TargetGroupArn ??
    (weighted.length ? rng.weighted(weighted, (g) => g.Weight ?? 1).TargetGroupArn : undefined);
  return { actionsExecuted: `${prefix}forward`, targetGroup: arn ? groups.get(arn) : undefined };
}

export function routeRequest(
  listener: ListenerW,
  req: { host: string; path: string; method: string },
  groups: Map<string, TargetGroupW>,
  rng: Rng,
): Route {
  const rules = [...listener.Rules]
    .filter((r) => !r.IsDefault)
    .sort((a, b) => Number(a.Priority) - Number(b.Priority));
  for (const rule of rules) {
    if (rule.Conditions.length && rule.Conditions.every((c) => conditionMatches(c, req))) {
      return { ...routeActions(rule.Actions, groups, rng), matchedRulePriority: Number(rule.Priority) };
    }
  }
  return { ...routeActions(listener.DefaultActions, groups, rng), matchedRulePriority: 0 };
}

/** Targets that get new requests: healthy (and health-check-less) ones; all registered ones if none is (fail-open). */
export function routableTargets(tg: TargetGroupW, only?: string[]): TargetW[] {
  const registered = tg.Targets.filter((t) => t.State !== "unused");
  if (only) {
    const chosen = registered.filter((t) => only.includes(t.Id));
    if (chosen.length) return chosen;
  }
  const healthy = registered.filter((t) => t.State === "healthy" || t.State === "unavailable");
  if (healthy.length) return healthy;
  // Fail open: with no healthy target the LB spreads requests over the registered ones (not draining).
  return registered.filter((t) => t.State !== "draining" && t.State !== "initial");
}

export function targetAddress(
  tg: TargetGroupW,
  t: TargetW,
  instances: InstanceW[],
  enis: NetworkInterfaceW[],
): string {
  if (tg.TargetType === "lambda") return "-";
  const port = t.Port ?? tg.Port ?? 80;
  let ip = t.Id;
  if (tg.TargetType === "instance") {
    ip = instances.find((i) => i.InstanceId === t.Id)?.PrivateIpAddress ?? syntheticIp(t.Id);
  } else if (!/^[0-9.]+$|:/.test(t.Id)) {
    ip = enis.find((e) => e.NetworkInterfaceId === t.Id)?.PrivateIpAddress ?? syntheticIp(t.Id);
  }
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** A stable private address for a target the world does not describe. */
function syntheticIp(id: string): string {
  let h = 0;
  for (const ch of id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `10.0.${(h >>> 8) % 256}.${(h % 253) + 1}`;
}
