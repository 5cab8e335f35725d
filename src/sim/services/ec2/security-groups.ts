/**
 * EC2 security-group reads: DescribeSecurityGroups (ids, names, filters, paging) and
 * DescribeSecurityGroupRules (one rule per source with a stable sgr- id). Writes are in ingress.ts.
 */
import type { DescribeSecurityGroupRulesRequest, DescribeSecurityGroupsRequest } from "@aws-sdk/client-ec2";
import { SimError } from "../../contract.ts";
import type { IpPermissionW, SecurityGroupW, World } from "../../world.ts";
import { applyFilters, byIds, notFoundError, paginate, quotedList, type FilterFields } from "./filters.ts";
import { flattenGroup, normalizeProtocol, ruleShape } from "./rules.ts";

export const groupNotFound = notFoundError("InvalidGroup.NotFound", "security group");

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
  );
  return { SecurityGroupRules: page, NextToken };
}
