import { describe, expect, it } from "vitest";
import type { IpPermission, SecurityGroup } from "../../../src/domain/snapshot.ts";
import { evaluateSecurityGroups, type SgPeer } from "../../../src/diagnose/net/security-group-eval.ts";
import { perm, tcp } from "../../helpers/snapshot-builder.ts";

const sg = (id: string, ingress: IpPermission[], egress: IpPermission[] = []): SecurityGroup => ({
  id,
  name: id,
  ingress,
  egress,
});

/** The ALB as a peer: its group and its two subnets. */
const ALB: SgPeer = {
  groupIds: ["sg-alb"],
  ranges: [
    { cidr: "10.0.1.0/24", label: "subnet-pub-a 10.0.1.0/24" },
    { cidr: "10.0.2.0/24", label: "subnet-pub-b 10.0.2.0/24" },
  ],
};

function ingress(rules: IpPermission[], port: number, peer: SgPeer = ALB, extra: SecurityGroup[] = []) {
  const groups = Object.fromEntries([sg("sg-app", rules), ...extra].map((g) => [g.id, g]));
  return evaluateSecurityGroups(groups, ["sg-app", ...extra.map((g) => g.id)], {
    direction: "ingress",
    protocol: "tcp",
    port,
    peer,
  });
}

describe("evaluateSecurityGroups: protocol and ports", () => {
  it.each([
    ["tcp 8080 from sg-alb", [tcp(8080, { groups: ["sg-alb"] })], 8080, "all"],
    ["tcp 8080 does not admit 8081", [tcp(8080, { groups: ["sg-alb"] })], 8081, "none"],
    ["range low edge", [tcp(8000, { groups: ["sg-alb"] }, 9000)], 8000, "all"],
    ["range high edge", [tcp(8000, { groups: ["sg-alb"] }, 9000)], 9000, "all"],
    ["below range", [tcp(8000, { groups: ["sg-alb"] }, 9000)], 7999, "none"],
    ["above range", [tcp(8000, { groups: ["sg-alb"] }, 9000)], 9001, "none"],
    ["-1 admits any port", [perm("-1", undefined, undefined, { groups: ["sg-alb"] })], 65535, "all"],
    ["all admits any port", [perm("all", undefined, undefined, { groups: ["sg-alb"] })], 1, "all"],
    ["protocol 6 is tcp", [perm("6", 8080, 8080, { groups: ["sg-alb"] })], 8080, "all"],
    ["udp is not tcp", [perm("udp", 8080, 8080, { groups: ["sg-alb"] })], 8080, "none"],
    ["17 is not tcp", [perm("17", 0, 65535, { groups: ["sg-alb"] })], 8080, "none"],
    ["icmp is not tcp", [perm("icmp", -1, -1, { groups: ["sg-alb"] })], 8080, "none"],
    ["tcp 1024-65535 admits 65535", [tcp(1024, { groups: ["sg-alb"] }, 65535)], 65535, "all"],
    ["tcp 1024-65535 does not admit 1023", [tcp(1024, { groups: ["sg-alb"] }, 65535)], 1023, "none"],
  ])("%s", (_name, rules, port, expected) => {
    const v = ingress(rules, port);
    expect(v.coverage).toBe(expected);
    expect(v.admitted).toBe(expected === "all");
    expect(v.admittedBy.length > 0).toBe(expected !== "none");
  });

  it("names the near misses: the same peer on other ports or protocols", () => {
    const v = ingress(
      [tcp(443, { groups: ["sg-alb"] }), perm("udp", 8080, 8080, { groups: ["sg-alb"] })],
      8080,
    );
    expect(v.admitted).toBe(false);
    expect(v.otherPorts.map((r) => r.text)).toEqual(["tcp 443 from sg-alb", "udp 8080 from sg-alb"]);
  });

  it("does not count rules for other peers as near misses", () => {
    const v = ingress([tcp(8080, { groups: ["sg-bastion"] }), tcp(22, { cidrs: ["198.51.100.0/24"] })], 8080);
    expect(v.coverage).toBe("none");
    expect(v.otherPorts).toEqual([]);
  });
});

describe("evaluateSecurityGroups: peers by group and by CIDR", () => {
  it.each([
    ["a rule for another group", [tcp(8080, { groups: ["sg-old-alb"] })], "none", []],
    ["the VPC CIDR", [tcp(8080, { cidrs: ["10.0.0.0/16"] })], "all", []],
    ["0.0.0.0/0", [tcp(8080, { cidrs: ["0.0.0.0/0"] })], "all", []],
    ["both ALB subnets", [tcp(8080, { cidrs: ["10.0.1.0/24", "10.0.2.0/24"] })], "all", []],
    [
      "one subnet in two halves across rules",
      [tcp(8080, { cidrs: ["10.0.1.0/24", "10.0.2.0/25"] }), tcp(8000, { cidrs: ["10.0.2.128/25"] }, 8100)],
      "all",
      [],
    ],
    ["only one ALB subnet", [tcp(8080, { cidrs: ["10.0.1.0/24"] })], "some", ["subnet-pub-b 10.0.2.0/24"]],
    [
      "half of one subnet",
      [tcp(8080, { cidrs: ["10.0.1.0/24", "10.0.2.0/25"] })],
      "some",
      ["part of subnet-pub-b 10.0.2.0/24"],
    ],
    [
      "an overlapping but smaller range",
      [tcp(8080, { cidrs: ["10.0.1.0/26"] })],
      "some",
      ["part of subnet-pub-a 10.0.1.0/24", "subnet-pub-b 10.0.2.0/24"],
    ],
    ["IPv6 ::/0 does not cover IPv4 subnets", [tcp(8080, { ipv6: ["::/0"] })], "none", []],
  ])("%s -> %s", (_name, rules, expected, uncovered) => {
    const v = ingress(rules, 8080);
    expect(v.coverage).toBe(expected);
    if (expected === "some") expect(v.uncovered).toEqual(uncovered);
  });

  it("admits IPv6 ALB subnets by IPv6 ranges, not IPv4 ones", () => {
    const peer: SgPeer = { groupIds: [], ranges: [{ cidr: "2001:db8:1::/64" }, { cidr: "2001:db8:2::/64" }] };
    expect(ingress([tcp(8080, { ipv6: ["2001:db8::/32"] })], 8080, peer).coverage).toBe("all");
    expect(ingress([tcp(8080, { ipv6: ["2001:db8:1::/64"] })], 8080, peer).coverage).toBe("some");
    expect(ingress([tcp(8080, { cidrs: ["0.0.0.0/0"] })], 8080, peer).coverage).toBe("none");
  });

  it("unions the rules of every group the target carries", () => {
    const v = ingress([], 8080, ALB, [sg("sg-extra", [tcp(8080, { groups: ["sg-alb"] })])]);
    expect(v.admitted).toBe(true);
    expect(v.admittedBy).toEqual([{ groupId: "sg-extra", text: "tcp 8080 from sg-alb" }]);
  });

  it("admits a peer that carries a self-referenced group", () => {
    const peer: SgPeer = { groupIds: ["sg-alb", "sg-app"], ranges: [] };
    expect(ingress([tcp(8080, { groups: ["sg-app"] })], 8080, peer).admitted).toBe(true);
  });

  it("treats prefix lists as not admitting, and says so", () => {
    const v = ingress([tcp(8080, { prefixLists: ["pl-0abc"] })], 8080);
    expect(v.admitted).toBe(false);
    expect(v.notes.join(" ")).toMatch(/pl-0abc.*not admitting/);
  });

  it("reports groups it was asked about but does not know", () => {
    const groups = { "sg-app": sg("sg-app", []) };
    const v = evaluateSecurityGroups(groups, ["sg-app", "sg-gone"], {
      direction: "ingress",
      protocol: "tcp",
      port: 8080,
      peer: ALB,
    });
    expect(v.missingGroups).toEqual(["sg-gone"]);
  });
});

describe("evaluateSecurityGroups: egress", () => {
  const target: SgPeer = { groupIds: ["sg-app"], ranges: [{ cidr: "10.0.11.10" }] };
  const egress = (rules: IpPermission[], port: number) =>
    evaluateSecurityGroups({ "sg-alb": sg("sg-alb", [], rules) }, ["sg-alb"], {
      direction: "egress",
      protocol: "tcp",
      port,
      peer: target,
    });

  it.each([
    ["all traffic to 0.0.0.0/0", [perm("-1", undefined, undefined, { cidrs: ["0.0.0.0/0"] })], true],
    ["tcp 8080 to the target's group", [tcp(8080, { groups: ["sg-app"] })], true],
    ["tcp 8080 to the target subnet", [tcp(8080, { cidrs: ["10.0.11.0/24"] })], true],
    ["tcp 443 to anywhere", [tcp(443, { cidrs: ["0.0.0.0/0"] })], false],
    ["tcp 8080 to another subnet", [tcp(8080, { cidrs: ["10.0.12.0/24"] })], false],
    ["no egress rules", [], false],
  ])("%s -> %s", (_name, rules, admitted) => {
    const v = egress(rules, 8080);
    expect(v.admitted).toBe(admitted);
    if (admitted) expect(v.admittedBy[0].text).toMatch(/ to /);
  });
});
