/**
 * EC2 read actions about the network path: DescribeNetworkAcls, DescribeSubnets, DescribeInstances
 * (Reservations shape) and DescribeNetworkInterfaces, with EC2's filters, NotFound codes and paging.
 */
import type {
  DescribeInstancesRequest,
  DescribeNetworkAclsRequest,
  DescribeNetworkInterfacesRequest,
  DescribeSubnetsRequest,
} from "@aws-sdk/client-ec2";
import { SimError } from "../../contract.ts";
import type { InstanceW, NetworkAclW, NetworkInterfaceW, SubnetW, World } from "../../world.ts";
import { applyFilters, byIds, notFoundError, paginate } from "./filters.ts";

function hashHex(text: string, chars: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + text.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0")).repeat(2).slice(0, chars);
}

export function describeNetworkAcls(input: DescribeNetworkAclsRequest, world: World) {
  let acls = byIds(
    world.networkAcls,
    input.NetworkAclIds,
    (a) => a.NetworkAclId,
    notFoundError("InvalidNetworkAclID.NotFound", "network ACL"),
  );
  acls = applyFilters<NetworkAclW>(acls, input.Filters, {
    "network-acl-id": (a) => [a.NetworkAclId],
    "vpc-id": (a) => [a.VpcId],
    default: (a) => [a.IsDefault],
    "owner-id": (a) => [a.OwnerId],
    "association.subnet-id": (a) => a.Associations.map((x) => x.SubnetId),
    "association.association-id": (a) => a.Associations.map((x) => x.NetworkAclAssociationId),
    "association.network-acl-id": (a) => a.Associations.map((x) => x.NetworkAclId),
    "entry.rule-number": (a) => a.Entries.map((e) => e.RuleNumber),
    "entry.rule-action": (a) => a.Entries.map((e) => e.RuleAction),
    "entry.protocol": (a) => a.Entries.map((e) => e.Protocol),
    "entry.egress": (a) => a.Entries.map((e) => e.Egress),
    "entry.cidr": (a) => a.Entries.map((e) => e.CidrBlock),
  });
  const { page, NextToken } = paginate(
    acls,
    input,
    { min: 5, max: 1000, idParam: "NetworkAclId" },
    Boolean(input.NetworkAclIds?.length),
  );
  return { NetworkAcls: page.map((a) => ({ Tags: [], ...a })), NextToken };
}

function availableIps(cidr: string): number {
  const bits = Number(cidr.split("/")[1] ?? 24);
  return Math.max(0, 2 ** (32 - bits) - 5); // AWS reserves 5 addresses per subnet
}

export function describeSubnets(input: DescribeSubnetsRequest, world: World) {
  let subnets = byIds(
    world.subnets,
    input.SubnetIds,
    (s) => s.SubnetId,
    notFoundError("InvalidSubnetID.NotFound", "subnet ID"),
  );
  subnets = applyFilters<SubnetW>(subnets, input.Filters, {
    "subnet-id": (s) => [s.SubnetId],
    "vpc-id": (s) => [s.VpcId],
    "availability-zone": (s) => [s.AvailabilityZone],
    "cidr-block": (s) => [s.CidrBlock],
    cidrBlock: (s) => [s.CidrBlock],
    "cidr-block-association.cidr-block": (s) => [s.CidrBlock],
    state: () => ["available"],
    "owner-id": () => [world.accountId],
    "subnet-arn": (s) => [s.SubnetArn],
  });
  const { page, NextToken } = paginate(
    subnets,
    input,
    { min: 5, max: 1000, idParam: "SubnetIds" },
    Boolean(input.SubnetIds?.length),
  );
  return {
    Subnets: page.map((s) => ({
      ...s,
      State: "available",
      OwnerId: world.accountId,
      AvailableIpAddressCount: availableIps(s.CidrBlock),
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      Tags: s.Tags ?? [],
    })),
    NextToken,
  };
}

function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** Group references with each name filled in from the group (EC2 always shows both). */
function namedGroups(world: World, groups: { GroupId: string; GroupName?: string }[]) {
  return groups.map((g) => ({
    GroupId: g.GroupId,
    GroupName: g.GroupName ?? world.securityGroups.find((s) => s.GroupId === g.GroupId)?.GroupName,
  }));
}

function eniOfInstance(world: World, inst: InstanceW): NetworkInterfaceW | undefined {
  return world.networkInterfaces.find(
    (e) => e.Attachment?.InstanceId === inst.InstanceId || e.PrivateIpAddress === inst.PrivateIpAddress,
  );
}

function instanceShape(world: World, inst: InstanceW) {
  const eni = eniOfInstance(world, inst);
  const groups = namedGroups(world, inst.SecurityGroups);
  return {
    LaunchTime: new Date(world.now.getTime() - 7 * 24 * 3600 * 1000),
    PrivateDnsName: privateDnsName(inst.PrivateIpAddress, world.region),
    Architecture: "x86_64",
    RootDeviceType: "ebs",
    Hypervisor: "xen",
    VirtualizationType: "hvm",
    ...inst,
    SecurityGroups: groups,
    NetworkInterfaces: eni
      ? [
          {
            NetworkInterfaceId: eni.NetworkInterfaceId,
            SubnetId: eni.SubnetId,
            VpcId: eni.VpcId,
            OwnerId: world.accountId,
            Status: "in-use",
            PrivateIpAddress: eni.PrivateIpAddress,
            Groups: groups,
            Attachment: {
              DeviceIndex: 0,
              Status: "attached",
              AttachmentId: `eni-attach-${hashHex(eni.NetworkInterfaceId, 17)}`,
            },
            PrivateIpAddresses: [{ PrivateIpAddress: eni.PrivateIpAddress, Primary: true }],
            InterfaceType: "interface",
          },
        ]
      : [],
    Tags: inst.Tags ?? [],
  };
}

export function describeInstances(input: DescribeInstancesRequest, world: World) {
  for (const id of input.InstanceIds ?? []) {
    if (!/^i-[0-9a-zA-Z]+$/.test(id)) {
      throw new SimError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
    }
  }
  let instances = byIds(
    world.instances,
    input.InstanceIds,
    (i) => i.InstanceId,
    notFoundError("InvalidInstanceID.NotFound", "instance ID"),
  );
  instances = applyFilters<InstanceW>(instances, input.Filters, {
    "instance-id": (i) => [i.InstanceId],
    "vpc-id": (i) => [i.VpcId],
    "subnet-id": (i) => [i.SubnetId],
    "private-ip-address": (i) => [i.PrivateIpAddress],
    "network-interface.addresses.private-ip-address": (i) => [i.PrivateIpAddress],
    "instance-state-name": (i) => [i.State.Name],
    "instance-state-code": (i) => [i.State.Code],
    "instance-type": (i) => [i.InstanceType],
    "image-id": (i) => [i.ImageId],
    "availability-zone": (i) => [i.Placement.AvailabilityZone],
    "instance.group-id": (i) => i.SecurityGroups.map((g) => g.GroupId),
    "group-id": (i) => i.SecurityGroups.map((g) => g.GroupId),
    "private-dns-name": (i) => [privateDnsName(i.PrivateIpAddress, world.region)],
  });
  const { page, NextToken } = paginate(
    instances,
    input,
    { min: 5, max: 1000, idParam: "instancesSet" },
    Boolean(input.InstanceIds?.length),
  );
  // One reservation per instance, as separate launches would give.
  return {
    Reservations: page.map((inst) => ({
      ReservationId: `r-${hashHex(`reservation:${inst.InstanceId}`, 17)}`,
      OwnerId: world.accountId,
      Groups: [],
      Instances: [instanceShape(world, inst)],
    })),
    NextToken,
  };
}

export function describeNetworkInterfaces(input: DescribeNetworkInterfacesRequest, world: World) {
  let enis = byIds(
    world.networkInterfaces,
    input.NetworkInterfaceIds,
    (e) => e.NetworkInterfaceId,
    notFoundError("InvalidNetworkInterfaceID.NotFound", "networkInterface ID"),
  );
  enis = applyFilters<NetworkInterfaceW>(enis, input.Filters, {
    "network-interface-id": (e) => [e.NetworkInterfaceId],
    "addresses.private-ip-address": (e) => [e.PrivateIpAddress],
    "private-ip-address": (e) => [e.PrivateIpAddress],
    "vpc-id": (e) => [e.VpcId],
    "subnet-id": (e) => [e.SubnetId],
    description: (e) => [e.Description ?? ""],
    "group-id": (e) => e.Groups.map((g) => g.GroupId),
    "availability-zone": (e) => [e.AvailabilityZone],
    status: (e) => [e.Status],
    "interface-type": (e) => [e.InterfaceType ?? "interface"],
    "attachment.instance-id": (e) => [e.Attachment?.InstanceId],
    "owner-id": () => [world.accountId],
  });
  const { page, NextToken } = paginate(
    enis,
    input,
    { min: 5, max: 1000, idParam: "NetworkInterfaceIds" },
    Boolean(input.NetworkInterfaceIds?.length),
  );
  return {
    NetworkInterfaces: page.map((e) => ({
      OwnerId: world.accountId,
      RequesterManaged: false,
      SourceDestCheck: true,
      MacAddress: `02:${hashHex(e.NetworkInterfaceId, 10).match(/../g)!.join(":")}`,
      PrivateDnsName: privateDnsName(e.PrivateIpAddress, world.region),
      ...e,
      Groups: namedGroups(world, e.Groups),
      PrivateIpAddresses: [{ PrivateIpAddress: e.PrivateIpAddress, Primary: true }],
      TagSet: [],
      Attachment: e.Attachment
        ? {
            AttachmentId: `eni-attach-${hashHex(e.NetworkInterfaceId, 17)}`,
            DeviceIndex: 0,
            Status: "attached",
            ...e.Attachment,
          }
        : undefined,
    })),
    NextToken,
  };
}
