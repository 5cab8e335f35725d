/**
 * EC2 security-group actions: DescribeSecurityGroups, DescribeSecurityGroupRules,
 * AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress, with EC2's validation and error codes
 * (InvalidGroup.NotFound, InvalidPermission.Duplicate, InvalidPermission.NotFound, ...).
 * Authorize/Revoke change the World, so later Describe calls see the change.
 */
import type {
  AuthorizeSecurityGroupIngressRequest,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupsRequest,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
} from "@aws-sdk/client-ec2";
import { SimError } from "../../contract.ts";
import type { IpPermissionW, SecurityGroupW, World } from "../../world.ts";
import { applyFilters, byIds, paginate, queryFingerprint, quotedList, type FilterFields } from "./filters.ts";
import {
  addRule,
  describeRule,
  flattenGroup,
  normalizeProtocol,
  removeRule,
  ruleId,
  ruleShape,
  sameRule,
  type FlatRule,
  type Source,
} from "./rules.ts";

const MAX_RULES_PER_DIRECTION = 60;

function groupNotFound(ids: string[]): SimError {
  return ids.length === 1
    ? new SimError("InvalidGroup.NotFound", `The security group '${ids[0]}' does not exist`)
    : new SimError("InvalidGroup.NotFound", `The security groups ${quotedList(ids)} do not exist`);
}

/** Permissions as DescribeSecurityGroups shows them: protocol names, no ports for "all". */
function permissionsOut(perms: IpPermissionW[], ownerId: string): IpPermissionW[] {
  return perms.map((p) => {
    const protocol = normalizeProtocol(p.IpProtocol);
    const { FromPort, ToPort, ...rest } = p;
    return {
      ...rest,
      IpProtocol: protocol,
      ...(protocol === "-1" ? {} : { FromPort, ToPort }),
      IpRanges: p.IpRanges ?? [],
      Ipv6Ranges: p.Ipv6Ranges ?? [],
      PrefixListIds: p.PrefixListIds ?? [],
      UserIdGroupPairs: (p.UserIdGroupPairs ?? []).map((u) => ({ ...u, UserId: u.UserId ?? ownerId })),
    };
  });
}

const perm = (dir: "IpPermissions" | "IpPermissionsEgress") => ({
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.cidr`]: (g: SecurityGroupW) =>
    g[dir].flatMap((p) => (p.IpRanges ?? []).map((r) => r.CidrIp)),
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.ipv6-cidr`]: (g: SecurityGroupW) =>
    g[dir].flatMap((p) => (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.group-id`]: (g: SecurityGroupW) =>
    g[dir].flatMap((p) => (p.UserIdGroupPairs ?? []).map((r) => r.GroupId)),
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.protocol`]: (g: SecurityGroupW) =>
    g[dir].map((p) => normalizeProtocol(p.IpProtocol)),
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.from-port`]: (g: SecurityGroupW) =>
    g[dir].map((p) => p.FromPort),
  [`${dir === "IpPermissions" ? "" : "egress."}ip-permission.to-port`]: (g: SecurityGroupW) =>
    g[dir].map((p) => p.ToPort),
});

const GROUP_FILTERS: FilterFields<SecurityGroupW> = {
  "group-id": (g) => [g.GroupId],
  "group-name": (g) => [g.GroupName],
  description: (g) => [g.Description],
  "vpc-id": (g) => [g.VpcId],
  "owner-id": (g) => [g.OwnerId],
  ...perm("IpPermissions"),
  ...perm("IpPermissionsEgress"),
};

export function describeSecurityGroups(input: DescribeSecurityGroupsRequest, world: World) {
  let groups = byIds(world.securityGroups, input.GroupIds, (g) => g.GroupId, groupNotFound);
  if (input.GroupNames?.length) {
    const missing = input.GroupNames.filter((n) => !groups.some((g) => g.GroupName === n));
    if (missing.length) throw groupNotFound(missing);
    groups = groups.filter((g) => input.GroupNames!.includes(g.GroupName));
  }
  groups = applyFilters(groups, input.Filters, GROUP_FILTERS);
  const { page, NextToken } = paginate(
    groups,
    input,
    { min: 5, max: 1000, idParam: "groupIdSet" },
    Boolean(input.GroupIds?.length || input.GroupNames?.length),
    queryFingerprint({ ...input }),
  );
  return {
    SecurityGroups: page.map((g) => ({
      Tags: [],
      ...g,
      IpPermissions: permissionsOut(g.IpPermissions, g.OwnerId),
      IpPermissionsEgress: permissionsOut(g.IpPermissionsEgress, g.OwnerId),
      SecurityGroupArn: `arn:aws:ec2:${world.region}:${g.OwnerId}:security-group/${g.GroupId}`,
    })),
    NextToken,
  };
}

type RuleOut = ReturnType<typeof ruleShape>;

export function describeSecurityGroupRules(input: DescribeSecurityGroupRulesRequest, world: World) {
  const all: RuleOut[] = world.securityGroups.flatMap((g) =>
    flattenGroup(g).map((r) => ruleShape(r, g.OwnerId, world.region)),
  );
  let rules = byIds(
    all,
    input.SecurityGroupRuleIds,
    (r) => r.SecurityGroupRuleId,
    (missing) =>
      new SimError(
        "InvalidSecurityGroupRuleId.NotFound",
        `The security group rule ID ${quotedList(missing)} does not exist`,
      ),
  );
  rules = applyFilters(rules, input.Filters, {
    "group-id": (r) => [r.GroupId],
    "security-group-rule-id": (r) => [r.SecurityGroupRuleId],
  });
  const { page, NextToken } = paginate(
    rules,
    input,
    { min: 10, max: 1000, idParam: "SecurityGroupRuleIds" },
    Boolean(input.SecurityGroupRuleIds?.length),
    queryFingerprint({ ...input }),
  );
  return { SecurityGroupRules: page, NextToken };
}

// ---------------------------------------------------------------- Authorize / Revoke

function findGroup(world: World, groupId?: string, groupName?: string): SecurityGroupW {
  if (!groupId && !groupName) {
    throw new SimError("MissingParameter", "The request must contain the parameter groupName or groupId");
  }
  const g = groupId
    ? world.securityGroups.find((x) => x.GroupId === groupId)
    : world.securityGroups.find((x) => x.GroupName === groupName);
  if (!g) throw groupNotFound([groupId ?? groupName!]);
  return g;
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

function checkPorts(protocol: string, from: number | undefined, to: number | undefined) {
  if (protocol === "tcp" || protocol === "udp") {
    if (from === undefined || to === undefined) {
      throw new SimError(
        "InvalidParameterValue",
        `Invalid value 'null' for portRange. Must specify both from and to ports with TCP/UDP.`,
      );
    }
    if (from < 0 || to > 65535 || from > to) {
      throw new SimError(
        "InvalidParameterValue",
        `Invalid TCP/UDP port range: from port ${from}, to port ${to}`,
      );
    }
  }
}

function flatRulesOf(
  group: SecurityGroupW,
  perms: IpPermission[],
  world: World,
  egress: boolean,
): FlatRule[] {
  const out: FlatRule[] = [];
  for (const p of perms) {
    const protocol = normalizeProtocol(p.IpProtocol);
    const ports = protocol === "-1" ? {} : { fromPort: p.FromPort, toPort: p.ToPort };
    if (protocol !== "-1") checkPorts(protocol, p.FromPort, p.ToPort);
    const sources: Source[] = [];
    for (const r of p.IpRanges ?? []) {
      if (!r.CidrIp || !IPV4_CIDR.test(r.CidrIp)) {
        throw new SimError(
          "InvalidParameterValue",
          `Value (${r.CidrIp ?? ""}) for parameter cidrIp is invalid. This is not a valid CIDR block.`,
        );
      }
      sources.push({ kind: "cidr4", value: r.CidrIp, description: r.Description });
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (!r.CidrIpv6 || !IPV6_CIDR.test(r.CidrIpv6)) {
        throw new SimError(
          "InvalidParameterValue",
          `Value (${r.CidrIpv6 ?? ""}) for parameter cidrIpv6 is invalid. This is not a valid CIDR block.`,
        );
      }
      sources.push({ kind: "cidr6", value: r.CidrIpv6, description: r.Description });
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      const foreign = pair.UserId !== undefined && pair.UserId !== world.accountId;
      const ref = pair.GroupId
        ? world.securityGroups.find((x) => x.GroupId === pair.GroupId)
        : world.securityGroups.find((x) => x.GroupName === pair.GroupName && x.VpcId === group.VpcId);
      if (!ref && !foreign) throw groupNotFound([pair.GroupId ?? pair.GroupName ?? ""]);
      sources.push({
        kind: "group",
        value: ref?.GroupId ?? pair.GroupId ?? "",
        userId: pair.UserId ?? world.accountId,
        description: pair.Description,
      });
    }
    for (const pl of p.PrefixListIds ?? []) {
      sources.push({ kind: "prefix", value: pl.PrefixListId ?? "", description: pl.Description });
    }
    if (!sources.length) {
      throw new SimError(
        "MissingParameter",
        "The request must contain a source: ipRanges, ipv6Ranges, prefixListIds or groups",
      );
    }
    for (const source of sources) out.push({ groupId: group.GroupId, egress, protocol, ...ports, source });
  }
  return out;
}

/** The legacy single-rule parameters (IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName). */
function legacyPermission(input: AuthorizeSecurityGroupIngressRequest): IpPermission[] {
  if (!input.IpProtocol && !input.CidrIp && !input.SourceSecurityGroupName) return [];
  return [
    {
      IpProtocol: input.IpProtocol ?? "-1",
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs: input.SourceSecurityGroupName
        ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }]
        : undefined,
    },
  ];
}

export function authorizeSecurityGroupIngress(input: AuthorizeSecurityGroupIngressRequest, world: World) {
  const group = findGroup(world, input.GroupId, input.GroupName);
  const perms = [...(input.IpPermissions ?? []), ...legacyPermission(input)];
  if (!perms.length) {
    throw new SimError("MissingParameter", "The request must contain the parameter ipPermissions");
  }
  const wanted = flatRulesOf(group, perms, world, false);
  const existing = flattenGroup(group);
  wanted.forEach((r, i) => {
    if (existing.some((e) => sameRule(e, r)) || wanted.slice(0, i).some((e) => sameRule(e, r))) {
      throw new SimError(
        "InvalidPermission.Duplicate",
        `the specified rule "${describeRule(r)}" already exists`,
      );
    }
  });
  if (existing.filter((e) => !e.egress).length + wanted.length > MAX_RULES_PER_DIRECTION) {
    throw new SimError(
      "RulesPerSecurityGroupLimitExceeded",
      "The maximum number of rules per security group has been reached.",
    );
  }
  for (const r of wanted) addRule(group, r);
  return {
    Return: true,
    SecurityGroupRules: wanted.map((r) => ruleShape(r, group.OwnerId, world.region)),
  };
}

export function revokeSecurityGroupIngress(input: RevokeSecurityGroupIngressRequest, world: World) {
  const group = findGroup(world, input.GroupId, input.GroupName);
  const existing = flattenGroup(group).filter((r) => !r.egress);
  let doomed: FlatRule[];
  if (input.SecurityGroupRuleIds?.length) {
    doomed = input.SecurityGroupRuleIds.map((id) => {
      const r = existing.find((e) => ruleId(e) === id);
      if (!r) {
        throw new SimError(
          "InvalidSecurityGroupRuleId.NotFound",
          `The security group rule ID '${id}' does not exist`,
        );
      }
      return r;
    });
  } else {
    const perms = [...(input.IpPermissions ?? []), ...legacyPermission(input)];
    if (!perms.length) {
      throw new SimError("MissingParameter", "The request must contain the parameter ipPermissions");
    }
    doomed = flatRulesOf(group, perms, world, false).map((r) => {
      const found = existing.find((e) => sameRule(e, r));
      if (!found) {
        throw new SimError(
          "InvalidPermission.NotFound",
          `The specified rule does not exist in this security group. (${describeRule(r)})`,
        );
      }
      return found;
    });
  }
  for (const r of doomed) removeRule(group, r);
  return {
    Return: true,
    RevokedSecurityGroupRules: doomed.map((r) => {
      const s = ruleShape(r, group.OwnerId, world.region);
      return {
        SecurityGroupRuleId: s.SecurityGroupRuleId,
        GroupId: s.GroupId,
        IsEgress: false,
        IpProtocol: s.IpProtocol,
        FromPort: s.FromPort,
        ToPort: s.ToPort,
        CidrIpv4: s.CidrIpv4,
        CidrIpv6: s.CidrIpv6,
        PrefixListId: s.PrefixListId,
        ReferencedGroupId: s.ReferencedGroupInfo?.GroupId,
        Description: s.Description,
      };
    }),
  };
}
