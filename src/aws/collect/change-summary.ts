/**
 * One line for people about a CloudTrail write event, from its requestParameters: the rule a revoke removed,
 * the attribute values set, the health-check settings edited. The record is outside input: only strings and
 * numbers are read, each cut short, and anything unexpected falls back to the event name and resources.
 */
type Params = Record<string, unknown>;

const MAX_VALUE = 120;
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v.slice(0, MAX_VALUE) : typeof v === "number" ? String(v) : undefined;
const items = (v: unknown): Params[] => {
  const list = v && typeof v === "object" && "items" in v ? (v as { items: unknown }).items : v;
  return Array.isArray(list) ? list.filter((x): x is Params => Boolean(x) && typeof x === "object") : [];
};

/** "tcp 8080 from sg-0lb" for each permission of an ipPermissions list. */
function permissions(v: unknown): string[] {
  return items(v).map((p) => {
    const proto = str(p.ipProtocol) === "-1" ? "all traffic" : (str(p.ipProtocol) ?? "?");
    const from = str(p.fromPort);
    const to = str(p.toPort);
    const ports = from === undefined ? "" : from === to || to === undefined ? ` ${from}` : ` ${from}-${to}`;
    const sources = [
      ...items(p.groups).map((g) => str(g.groupId)),
      ...items(p.ipRanges).map((r) => str(r.cidrIp)),
      ...items(p.ipv6Ranges).map((r) => str(r.cidrIpv6)),
    ].filter(Boolean);
    return `${proto}${ports}${sources.length ? ` from ${sources.join(", ")}` : ""}`;
  });
}

const HEALTH_KEYS: Record<string, string> = {
  healthCheckPath: "health-check path",
  healthCheckPort: "health-check port",
  healthCheckProtocol: "health-check protocol",
  healthCheckIntervalSeconds: "interval",
  healthCheckTimeoutSeconds: "timeout",
  healthyThresholdCount: "healthy threshold",
  unhealthyThresholdCount: "unhealthy threshold",
};

export function summarizeEvent(event: string, params: unknown, touched: string[]): string {
  const p: Params = params && typeof params === "object" ? (params as Params) : {};
  const on = touched.join(", ");
  switch (event) {
    case "RevokeSecurityGroupIngress":
    case "RevokeSecurityGroupEgress":
    case "AuthorizeSecurityGroupIngress":
    case "AuthorizeSecurityGroupEgress": {
      const verb = event.startsWith("Revoke") ? "revoked" : "authorized";
      const dir = event.endsWith("Egress") ? " (egress)" : "";
      const rules = permissions(p.ipPermissions);
      const group = str(p.groupId) ?? on;
      return rules.length
        ? `${rules.join("; ")} ${verb}${dir} on ${group}`
        : `rule ${verb}${dir} on ${group}`;
    }
    case "ModifyLoadBalancerAttributes":
    case "ModifyTargetGroupAttributes": {
      const set = items(p.attributes)
        .map((a) => (str(a.key) ? `${str(a.key)} = ${str(a.value) ?? "?"}` : undefined))
        .filter(Boolean);
      return set.length ? `${set.join(", ")} on ${on}` : `attributes changed on ${on}`;
    }
    case "ModifyTargetGroup": {
      const set = Object.entries(HEALTH_KEYS)
        .filter(([k]) => p[k] !== undefined)
        .map(([k, label]) => `${label} = ${str(p[k]) ?? "?"}`);
      const matcher = p.matcher as Params | undefined;
      if (matcher && str(matcher.httpCode)) set.push(`matcher = ${str(matcher.httpCode)}`);
      return set.length ? `${set.join(", ")} on ${on}` : `target group edited: ${on}`;
    }
    case "DeregisterTargets":
    case "RegisterTargets": {
      const targets = items(p.targets)
        .map((t) => str(t.id))
        .filter(Boolean);
      const verb = event === "RegisterTargets" ? "registered in" : "deregistered from";
      return `${targets.length ? targets.join(", ") : "targets"} ${verb} ${str(p.targetGroupArn) ?? on}`;
    }
    default:
      return `${event} on ${on}`;
  }
}
