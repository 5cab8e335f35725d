/** The EC2 part of the scenario schema: VPCs, subnets, security groups, network ACLs, instances, ENIs (AWS shapes). */
import { z } from "zod";
import { accepted, intIn, port, scalarString, str, tags } from "./scenario-schema-common.ts";

export const vpc = z.strictObject({
  VpcId: str,
  CidrBlock: str,
  Ipv6CidrBlock: str.optional(),
  IsDefault: z.boolean().optional(),
  Tags: tags.optional(),
  ...accepted(
    "State",
    "DhcpOptionsId",
    "InstanceTenancy",
    "OwnerId",
    "CidrBlockAssociationSet",
    "Ipv6CidrBlockAssociationSet",
    "BlockPublicAccessStates",
    "EncryptionControl",
  ),
});

export const subnet = z.strictObject({
  SubnetId: str,
  VpcId: str,
  CidrBlock: str,
  AvailabilityZone: str,
  Ipv6CidrBlock: str.optional(),
  SubnetArn: str.optional(),
  Tags: tags.optional(),
  ...accepted(
    "AvailabilityZoneId",
    "AvailableIpAddressCount",
    "DefaultForAz",
    "MapPublicIpOnLaunch",
    "State",
    "OwnerId",
    "AssignIpv6AddressOnCreation",
    "Ipv6CidrBlockAssociationSet",
    "EnableDns64",
    "Ipv6Native",
    "PrivateDnsNameOptionsOnLaunch",
    "MapCustomerOwnedIpOnLaunch",
    "CustomerOwnedIpv4Pool",
    "OutpostArn",
    "EnableLniAtDeviceIndex",
    "BlockPublicAccessStates",
    "Type",
  ),
});

const ipPermission = z.strictObject({
  IpProtocol: scalarString,
  FromPort: z.number().int().optional(),
  ToPort: z.number().int().optional(),
  IpRanges: z.array(z.strictObject({ CidrIp: str, Description: str.optional() })).optional(),
  Ipv6Ranges: z.array(z.strictObject({ CidrIpv6: str, Description: str.optional() })).optional(),
  UserIdGroupPairs: z
    .array(
      z.strictObject({
        GroupId: str,
        UserId: scalarString.optional(),
        Description: str.optional(),
        ...accepted("GroupName", "VpcId", "VpcPeeringConnectionId", "PeeringStatus"),
      }),
    )
    .optional(),
  PrefixListIds: z.array(z.strictObject({ PrefixListId: str, Description: str.optional() })).optional(),
});

export const securityGroup = z.strictObject({
  GroupId: str,
  GroupName: str.optional(),
  Description: str.optional(),
  VpcId: str,
  OwnerId: scalarString.optional(),
  IpPermissions: z.array(ipPermission).optional(),
  /** Absent: AWS's default egress rule (all traffic to 0.0.0.0/0). [] means no egress at all. */
  IpPermissionsEgress: z.array(ipPermission).optional(),
  Tags: tags.optional(),
  ...accepted("SecurityGroupArn"),
});

const naclEntry = z.strictObject({
  RuleNumber: intIn(1, 32767),
  Protocol: scalarString,
  RuleAction: z.enum(["allow", "deny"]),
  Egress: z.boolean(),
  CidrBlock: str.optional(),
  Ipv6CidrBlock: str.optional(),
  PortRange: z.strictObject({ From: port, To: port }).optional(),
  IcmpTypeCode: z.strictObject({ Code: z.number().int(), Type: z.number().int() }).optional(),
});

export const networkAcl = z.strictObject({
  NetworkAclId: str,
  VpcId: str,
  IsDefault: z.boolean().optional(),
  Entries: z.array(naclEntry).optional(),
  Associations: z
    .array(
      z.strictObject({
        SubnetId: str,
        NetworkAclAssociationId: str.optional(),
        NetworkAclId: str.optional(),
      }),
    )
    .optional(),
  OwnerId: scalarString.optional(),
  Tags: tags.optional(),
});

const instanceStates = ["pending", "running", "shutting-down", "terminated", "stopping", "stopped"] as const;

export const instance = z.strictObject({
  InstanceId: str,
  SubnetId: str,
  VpcId: str.optional(),
  PrivateIpAddress: str.optional(),
  SecurityGroups: z.array(z.strictObject({ GroupId: str, GroupName: str.optional() })).optional(),
  State: z
    .union([
      z.enum(instanceStates),
      z.strictObject({ Code: z.number().int().optional(), Name: z.enum(instanceStates) }),
    ])
    .optional(),
  InstanceType: str.optional(),
  ImageId: str.optional(),
  Placement: z
    .strictObject({ AvailabilityZone: str.optional(), ...accepted("Tenancy", "GroupName") })
    .optional(),
  Tags: tags.optional(),
  ...accepted(
    "AmiLaunchIndex",
    "Architecture",
    "BlockDeviceMappings",
    "ClientToken",
    "EbsOptimized",
    "EnaSupport",
    "Hypervisor",
    "IamInstanceProfile",
    "KeyName",
    "LaunchTime",
    "Monitoring",
    "NetworkInterfaces",
    "Platform",
    "PlatformDetails",
    "PrivateDnsName",
    "PublicDnsName",
    "PublicIpAddress",
    "RootDeviceName",
    "RootDeviceType",
    "SourceDestCheck",
    "StateReason",
    "StateTransitionReason",
    "VirtualizationType",
    "CpuOptions",
    "MetadataOptions",
    "UsageOperation",
  ),
});

export const networkInterface = z.strictObject({
  NetworkInterfaceId: str,
  SubnetId: str,
  VpcId: str.optional(),
  PrivateIpAddress: str,
  Groups: z.array(z.strictObject({ GroupId: str, GroupName: str.optional() })).optional(),
  Description: str.optional(),
  Status: str.optional(),
  AvailabilityZone: str.optional(),
  InterfaceType: str.optional(),
  ...accepted(
    "Attachment",
    "Association",
    "Ipv6Addresses",
    "MacAddress",
    "OwnerId",
    "PrivateDnsName",
    "PrivateIpAddresses",
    "RequesterId",
    "RequesterManaged",
    "SourceDestCheck",
    "TagSet",
  ),
});
