/**
 * Scenario -> World for the EC2 side: VPCs, subnets, security groups, network ACLs (with each VPC's
 * default ACL and the implicit `*` deny rules AWS always lists), instances and network interfaces.
 * Reference checks report dangling ids (a subnet in a missing VPC, an instance in an unknown subnet...).
 */
import type {
  InstanceW,
  IpPermissionW,
  NetworkAclW,
  NetworkInterfaceW,
  SecurityGroupW,
  SubnetW,
  VpcW,
} from "./world.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { Problems } from "./scenario-problems.ts";
import { cidrContains, hexIdFrom, hostInCidr, parseCidr, partitionOf } from "./derive-ids.ts";
import { deriveNetworkAcls } from "./derive-nacls.ts";

export interface Ec2Part {
  vpcs: VpcW[];
  subnets: SubnetW[];
  securityGroups: SecurityGroupW[];
  networkAcls: NetworkAclW[];
  instances: InstanceW[];
  networkInterfaces: NetworkInterfaceW[];
  /** Private IPs in use, so later derivations (LB node ENIs) pick free ones. */
  takenIps: Set<string>;
}

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const ALLOW_ALL_EGRESS: IpPermissionW[] = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];

function duplicates<T>(
  items: T[],
  key: (t: T) => string,
  label: string,
  path: string,
  problems: Problems,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) problems.add([path, i], `duplicate ${label} ${k}`);
    seen.add(k);
  });
}

export function deriveEc2(s: Scenario, problems: Problems): Ec2Part {
  const { region, accountId } = s;
  duplicates(s.vpcs, (v) => v.VpcId, "VpcId", "vpcs", problems);
  duplicates(s.subnets, (v) => v.SubnetId, "SubnetId", "subnets", problems);
  duplicates(s.securityGroups, (v) => v.GroupId, "GroupId", "securityGroups", problems);
  duplicates(s.networkAcls, (v) => v.NetworkAclId, "NetworkAclId", "networkAcls", problems);
  duplicates(s.instances, (v) => v.InstanceId, "InstanceId", "instances", problems);
  duplicates(
    s.networkInterfaces,
    (v) => v.NetworkInterfaceId,
    "NetworkInterfaceId",
    "networkInterfaces",
    problems,
  );

  const vpcs: VpcW[] = s.vpcs.map((v, i) => {
    if (!parseCidr(v.CidrBlock))
      problems.add(["vpcs", i, "CidrBlock"], `expected an IPv4 CIDR block, got "${v.CidrBlock}"`);
    return { ...v, IsDefault: v.IsDefault ?? false };
  });
  const vpcIds = new Set(vpcs.map((v) => v.VpcId));
  const vpcRef = (id: string, path: (string | number)[]) => {
    if (!vpcIds.has(id)) problems.add(path, `unknown VPC ${id} (not in vpcs)`);
  };

  const subnets: SubnetW[] = s.subnets.map((sn, i) => {
    vpcRef(sn.VpcId, ["subnets", i, "VpcId"]);
    if (!parseCidr(sn.CidrBlock)) {
      problems.add(["subnets", i, "CidrBlock"], `expected an IPv4 CIDR block, got "${sn.CidrBlock}"`);
    } else {
      const vpc = vpcs.find((v) => v.VpcId === sn.VpcId);
      const base = sn.CidrBlock.split("/")[0];
      if (vpc && parseCidr(vpc.CidrBlock) && !cidrContains(vpc.CidrBlock, base)) {
        problems.add(
          ["subnets", i, "CidrBlock"],
          `expected a block inside the VPC's ${vpc.CidrBlock}, got ${sn.CidrBlock}`,
        );
      }
    }
    if (
      !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(sn.AvailabilityZone) ||
      !sn.AvailabilityZone.startsWith(region)
    ) {
      problems.add(
        ["subnets", i, "AvailabilityZone"],
        `expected a zone of ${region} such as ${region}a, got "${sn.AvailabilityZone}"`,
      );
    }
    return {
      ...sn,
      SubnetArn:
        sn.SubnetArn ?? `arn:${partitionOf(region)}:ec2:${region}:${accountId}:subnet/${sn.SubnetId}`,
    };
  });
  const subnetById = new Map(subnets.map((sn) => [sn.SubnetId, sn]));
  const subnetRef = (id: string, path: (string | number)[]): SubnetW | undefined => {
    const sn = subnetById.get(id);
    if (!sn) problems.add(path, `unknown subnet ${id} (not in subnets)`);
    return sn;
  };

  const groupIds = new Set(s.securityGroups.map((g) => g.GroupId));
  const checkPairs = (perms: IpPermissionW[] | undefined, path: (string | number)[]) =>
    (perms ?? []).forEach((p, j) =>
      (p.UserIdGroupPairs ?? []).forEach((pair, k) => {
        const foreign = pair.UserId !== undefined && pair.UserId !== accountId;
        if (!foreign && !groupIds.has(pair.GroupId)) {
          problems.add(
            [...path, j, "UserIdGroupPairs", k, "GroupId"],
            `unknown security group ${pair.GroupId}`,
          );
        }
      }),
    );
  const securityGroups: SecurityGroupW[] = s.securityGroups.map((g, i) => {
    vpcRef(g.VpcId, ["securityGroups", i, "VpcId"]);
    checkPairs(g.IpPermissions, ["securityGroups", i, "IpPermissions"]);
    checkPairs(g.IpPermissionsEgress, ["securityGroups", i, "IpPermissionsEgress"]);
    const withOwner = (perms: IpPermissionW[]) =>
      perms.map((p) => ({
        ...p,
        ...(p.UserIdGroupPairs
          ? { UserIdGroupPairs: p.UserIdGroupPairs.map((u) => ({ ...u, UserId: u.UserId ?? accountId })) }
          : {}),
      }));
    return {
      ...g,
      GroupName: g.GroupName ?? g.GroupId,
      Description: g.Description ?? `${g.GroupName ?? g.GroupId} security group`,
      OwnerId: g.OwnerId ?? accountId,
      IpPermissions: withOwner(g.IpPermissions ?? []),
      IpPermissionsEgress: withOwner(g.IpPermissionsEgress ?? ALLOW_ALL_EGRESS),
    };
  });
  const groupById = new Map(securityGroups.map((g) => [g.GroupId, g]));
  const groupsRef = (
    groups: { GroupId: string; GroupName?: string }[],
    vpcId: string | undefined,
    path: (string | number)[],
  ) =>
    groups.map((g, k) => {
      const sg = groupById.get(g.GroupId);
      if (!sg) problems.add([...path, k, "GroupId"], `unknown security group ${g.GroupId}`);
      else if (vpcId && sg.VpcId !== vpcId)
        problems.add([...path, k, "GroupId"], `security group ${g.GroupId} is in ${sg.VpcId}, not ${vpcId}`);
      return { GroupId: g.GroupId, GroupName: g.GroupName ?? sg?.GroupName };
    });

  const networkAcls = deriveNetworkAcls(s, vpcs, subnetById, problems);

  const takenIps = new Set<string>();
  for (const e of s.networkInterfaces) takenIps.add(e.PrivateIpAddress);
  for (const inst of s.instances) if (inst.PrivateIpAddress) takenIps.add(inst.PrivateIpAddress);

  const instances: InstanceW[] = s.instances.map((inst, i) => {
    const sn = subnetRef(inst.SubnetId, ["instances", i, "SubnetId"]);
    if (sn && inst.VpcId && inst.VpcId !== sn.VpcId) {
      problems.add(["instances", i, "VpcId"], `subnet ${sn.SubnetId} is in ${sn.VpcId}, not ${inst.VpcId}`);
    }
    if (sn && inst.PrivateIpAddress && !cidrContains(sn.CidrBlock, inst.PrivateIpAddress)) {
      problems.add(
        ["instances", i, "PrivateIpAddress"],
        `expected an address in ${sn.CidrBlock}, got ${inst.PrivateIpAddress}`,
      );
    }
    let ip = inst.PrivateIpAddress;
    if (!ip && sn) {
      ip = hostInCidr(sn.CidrBlock, `instance:${inst.InstanceId}`, takenIps) ?? "";
      takenIps.add(ip);
    }
    const stateName = typeof inst.State === "string" ? inst.State : (inst.State?.Name ?? "running");
    const vpcId = inst.VpcId ?? sn?.VpcId ?? "";
    return {
      ...inst,
      VpcId: vpcId,
      PrivateIpAddress: ip ?? "",
      SecurityGroups: groupsRef(inst.SecurityGroups ?? [], vpcId, ["instances", i, "SecurityGroups"]),
      State: { Code: STATE_CODES[stateName], Name: stateName },
      InstanceType: inst.InstanceType ?? "t3.medium",
      ImageId: inst.ImageId ?? `ami-${hexIdFrom(`ami:${region}`, 17)}`,
      Placement: {
        ...inst.Placement,
        AvailabilityZone: inst.Placement?.AvailabilityZone ?? sn?.AvailabilityZone ?? "",
      },
    };
  });

  const networkInterfaces: NetworkInterfaceW[] = s.networkInterfaces.map((e, i) => {
    const sn = subnetRef(e.SubnetId, ["networkInterfaces", i, "SubnetId"]);
    if (sn && !cidrContains(sn.CidrBlock, e.PrivateIpAddress)) {
      problems.add(
        ["networkInterfaces", i, "PrivateIpAddress"],
        `expected an address in ${sn.CidrBlock}, got ${e.PrivateIpAddress}`,
      );
    }
    const vpcId = e.VpcId ?? sn?.VpcId ?? "";
    return {
      ...e,
      VpcId: vpcId,
      Groups: groupsRef(e.Groups ?? [], vpcId, ["networkInterfaces", i, "Groups"]),
      Status: e.Status ?? "in-use",
      AvailabilityZone: e.AvailabilityZone ?? sn?.AvailabilityZone ?? "",
      InterfaceType: e.InterfaceType ?? "interface",
    };
  });
  // Every instance has a primary network interface; list it unless the scenario already does.
  const eniIps = new Set(networkInterfaces.map((e) => e.PrivateIpAddress));
  for (const inst of instances) {
    if (!inst.PrivateIpAddress || eniIps.has(inst.PrivateIpAddress)) continue;
    networkInterfaces.push({
      NetworkInterfaceId: `eni-${hexIdFrom(`eni:${inst.InstanceId}`, 17)}`,
      SubnetId: inst.SubnetId,
      VpcId: inst.VpcId,
      PrivateIpAddress: inst.PrivateIpAddress,
      Groups: inst.SecurityGroups,
      Description: "Primary network interface",
      Status: "in-use",
      AvailabilityZone: inst.Placement.AvailabilityZone,
      InterfaceType: "interface",
      Attachment: { InstanceId: inst.InstanceId, DeviceIndex: 0, Status: "attached" },
    });
  }

  return { vpcs, subnets, securityGroups, networkAcls, instances, networkInterfaces, takenIps };
}
