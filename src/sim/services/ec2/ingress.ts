/**
 * AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress with EC2's validation and error codes
 * (InvalidGroup.NotFound, InvalidPermission.Duplicate, InvalidPermission.NotFound,
 * InvalidSecurityGroupRuleId.NotFound, InvalidParameterValue, MissingParameter). Both change the World,
 * so later Describe calls see the change.
 */
import type {
  AuthorizeSecurityGroupIngressRequest,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
} from "@aws-sdk/client-ec2";
import { SimError } from "../../contract.ts";
import type { SecurityGroupW, World } from "../../world.ts";
import { groupNotFound } from "./security-groups.ts";
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
