import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  paginateDescribeInstances,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { hasAwsCli, runAws } from "./aws-cli.ts";
import { errorOf } from "./sdk-error.ts";

/** A VPC with two subnets, a custom ACL, three groups, a dozen instances and an ip-target ENI. */
const scenario = {
  name: "ec2-wire",
  now: "2026-03-15T14:30:00Z",
  vpcs: [
    { VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" },
    { VpcId: "vpc-2", CidrBlock: "10.1.0.0/16" },
  ],
  subnets: [
    { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
    { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
    { SubnetId: "subnet-z", VpcId: "vpc-2", CidrBlock: "10.1.1.0/24", AvailabilityZone: "us-east-1a" },
  ],
  securityGroups: [
    {
      GroupId: "sg-alb",
      GroupName: "alb",
      VpcId: "vpc-1",
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
    },
    {
      GroupId: "sg-app",
      GroupName: "app",
      VpcId: "vpc-1",
      Tags: [{ Key: "team", Value: "payments" }],
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: "sg-alb" }] },
        {
          IpProtocol: "6",
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "ssh" }],
        },
      ],
    },
    { GroupId: "sg-other", GroupName: "other", VpcId: "vpc-2" },
  ],
  networkAcls: [
    {
      NetworkAclId: "acl-1",
      VpcId: "vpc-1",
      Entries: [
        {
          RuleNumber: 100,
          Protocol: "6",
          RuleAction: "deny",
          Egress: false,
          CidrBlock: "10.0.1.0/24",
          PortRange: { From: 8080, To: 8080 },
        },
        { RuleNumber: 200, Protocol: "-1", RuleAction: "allow", Egress: false, CidrBlock: "0.0.0.0/0" },
      ],
      Associations: [{ SubnetId: "subnet-b" }],
    },
  ],
  instances: Array.from({ length: 12 }, (_, i) => ({
    InstanceId: `i-0a${String(i).padStart(2, "0")}`,
    SubnetId: i % 2 ? "subnet-b" : "subnet-a",
    PrivateIpAddress: `10.0.${i % 2 ? 2 : 1}.${100 + i}`,
    SecurityGroups: [{ GroupId: "sg-app" }],
    State: i === 11 ? "stopped" : "running",
  })),
  networkInterfaces: [
    {
      NetworkInterfaceId: "eni-task1",
      SubnetId: "subnet-b",
      PrivateIpAddress: "10.0.2.50",
      Groups: [{ GroupId: "sg-app" }],
      Description: "arn:aws:ecs:us-east-1:123456789012:attachment/abc",
    },
  ],
};

let sim: TestSim;
const ec2 = () => sim.clients.ec2;

beforeAll(async () => {
  sim = await startTestSim(scenario);
});
afterAll(async () => {
  await sim?.close();
});

describe("EC2 security groups", () => {
  it("describes groups by id with permissions, names and owners as AWS shapes them", async () => {
    const out = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
    expect(out.SecurityGroups).toHaveLength(1);
    const g = out.SecurityGroups![0];
    expect(g).toMatchObject({
      GroupId: "sg-app",
      GroupName: "app",
      VpcId: "vpc-1",
      OwnerId: "123456789012",
      SecurityGroupArn: "arn:aws:ec2:us-east-1:123456789012:security-group/sg-app",
      Tags: [{ Key: "team", Value: "payments" }],
    });
    expect(g.IpPermissions).toEqual([
      {
        IpProtocol: "tcp",
        FromPort: 8080,
        ToPort: 8080,
        UserIdGroupPairs: [{ GroupId: "sg-alb", UserId: "123456789012" }],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
      {
        IpProtocol: "tcp", // "6" is reported by name
        FromPort: 22,
        ToPort: 22,
        UserIdGroupPairs: [],
        IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "ssh" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
    // the default egress rule: all protocols, no ports
    expect(g.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }),
    ]);
    expect(g.IpPermissionsEgress![0].FromPort).toBeUndefined();
  });

  it.each([
    [{ Filters: [{ Name: "vpc-id", Values: ["vpc-1"] }] }, ["sg-alb", "sg-app"]],
    [{ Filters: [{ Name: "group-id", Values: ["sg-other", "sg-alb"] }] }, ["sg-alb", "sg-other"]],
    [{ Filters: [{ Name: "group-name", Values: ["a*"] }] }, ["sg-alb", "sg-app"]],
    [{ Filters: [{ Name: "ip-permission.group-id", Values: ["sg-alb"] }] }, ["sg-app"]],
    [{ Filters: [{ Name: "tag:team", Values: ["payments"] }] }, ["sg-app"]],
    [
      {
        Filters: [
          { Name: "vpc-id", Values: ["vpc-1"] },
          { Name: "ip-permission.from-port", Values: ["443"] },
        ],
      },
      ["sg-alb"],
    ],
    [{}, ["sg-alb", "sg-app", "sg-other"]],
  ])("filters %j", async (input, ids) => {
    const out = await ec2().send(new DescribeSecurityGroupsCommand(input));
    expect(out.SecurityGroups!.map((g) => g.GroupId).sort()).toEqual(ids);
  });

  it("pages groups with MaxResults/NextToken", async () => {
    const first = await ec2().send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
    expect(first.SecurityGroups).toHaveLength(3);
    expect(first.NextToken).toBeUndefined();
    const err = await errorOf(ec2().send(new DescribeSecurityGroupsCommand({ MaxResults: 2 })));
    expect(err.name).toBe("InvalidParameterValue");
  });

  it("answers InvalidGroup.NotFound for unknown groups, and rejects unknown filters", async () => {
    const err = await errorOf(
      ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app", "sg-nope"] })),
    );
    expect(err).toMatchObject({ name: "InvalidGroup.NotFound", status: 400 });
    expect(err.message).toContain("sg-nope");
    const bad = await errorOf(
      ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "colour", Values: ["red"] }] })),
    );
    expect(bad.name).toBe("InvalidParameterValue");
  });

  it("lists rules with stable sgr- ids, filterable by group and id", async () => {
    const out = await ec2().send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: ["sg-app"] }] }),
    );
    const rules = out.SecurityGroupRules!;
    expect(rules).toHaveLength(3); // two ingress, one egress
    for (const r of rules) expect(r.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    const fromAlb = rules.find((r) => r.ReferencedGroupInfo?.GroupId === "sg-alb")!;
    expect(fromAlb).toMatchObject({
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 8080,
      ToPort: 8080,
      GroupId: "sg-app",
    });
    const egress = rules.find((r) => r.IsEgress)!;
    expect(egress).toMatchObject({ IpProtocol: "-1", FromPort: -1, ToPort: -1, CidrIpv4: "0.0.0.0/0" });
    const again = await ec2().send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [fromAlb.SecurityGroupRuleId!] }),
    );
    expect(again.SecurityGroupRules).toEqual([fromAlb]);
    const err = await errorOf(
      ec2().send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-00000000000000000"] })),
    );
    expect(err.name).toBe("InvalidSecurityGroupRuleId.NotFound");
  });

  it("authorizes a rule that later describes show, refuses it twice, and revokes it", async () => {
    const perm = {
      IpProtocol: "tcp",
      FromPort: 9090,
      ToPort: 9090,
      UserIdGroupPairs: [{ GroupId: "sg-alb" }],
    };
    const added = await ec2().send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: "sg-app", IpPermissions: [perm] }),
    );
    expect(added.Return).toBe(true);
    expect(added.SecurityGroupRules).toHaveLength(1);
    expect(added.SecurityGroupRules![0]).toMatchObject({
      GroupId: "sg-app",
      IsEgress: false,
      FromPort: 9090,
      ReferencedGroupInfo: { GroupId: "sg-alb", UserId: "123456789012" },
    });
    const ruleId = added.SecurityGroupRules![0].SecurityGroupRuleId!;

    const after = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
    expect(after.SecurityGroups![0].IpPermissions).toContainEqual(
      expect.objectContaining({
        FromPort: 9090,
        UserIdGroupPairs: [{ GroupId: "sg-alb", UserId: "123456789012" }],
      }),
    );
    const rules = await ec2().send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }));
    expect(rules.SecurityGroupRules).toHaveLength(1);

    const dup = await errorOf(
      ec2().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: "sg-app", IpPermissions: [perm] })),
    );
    expect(dup.name).toBe("InvalidPermission.Duplicate");
    expect(dup.message).toContain("sg-alb");

    const revoked = await ec2().send(
      new RevokeSecurityGroupIngressCommand({ GroupId: "sg-app", IpPermissions: [perm] }),
    );
    expect(revoked.Return).toBe(true);
    expect(revoked.RevokedSecurityGroupRules?.[0]?.SecurityGroupRuleId).toBe(ruleId);
    const gone = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
    expect(gone.SecurityGroups![0].IpPermissions!.some((p) => p.FromPort === 9090)).toBe(false);

    const again = await errorOf(
      ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: "sg-app", IpPermissions: [perm] })),
    );
    expect(again.name).toBe("InvalidPermission.NotFound");
  });

  it("adds a CIDR source to an existing port range and revokes it by rule id", async () => {
    const added = await ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: "sg-app",
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 8080,
            ToPort: 8080,
            IpRanges: [{ CidrIp: "10.0.1.0/24", Description: "alb subnet" }],
          },
        ],
      }),
    );
    const id = added.SecurityGroupRules![0].SecurityGroupRuleId!;
    const g = (await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] })))
      .SecurityGroups![0];
    const p8080 = g.IpPermissions!.filter((p) => p.FromPort === 8080);
    expect(p8080).toHaveLength(1); // merged into the existing permission
    expect(p8080[0].IpRanges).toEqual([{ CidrIp: "10.0.1.0/24", Description: "alb subnet" }]);
    expect(p8080[0].UserIdGroupPairs).toHaveLength(1);

    await ec2().send(
      new RevokeSecurityGroupIngressCommand({ GroupId: "sg-app", SecurityGroupRuleIds: [id] }),
    );
    const g2 = (await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] })))
      .SecurityGroups![0];
    expect(g2.IpPermissions!.find((p) => p.FromPort === 8080)!.IpRanges).toEqual([]);
    const err = await errorOf(
      ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: "sg-app", SecurityGroupRuleIds: [id] })),
    );
    expect(err.name).toBe("InvalidSecurityGroupRuleId.NotFound");
  });

  it.each([
    [
      {
        GroupId: "sg-nope",
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
      },
      "InvalidGroup.NotFound",
    ],
    [
      {
        GroupId: "sg-app",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 1, ToPort: 1, UserIdGroupPairs: [{ GroupId: "sg-ghost" }] },
        ],
      },
      "InvalidGroup.NotFound",
    ],
    [
      {
        GroupId: "sg-app",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: "10.0.0.300/8" }] },
        ],
      },
      "InvalidParameterValue",
    ],
    [
      {
        GroupId: "sg-app",
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 9, ToPort: 1, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
      },
      "InvalidParameterValue",
    ],
    [
      { GroupId: "sg-app", IpPermissions: [{ IpProtocol: "bogus", IpRanges: [{ CidrIp: "10.0.0.0/8" }] }] },
      "InvalidParameterValue",
    ],
    [
      { GroupId: "sg-app", IpPermissions: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 1 }] },
      "MissingParameter",
    ],
  ])("rejects %j with %s", async (input, code) => {
    const err = await errorOf(ec2().send(new AuthorizeSecurityGroupIngressCommand(input)));
    expect(err.name).toBe(code);
  });

  it("answers DryRunOperation for a dry run and changes nothing", async () => {
    const before = JSON.stringify(sim.world.securityGroups);
    const err = await errorOf(
      ec2().send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: "sg-app",
          DryRun: true,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 7, ToPort: 7, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          ],
        }),
      ),
    );
    expect(err.name).toBe("DryRunOperation");
    expect(JSON.stringify(sim.world.securityGroups)).toBe(before);
  });
});

describe("EC2 network", () => {
  it("finds a subnet's ACL by association.subnet-id, with entries and the implicit deny", async () => {
    const out = await ec2().send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: ["subnet-b"] }] }),
    );
    expect(out.NetworkAcls).toHaveLength(1);
    const acl = out.NetworkAcls![0];
    expect(acl).toMatchObject({ NetworkAclId: "acl-1", VpcId: "vpc-1", IsDefault: false });
    expect(acl.Associations).toEqual([
      expect.objectContaining({ SubnetId: "subnet-b", NetworkAclId: "acl-1" }),
    ]);
    expect(acl.Entries).toContainEqual(
      expect.objectContaining({
        RuleNumber: 100,
        Protocol: "6",
        RuleAction: "deny",
        Egress: false,
        PortRange: { From: 8080, To: 8080 },
      }),
    );
    expect(acl.Entries).toContainEqual(expect.objectContaining({ RuleNumber: 32767, RuleAction: "deny" }));
    // subnet-a falls to the VPC's default ACL
    const def = await ec2().send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: "vpc-id", Values: ["vpc-1"] },
          { Name: "default", Values: ["true"] },
        ],
      }),
    );
    expect(def.NetworkAcls).toHaveLength(1);
    expect(def.NetworkAcls![0].Associations!.map((a) => a.SubnetId)).toEqual(["subnet-a"]);
    const err = await errorOf(ec2().send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["acl-nope"] })));
    expect(err.name).toBe("InvalidNetworkAclID.NotFound");
  });

  it("describes subnets by id and by vpc-id", async () => {
    const byId = await ec2().send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-b"] }));
    expect(byId.Subnets![0]).toMatchObject({
      SubnetId: "subnet-b",
      VpcId: "vpc-1",
      CidrBlock: "10.0.2.0/24",
      AvailabilityZone: "us-east-1b",
      State: "available",
      AvailableIpAddressCount: 251,
    });
    const byVpc = await ec2().send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: ["vpc-2"] }] }),
    );
    expect(byVpc.Subnets!.map((s) => s.SubnetId)).toEqual(["subnet-z"]);
    expect((await errorOf(ec2().send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-x"] })))).name).toBe(
      "InvalidSubnetID.NotFound",
    );
  });

  it("describes instances in the Reservations shape, by id and by filter", async () => {
    const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: ["i-0a01", "i-0a11"] }));
    const instances = out.Reservations!.flatMap((r) => r.Instances!);
    expect(instances.map((i) => i.InstanceId)).toEqual(["i-0a01", "i-0a11"]);
    expect(out.Reservations![0].ReservationId).toMatch(/^r-/);
    expect(instances[0]).toMatchObject({
      PrivateIpAddress: "10.0.2.101",
      SubnetId: "subnet-b",
      VpcId: "vpc-1",
      State: { Code: 16, Name: "running" },
      SecurityGroups: [{ GroupId: "sg-app", GroupName: "app" }],
      PrivateDnsName: "ip-10-0-2-101.ec2.internal",
    });
    expect(instances[0].NetworkInterfaces![0].PrivateIpAddress).toBe("10.0.2.101");
    expect(instances[1].State).toEqual({ Code: 80, Name: "stopped" });

    const running = await ec2().send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "instance-state-name", Values: ["running"] },
          { Name: "subnet-id", Values: ["subnet-b"] },
        ],
      }),
    );
    expect(running.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([
      "i-0a01",
      "i-0a03",
      "i-0a05",
      "i-0a07",
      "i-0a09",
    ]);
    const err = await errorOf(
      ec2().send(new DescribeInstancesCommand({ InstanceIds: ["i-0a01", "i-0ffff"] })),
    );
    expect(err.name).toBe("InvalidInstanceID.NotFound");
    expect(err.message).toContain("i-0ffff");
  });

  it("pages DescribeInstances with MaxResults and NextToken (and the SDK paginator)", async () => {
    const first = await ec2().send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(first.Reservations).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2(), pageSize: 5 }, {})) {
      ids.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    const combo = await errorOf(
      ec2().send(new DescribeInstancesCommand({ InstanceIds: ["i-0a01"], MaxResults: 5 })),
    );
    expect(combo.name).toBe("InvalidParameterCombination");
    const badToken = await errorOf(ec2().send(new DescribeInstancesCommand({ NextToken: "not-a-token" })));
    expect(badToken.name).toBe("InvalidParameterValue");
  });

  it("finds network interfaces by private address, description, vpc and subnet", async () => {
    const byIp = await ec2().send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "addresses.private-ip-address", Values: ["10.0.2.50"] }],
      }),
    );
    expect(byIp.NetworkInterfaces).toHaveLength(1);
    expect(byIp.NetworkInterfaces![0]).toMatchObject({
      NetworkInterfaceId: "eni-task1",
      SubnetId: "subnet-b",
      VpcId: "vpc-1",
      Groups: [{ GroupId: "sg-app", GroupName: "app" }],
    });
    const byDesc = await ec2().send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: ["arn:aws:ecs:*"] }] }),
    );
    expect(byDesc.NetworkInterfaces!.map((e) => e.NetworkInterfaceId)).toEqual(["eni-task1"]);
    // instances' primary interfaces are listed too
    const inSubnet = await ec2().send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "vpc-id", Values: ["vpc-1"] },
          { Name: "subnet-id", Values: ["subnet-a"] },
        ],
      }),
    );
    expect(inSubnet.NetworkInterfaces!.map((e) => e.PrivateIpAddress).sort()).toEqual(
      ["10.0.1.100", "10.0.1.102", "10.0.1.104", "10.0.1.106", "10.0.1.108", "10.0.1.110"].sort(),
    );
    const err = await errorOf(
      ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-nope"] })),
    );
    expect(err.name).toBe("InvalidNetworkInterfaceID.NotFound");
  });

  it("logs each call with its action and parameters", () => {
    const calls = sim.world.callLog.filter((c) => c.service === "ec2");
    expect(calls.some((c) => c.action === "AuthorizeSecurityGroupIngress" && c.status === 200)).toBe(true);
    const failed = calls.find((c) => c.errorCode === "InvalidGroup.NotFound");
    expect(failed?.status).toBe(400);
  });
});

describe.skipIf(!hasAwsCli)("the AWS CLI against the simulator (playbook step 4)", () => {
  it("describe-security-groups with --query, as the playbook types it", async () => {
    const r = await runAws(sim.endpoint, [
      "ec2",
      "describe-security-groups",
      "--group-ids",
      "sg-app",
      "--query",
      "SecurityGroups[0].IpPermissions[*].[FromPort,ToPort,IpProtocol,UserIdGroupPairs[*].GroupId,IpRanges[*].CidrIp]",
    ]);
    expect(r.stderr).toBe("");
    const rows = JSON.parse(r.stdout) as unknown[][];
    expect(rows).toContainEqual([8080, 8080, "tcp", ["sg-alb"], []]);
    expect(rows).toContainEqual([22, 22, "tcp", [], ["10.0.0.0/16"]]);
  });

  it("authorize-security-group-ingress --protocol tcp --port --source-group, then Duplicate on the second try", async () => {
    const args = [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      "sg-app",
      "--protocol",
      "tcp",
      "--port",
      "8443",
      "--source-group",
      "sg-alb",
    ];
    const first = await runAws(sim.endpoint, args);
    expect(first.stderr).toBe("");
    expect(JSON.parse(first.stdout).Return).toBe(true);
    const after = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app"] }));
    expect(after.SecurityGroups![0].IpPermissions).toContainEqual(
      expect.objectContaining({
        FromPort: 8443,
        ToPort: 8443,
        UserIdGroupPairs: [expect.objectContaining({ GroupId: "sg-alb" })],
      }),
    );
    const second = await runAws(sim.endpoint, args);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain("InvalidPermission.Duplicate");
  });

  it("describe-instances with a filter and --query", async () => {
    const r = await runAws(sim.endpoint, [
      "ec2",
      "describe-instances",
      "--filters",
      "Name=private-ip-address,Values=10.0.2.103",
      "--query",
      "Reservations[].Instances[].[InstanceId,State.Name,SubnetId]",
    ]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([["i-0a03", "running", "subnet-b"]]);
  });
});
