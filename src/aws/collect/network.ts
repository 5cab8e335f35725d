/** Subnets, network ACLs and security groups of the VPC, and the instances or ENIs behind targets. */
import {
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type IpPermission as SdkIpPermission,
} from "@aws-sdk/client-ec2";
import type { IpPermission, NetworkAcl, SecurityGroup, Subnet, TargetHost } from "../../domain/snapshot.ts";
import { allPages, awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";
import { tagMap } from "./tags.ts";

const vpcFilter = (vpcId: string) => [{ Name: "vpc-id", Values: [vpcId] }];

export async function describeSubnets(clients: AwsClients, vpcId: string): Promise<Record<string, Subnet>> {
  const pages = await allPages(
    (NextToken) =>
      awsCall(clients, "ec2:DescribeSubnets", (abortSignal) =>
        clients.ec2.send(new DescribeSubnetsCommand({ Filters: vpcFilter(vpcId), NextToken }), {
          abortSignal,
        }),
      ),
    (page) => page.NextToken,
  );
  const subnets: Record<string, Subnet> = {};
  for (const s of pages.flatMap((page) => page.Subnets ?? [])) {
    if (!s.SubnetId) continue;
    subnets[s.SubnetId] = {
      id: s.SubnetId,
      vpcId: s.VpcId ?? vpcId,
      cidrBlock: s.CidrBlock ?? "",
      ipv6CidrBlocks: (s.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock ?? "").filter(Boolean),
      availabilityZone: s.AvailabilityZone,
    };
  }
  return subnets;
}

export async function describeNetworkAcls(clients: AwsClients, vpcId: string): Promise<NetworkAcl[]> {
  const pages = await allPages(
    (NextToken) =>
      awsCall(clients, "ec2:DescribeNetworkAcls", (abortSignal) =>
        clients.ec2.send(new DescribeNetworkAclsCommand({ Filters: vpcFilter(vpcId), NextToken }), {
          abortSignal,
        }),
      ),
    (page) => page.NextToken,
  );
  return pages
    .flatMap((page) => page.NetworkAcls ?? [])
    .map((a) => ({
      id: a.NetworkAclId ?? "",
      vpcId: a.VpcId ?? vpcId,
      isDefault: a.IsDefault ?? false,
      subnetIds: (a.Associations ?? []).map((x) => x.SubnetId ?? "").filter(Boolean),
      entries: (a.Entries ?? []).map((e) => ({
        ruleNumber: e.RuleNumber ?? 32767,
        protocol: e.Protocol ?? "-1",
        action: e.RuleAction === "allow" ? "allow" : "deny",
        egress: e.Egress ?? false,
        cidrBlock: e.CidrBlock,
        ipv6CidrBlock: e.Ipv6CidrBlock,
        portRange: e.PortRange ? { from: e.PortRange.From ?? 0, to: e.PortRange.To ?? 65535 } : undefined,
      })),
    }));
}

export async function describeSecurityGroups(
  clients: AwsClients,
  vpcId: string,
): Promise<Record<string, SecurityGroup>> {
  const pages = await allPages(
    (NextToken) =>
      awsCall(clients, "ec2:DescribeSecurityGroups", (abortSignal) =>
        clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: vpcFilter(vpcId), NextToken }), {
          abortSignal,
        }),
      ),
    (page) => page.NextToken,
  );
  const groups: Record<string, SecurityGroup> = {};
  for (const g of pages.flatMap((page) => page.SecurityGroups ?? [])) {
    if (!g.GroupId) continue;
    groups[g.GroupId] = {
      id: g.GroupId,
      name: g.GroupName ?? "",
      vpcId: g.VpcId,
      ingress: (g.IpPermissions ?? []).map(toPermission),
      egress: (g.IpPermissionsEgress ?? []).map(toPermission),
      ...(g.Tags?.length ? { tags: tagMap(g.Tags) } : {}),
    };
  }
  return groups;
}

function toPermission(p: SdkIpPermission): IpPermission {
  return {
    protocol: p.IpProtocol ?? "-1",
    fromPort: p.FromPort,
    toPort: p.ToPort,
    ipv4Ranges: (p.IpRanges ?? []).map((r) => r.CidrIp ?? "").filter(Boolean),
    ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? "").filter(Boolean),
    groupIds: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? "").filter(Boolean),
    prefixListIds: (p.PrefixListIds ?? []).map((g) => g.PrefixListId ?? "").filter(Boolean),
  };
}

export async function describeInstanceHosts(
  clients: AwsClients,
  instanceIds: string[],
): Promise<TargetHost[]> {
  const pages = await allPages(
    (NextToken) =>
      awsCall(clients, "ec2:DescribeInstances", (abortSignal) =>
        clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds, NextToken }), {
          abortSignal,
        }),
      ),
    (page) => page.NextToken,
  );
  return pages
    .flatMap((page) => page.Reservations ?? [])
    .flatMap((r) => r.Instances ?? [])
    .map((i) => ({
      targetId: i.InstanceId ?? "",
      kind: "instance",
      resourceId: i.InstanceId ?? "",
      privateIp: i.PrivateIpAddress,
      subnetId: i.SubnetId,
      vpcId: i.VpcId,
      securityGroupIds: (i.SecurityGroups ?? []).map((g) => g.GroupId ?? "").filter(Boolean),
      state: i.State?.Name,
    }));
}

export async function describeIpTargetHosts(clients: AwsClients, ips: string[]): Promise<TargetHost[]> {
  const out = await awsCall(clients, "ec2:DescribeNetworkInterfaces", (abortSignal) =>
    clients.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "addresses.private-ip-address", Values: ips }],
      }),
      { abortSignal },
    ),
  );
  const hosts: TargetHost[] = [];
  for (const eni of out.NetworkInterfaces ?? []) {
    const addresses = new Set([
      eni.PrivateIpAddress,
      ...(eni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress),
    ]);
    for (const ip of ips.filter((x) => addresses.has(x))) {
      hosts.push({
        targetId: ip,
        kind: "eni",
        resourceId: eni.NetworkInterfaceId ?? "",
        privateIp: ip,
        subnetId: eni.SubnetId,
        vpcId: eni.VpcId,
        securityGroupIds: (eni.Groups ?? []).map((g) => g.GroupId ?? "").filter(Boolean),
        state: eni.Status,
      });
    }
  }
  return hosts;
}
