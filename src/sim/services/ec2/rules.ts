/**
 * Security-group rules as EC2 keeps them: each (direction, protocol, port range, one source) is one rule
 * with its own `sgr-` id, while DescribeSecurityGroups groups them back into IpPermissions. Ids here are
 * derived from the rule's content, so they are stable across loads and calls.
 */
import { SimError } from "../../contract.ts";
import type { IpPermissionW, SecurityGroupW } from "../../world.ts";

export type Source =
  | { kind: "cidr4"; value: string; description?: string }
  | { kind: "cidr6"; value: string; description?: string }
  | { kind: "group"; value: string; userId?: string; description?: string }
  | { kind: "prefix"; value: string; description?: string };

export interface FlatRule {
  groupId: string;
  egress: boolean;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  source: Source;
}

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** "tcp"/"6" -> "tcp", "all"/"-1" -> "-1", other numbers stay numbers; unknown names are rejected. */
export function normalizeProtocol(p: string | undefined): string {
  const v = (p ?? "").toLowerCase();
  if (v === "-1" || v === "all") return "-1";
  if (["tcp", "udp", "icmp", "icmpv6"].includes(v)) return v;
  if (/^\d+$/.test(v) && Number(v) <= 255) return PROTOCOL_NAMES[v] ?? v;
  throw new SimError(
    "InvalidParameterValue",
    `Invalid value '${p ?? ""}' for IP protocol. Unknown protocol.`,
  );
}

function hasPorts(protocol: string): boolean {
  return protocol === "tcp" || protocol === "udp" || protocol === "icmp" || protocol === "icmpv6";
}

export function sourcesOf(p: IpPermissionW): Source[] {
  return [
    ...(p.IpRanges ?? []).map((r) => ({
      kind: "cidr4" as const,
      value: r.CidrIp,
      description: r.Description,
    })),
    ...(p.Ipv6Ranges ?? []).map((r) => ({
      kind: "cidr6" as const,
      value: r.CidrIpv6,
      description: r.Description,
    })),
    ...(p.UserIdGroupPairs ?? []).map((g) => ({
      kind: "group" as const,
      value: g.GroupId,
      userId: g.UserId,
      description: g.Description,
    })),
    ...(p.PrefixListIds ?? []).map((r) => ({
      kind: "prefix" as const,
      value: r.PrefixListId,
      description: r.Description,
    })),
  ];
}

export function flattenGroup(g: SecurityGroupW): FlatRule[] {
  const out: FlatRule[] = [];
  for (const [egress, perms] of [
    [false, g.IpPermissions],
    [true, g.IpPermissionsEgress],
  ] as const) {
    for (const p of perms) {
      const protocol = normalizeProtocol(p.IpProtocol);
      for (const source of sourcesOf(p)) {
        out.push({
          groupId: g.GroupId,
          egress,
          protocol,
          fromPort: hasPorts(protocol) ? p.FromPort : undefined,
          toPort: hasPorts(protocol) ? p.ToPort : undefined,
          source,
        });
      }
    }
  }
  return out;
}

/** Same rule (description aside)? */
export function sameRule(a: FlatRule, b: FlatRule): boolean {
  return (
    a.groupId === b.groupId &&
    a.egress === b.egress &&
    a.protocol === b.protocol &&
    (a.fromPort ?? -1) === (b.fromPort ?? -1) &&
    (a.toPort ?? -1) === (b.toPort ?? -1) &&
    a.source.kind === b.source.kind &&
    a.source.value.toLowerCase() === b.source.value.toLowerCase()
  );
}

export function ruleId(r: FlatRule): string {
  const text = [
    r.groupId,
    r.egress,
    r.protocol,
    r.fromPort ?? -1,
    r.toPort ?? -1,
    r.source.kind,
    r.source.value,
  ]
    .join("|")
    .toLowerCase();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + text.charCodeAt(i), 2246822519) >>> 0;
  }
  return `sgr-${(h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(9, "0")).slice(0, 17)}`;
}

/** The API's SecurityGroupRule shape. */
export function ruleShape(r: FlatRule, ownerId: string, region: string) {
  const id = ruleId(r);
  const s = r.source;
  return {
    SecurityGroupRuleId: id,
    GroupId: r.groupId,
    GroupOwnerId: ownerId,
    IsEgress: r.egress,
    IpProtocol: r.protocol,
    // DescribeSecurityGroupRules reports -1 for "all ports" where the permission itself omits them.
    FromPort: r.fromPort ?? -1,
    ToPort: r.toPort ?? -1,
    CidrIpv4: s.kind === "cidr4" ? s.value : undefined,
    CidrIpv6: s.kind === "cidr6" ? s.value : undefined,
    PrefixListId: s.kind === "prefix" ? s.value : undefined,
    ReferencedGroupInfo: s.kind === "group" ? { GroupId: s.value, UserId: s.userId ?? ownerId } : undefined,
    Description: s.description,
    Tags: [] as { Key: string; Value: string }[],
    SecurityGroupRuleArn: `arn:aws:ec2:${region}:${ownerId}:security-group-rule/${id}`,
  };
}

/** Add one rule to the group's permissions, merging into an existing permission with the same protocol/ports. */
export function addRule(g: SecurityGroupW, r: FlatRule): void {
  const perms = r.egress ? g.IpPermissionsEgress : g.IpPermissions;
  let perm = perms.find(
    (p) =>
      normalizeProtocol(p.IpProtocol) === r.protocol &&
      (p.FromPort ?? -1) === (r.fromPort ?? -1) &&
      (p.ToPort ?? -1) === (r.toPort ?? -1),
  );
  if (!perm) {
    perm = { IpProtocol: r.protocol, FromPort: r.fromPort, ToPort: r.toPort };
    if (r.fromPort === undefined) delete perm.FromPort;
    if (r.toPort === undefined) delete perm.ToPort;
    perms.push(perm);
  }
  const s = r.source;
  const d = s.description !== undefined ? { Description: s.description } : {};
  if (s.kind === "cidr4") (perm.IpRanges ??= []).push({ CidrIp: s.value, ...d });
  if (s.kind === "cidr6") (perm.Ipv6Ranges ??= []).push({ CidrIpv6: s.value, ...d });
  if (s.kind === "group") (perm.UserIdGroupPairs ??= []).push({ GroupId: s.value, UserId: s.userId, ...d });
  if (s.kind === "prefix") (perm.PrefixListIds ??= []).push({ PrefixListId: s.value, ...d });
}

/** Remove one rule; drops a permission left without sources. */
export function removeRule(g: SecurityGroupW, r: FlatRule): void {
  const key = r.egress ? "IpPermissionsEgress" : "IpPermissions";
  const next: IpPermissionW[] = [];
  for (const p of g[key]) {
    const protocol = normalizeProtocol(p.IpProtocol);
    const samePorts =
      protocol === r.protocol &&
      (hasPorts(protocol) ? p.FromPort : undefined) === r.fromPort &&
      (hasPorts(protocol) ? p.ToPort : undefined) === r.toPort;
    if (!samePorts) {
      next.push(p);
      continue;
    }
    const keep = (kind: Source["kind"], value: string) =>
      !(r.source.kind === kind && r.source.value.toLowerCase() === value.toLowerCase());
    const q: IpPermissionW = {
      ...p,
      IpRanges: p.IpRanges?.filter((x) => keep("cidr4", x.CidrIp)),
      Ipv6Ranges: p.Ipv6Ranges?.filter((x) => keep("cidr6", x.CidrIpv6)),
      UserIdGroupPairs: p.UserIdGroupPairs?.filter((x) => keep("group", x.GroupId)),
      PrefixListIds: p.PrefixListIds?.filter((x) => keep("prefix", x.PrefixListId)),
    };
    for (const k of ["IpRanges", "Ipv6Ranges", "UserIdGroupPairs", "PrefixListIds"] as const) {
      if (p[k] === undefined) delete q[k];
    }
    if (sourcesOf(q).length) next.push(q);
  }
  g[key] = next;
}

/** The text EC2 puts in InvalidPermission.Duplicate / NotFound messages. */
export function describeRule(r: FlatRule): string {
  const proto = r.protocol === "-1" ? "ALL" : r.protocol.toUpperCase();
  const ports = r.fromPort === undefined ? "ALL" : `from port: ${r.fromPort}, to port: ${r.toPort}`;
  return `peer: ${r.source.value}, ${proto}, ${ports}, ALLOW`;
}
