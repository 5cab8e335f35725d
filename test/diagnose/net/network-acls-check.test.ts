import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/domain/report.ts";
import type { NaclEntry } from "../../../src/domain/snapshot.ts";
import { networkAclCheck } from "../../../src/diagnose/checks/network-acls.ts";
import {
  allTargetsUnhealthy,
  buildSnapshot,
  customAcl,
  edit,
  healthCheckPort,
  IDS,
  ipTargets,
  metric,
  naclEntries,
  naclEntry,
  partError,
  tgAttribute,
} from "../../helpers/snapshot-builder.ts";

const run = (...m: Parameters<typeof buildSnapshot>) => networkAclCheck.run(buildSnapshot(...m));
const text = (f: Finding) => f.evidence.map((e) => e.detail).join("\n");
const commands = (f: Finding) => f.fixes.flatMap((x) => x.snippets ?? []).map((s) => s.code);
const ruleNumbers = (f: Finding) => commands(f).map((c) => Number(/--rule-number (\d+)/.exec(c)?.[1]));

const allowAll = (): NaclEntry[] => [
  naclEntry(100, "allow"),
  naclEntry(32767, "deny"),
  naclEntry(100, "allow", { egress: true }),
  naclEntry(32767, "deny", { egress: true }),
];

/** The "edge hardening" ACL on the ALB subnets: inbound only 443 and 80, outbound everything. */
const albEdgeAcl = customAcl("acl-edge", IDS.albSubnets, [
  naclEntry(100, "allow", { ports: [443, 443] }),
  naclEntry(110, "allow", { ports: [80, 80] }),
  naclEntry(32767, "deny"),
  naclEntry(100, "allow", { egress: true }),
  naclEntry(32767, "deny", { egress: true }),
]);

describe("network-acls check", () => {
  it("finds nothing on the healthy baseline (default ACL)", () => {
    expect(run()).toEqual([]);
  });

  it("catches return traffic dropped at the ALB subnets' inbound rules", () => {
    const fs = run(albEdgeAcl, allTargetsUnhealthy(), metric("TargetConnectionErrorCount", [3, 9]));
    expect(fs.map((f) => f.id)).toEqual(["nacl-blocks-traffic"]);
    const [f] = fs;
    expect(f.title).toMatch(/acl-edge.*return traffic/);
    expect(text(f)).toMatch(
      /acl-edge \(ingress, on subnet-pub-a, subnet-pub-b\) drops replies from i-0a1, i-0a2 \(tcp 8080\) to the ALB nodes' ephemeral ports 1024-65535/,
    );
    expect(text(f)).toMatch(/rule \* deny all traffic from 0\.0\.0\.0\/0 decides first/);
    expect(text(f)).toMatch(/Target\.Timeout/);
    expect(f.resources).toEqual(
      expect.arrayContaining(["acl-edge", "subnet-pub-a", "subnet-pub-b", IDS.tgArn]),
    );
    const fix = f.fixes[0];
    expect(fix.id).toBe("fix-nacl");
    expect(fix.automated).toBe(false);
    expect(commands(f).sort()).toEqual([
      "aws ec2 create-network-acl-entry --network-acl-id acl-edge --ingress --rule-number 120 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.11.0/24 --rule-action allow",
      "aws ec2 create-network-acl-entry --network-acl-id acl-edge --ingress --rule-number 130 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.12.0/24 --rule-action allow",
    ]);
  });

  it("treats a partial ephemeral allow (32768-60999) as a block of the missing ports", () => {
    const fs = run(
      customAcl("acl-app", IDS.appSubnets, [
        naclEntry(100, "allow"),
        naclEntry(100, "allow", { egress: true, ports: [32768, 60999] }),
        naclEntry(32767, "deny"),
        naclEntry(32767, "deny", { egress: true }),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(text(fs[0])).toMatch(/ports 1024-32767, 61000-65535 of 1024-65535/);
    expect(commands(fs[0]).every((c) => c.includes("--egress") && c.includes("From=1024,To=65535"))).toBe(
      true,
    );
    // The allow must come before the * deny and after 100: any free number in between.
    expect(ruleNumbers(fs[0]).every((n) => n > 100 && n < 32767)).toBe(true);
    expect(new Set(ruleNumbers(fs[0])).size).toBe(ruleNumbers(fs[0]).length);
  });

  it("puts the fix ahead of an explicit deny of the traffic port at the targets' subnet", () => {
    const fs = run(
      customAcl("acl-app", IDS.appSubnets, [
        naclEntry(50, "deny", { ports: [8080, 8080], cidr: "10.0.0.0/16" }),
        ...allowAll(),
      ]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0].title).toMatch(/denies inbound tcp 8080/);
    expect(text(fs[0])).toMatch(/rule 50 deny tcp 8080 from 10\.0\.0\.0\/16 decides first/);
    const nums = ruleNumbers(fs[0]);
    expect(nums.every((n) => n < 50)).toBe(true);
    expect(commands(fs[0])).toEqual([
      `aws ec2 create-network-acl-entry --network-acl-id acl-app --ingress --rule-number ${nums[0]} --protocol tcp --port-range From=8080,To=8080 --cidr-block 10.0.1.0/24 --rule-action allow`,
      `aws ec2 create-network-acl-entry --network-acl-id acl-app --ingress --rule-number ${nums[1]} --protocol tcp --port-range From=8080,To=8080 --cidr-block 10.0.2.0/24 --rule-action allow`,
    ]);
  });

  it("checks the ALB subnets' outbound leg", () => {
    const fs = run(
      customAcl("acl-edge", IDS.albSubnets, [
        naclEntry(100, "allow"),
        naclEntry(100, "allow", { egress: true, ports: [443, 443] }),
        naclEntry(110, "allow", { egress: true, ports: [1024, 65535], cidr: "0.0.0.0/0" }),
      ]),
    );
    // 8080 is inside 1024-65535, so requests to targets leave fine: no finding.
    expect(fs).toEqual([]);
    const blocked = run(
      customAcl("acl-edge", IDS.albSubnets, [
        naclEntry(100, "allow"),
        naclEntry(100, "allow", { egress: true, ports: [443, 443] }),
      ]),
    );
    expect(blocked).toHaveLength(1);
    expect(text(blocked[0])).toMatch(
      /\(egress, on subnet-pub-a, subnet-pub-b\) drops requests from the ALB nodes to i-0a1, i-0a2 on tcp 8080: no rule matches, so the implicit \* deny drops it/,
    );
    expect(commands(blocked[0]).every((c) => c.includes("--egress"))).toBe(true);
  });

  it("says when only the health-check port is blocked", () => {
    const fs = run(
      healthCheckPort(8081),
      customAcl("acl-app", IDS.appSubnets, [naclEntry(50, "deny", { ports: [8081, 8081] }), ...allowAll()]),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0].title).toMatch(/tcp 8081 .*\(health-check port\)/);
    expect(text(fs[0])).toMatch(/tcp 8081 \(the health-check port\)/);
  });

  it("uses the VPC default ACL for subnets without an explicit association", () => {
    const fs = run(
      naclEntries([naclEntry(100, "allow"), naclEntry(100, "allow", { egress: true, ports: [0, 1023] })]),
      edit((s) => (s.networkAcls[0].subnetIds = [])),
    );
    expect(fs).toHaveLength(1);
    expect(fs[0].resources).toContain(IDS.defaultAcl);
  });

  it("assumes the AWS default (allow all) when no ACL is in the snapshot", () => {
    expect(run(edit((s) => (s.networkAcls = [])))).toEqual([]);
  });

  it("ignores ACLs when the target shares the ALB's subnet", () => {
    const denyAll = [naclEntry(32767, "deny"), naclEntry(32767, "deny", { egress: true })];
    const s = buildSnapshot(
      edit((snap) => {
        snap.loadBalancer.subnetIds = ["subnet-app-a"];
        snap.targetGroups[0].targets = snap.targetGroups[0].targets.filter((t) => t.id === "i-0a1");
      }),
      customAcl("acl-closed", ["subnet-app-a"], denyAll),
    );
    expect(networkAclCheck.run(s)).toEqual([]);
  });

  it("evaluates only same-zone ALB subnets when cross-zone load balancing is off", () => {
    const denyFromB = customAcl("acl-app", IDS.appSubnets, [
      naclEntry(50, "deny", { cidr: "10.0.2.0/24" }),
      ...allowAll(),
    ]);
    const on = run(denyFromB);
    expect(on[0].resources).toEqual(expect.arrayContaining(["i-0a1", "i-0a2"]));
    const off = run(denyFromB, tgAttribute("load_balancing.cross_zone.enabled", "false"));
    expect(off[0].resources).toContain("i-0a2");
    expect(off[0].resources).not.toContain("i-0a1");
  });

  it("evaluates IPv6 ip targets against the subnets' IPv6 CIDRs", () => {
    const s = buildSnapshot(
      ipTargets(),
      edit((snap) => {
        const v6: Record<string, string> = {
          "subnet-pub-a": "2001:db8:0:1::/64",
          "subnet-pub-b": "2001:db8:0:2::/64",
          "subnet-app-a": "2001:db8:0:11::/64",
          "subnet-app-b": "2001:db8:0:12::/64",
        };
        for (const sub of Object.values(snap.subnets)) sub.ipv6CidrBlocks = [v6[sub.id]];
        const tg = snap.targetGroups[0];
        tg.targets = [{ ...tg.targets[0], id: "2001:db8:0:11::10" }];
        snap.targetHosts = {
          "2001:db8:0:11::10": { ...snap.targetHosts["10.0.11.10"], targetId: "2001:db8:0:11::10" },
        };
      }),
      // IPv4 allows everything, IPv6 has no allow at all.
      naclEntries([naclEntry(100, "allow"), naclEntry(100, "allow", { egress: true })]),
    );
    const fs = networkAclCheck.run(s);
    expect(fs.length).toBeGreaterThan(0);
    expect(commands(fs[0]).some((c) => c.includes("--ipv6-cidr-block 2001:db8:0:"))).toBe(true);
  });

  it("returns nothing when NACLs or subnets could not be collected", () => {
    expect(run(albEdgeAcl, partError("network-acls", "AccessDenied: ec2:DescribeNetworkAcls"))).toEqual([]);
    expect(run(albEdgeAcl, partError("subnets", "AccessDenied: ec2:DescribeSubnets"))).toEqual([]);
  });

  it("reports one finding per cause across target groups, with one set of commands", () => {
    const s = buildSnapshot(
      albEdgeAcl,
      edit((snap) => {
        const tg = snap.targetGroups[0];
        snap.targetGroups.push({
          ...structuredClone(tg),
          arn: tg.arn.replace("api/", "admin/"),
          name: "admin",
          resourceId: tg.resourceId.replace("api/", "admin/"),
        });
      }),
    );
    const fs = networkAclCheck.run(s);
    expect(fs).toHaveLength(1);
    expect(fs[0].resources.filter((r) => r.includes(":targetgroup/"))).toHaveLength(2);
    expect(commands(fs[0])).toHaveLength(2);
  });
});
