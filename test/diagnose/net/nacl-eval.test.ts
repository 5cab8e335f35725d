import { describe, expect, it } from "vitest";
import type { NaclEntry, NetworkAcl } from "../../../src/domain/snapshot.ts";
import {
  aclForSubnet,
  describeEntry,
  evaluateNacl,
  freeRuleNumberBefore,
  type NaclQuery,
} from "../../../src/diagnose/net/nacl-eval.ts";
import { EPHEMERAL_PORTS } from "../../../src/diagnose/net/protocol.ts";
import { defaultAclEntries, naclEntry } from "../../helpers/snapshot-builder.ts";

const acl = (entries: NaclEntry[], extra: Partial<NetworkAcl> = {}): NetworkAcl => ({
  id: "acl-1",
  vpcId: "vpc-1",
  isDefault: false,
  entries,
  subnetIds: [],
  ...extra,
});

const q = (
  peer: string,
  ports: [number, number],
  egress = false,
  protocol: "tcp" | "udp" = "tcp",
): NaclQuery => ({
  egress,
  protocol,
  ports: { from: ports[0], to: ports[1] },
  peer,
});

const ALB_A = "10.0.1.0/24";
const TARGET = "10.0.11.10/32";

describe("evaluateNacl: order, first match wins, implicit deny", () => {
  it.each([
    ["the AWS default ACL", defaultAclEntries(), q(ALB_A, [8080, 8080]), "allow", null],
    [
      "deny before allow",
      [naclEntry(90, "deny", { cidr: ALB_A, ports: [8080, 8080] }), naclEntry(100, "allow")],
      q(ALB_A, [8080, 8080]),
      "deny",
      90,
    ],
    [
      "deny before allow, other subnet untouched",
      [naclEntry(90, "deny", { cidr: ALB_A, ports: [8080, 8080] }), naclEntry(100, "allow")],
      q("10.0.2.0/24", [8080, 8080]),
      "allow",
      null,
    ],
    [
      "allow before deny",
      [naclEntry(90, "allow", { cidr: "10.0.0.0/16", ports: [8080, 8080] }), naclEntry(100, "deny")],
      q(ALB_A, [8080, 8080]),
      "allow",
      null,
    ],
    [
      "rule numbers, not list order, decide",
      [naclEntry(200, "allow"), naclEntry(100, "deny", { cidr: "10.0.0.0/8" })],
      q(ALB_A, [8080, 8080]),
      "deny",
      100,
    ],
    [
      "narrow deny inside a wide allow (overlapping CIDRs)",
      [naclEntry(100, "allow", { cidr: "10.0.0.0/8" }), naclEntry(90, "deny", { cidr: "10.0.11.0/24" })],
      q(TARGET, [8080, 8080]),
      "deny",
      90,
    ],
    ["no entries: the implicit deny", [], q(ALB_A, [8080, 8080]), "deny", 32767],
    [
      "only the other direction allows",
      [naclEntry(100, "allow", { egress: true })],
      q(ALB_A, [8080, 8080]),
      "deny",
      32767,
    ],
    [
      "the listed * rule (32767)",
      [naclEntry(100, "allow", { ports: [443, 443] }), naclEntry(32767, "deny")],
      q(TARGET, [1024, 65535]),
      "deny",
      32767,
    ],
  ])("%s -> %s (first deny %s)", (_name, entries, query, result, firstDeny) => {
    const v = evaluateNacl(acl(entries), query);
    expect(v.result).toBe(result);
    expect(v.firstDenyRule).toBe(firstDeny);
  });

  it("keeps ingress and egress apart", () => {
    const a = acl([naclEntry(100, "allow"), naclEntry(100, "deny", { egress: true })]);
    expect(evaluateNacl(a, q(ALB_A, [8080, 8080], false)).result).toBe("allow");
    expect(evaluateNacl(a, q(ALB_A, [8080, 8080], true)).result).toBe("deny");
  });
});

describe("evaluateNacl: ephemeral port ranges", () => {
  const eph = [EPHEMERAL_PORTS.from, EPHEMERAL_PORTS.to] as [number, number];
  it.each([
    ["allow 1024-65535", [1024, 65535], "allow", []],
    ["allow 1025-65535 misses 1024", [1025, 65535], "partial", ["1024"]],
    ["allow 1024-65534 misses 65535", [1024, 65534], "partial", ["65535"]],
    ["allow 32768-60999 (Linux range)", [32768, 60999], "partial", ["1024-32767", "61000-65535"]],
    ["allow 0-1023 only", [0, 1023], "deny", ["1024-65535"]],
  ] as const)("%s -> %s", (_name, allowed, result, deniedPorts) => {
    const v = evaluateNacl(acl([naclEntry(100, "allow", { ports: [...allowed] })]), q(TARGET, eph));
    expect(v.result).toBe(result);
    const denied = v.denied.map((p) =>
      p.ports.from === p.ports.to ? `${p.ports.from}` : `${p.ports.from}-${p.ports.to}`,
    );
    expect(denied.sort()).toEqual([...deniedPorts].sort());
  });

  it("a deny of part of the range ahead of a full allow still blocks those ports", () => {
    const v = evaluateNacl(
      acl([
        naclEntry(90, "deny", { ports: [1024, 2047], egress: true }),
        naclEntry(100, "allow", { ports: [1024, 65535], egress: true }),
      ]),
      q(ALB_A, eph, true),
    );
    expect(v.result).toBe("partial");
    expect(v.firstDenyRule).toBe(90);
    expect(v.denied).toHaveLength(1);
    expect(v.denied[0].ports).toEqual({ from: 1024, to: 2047 });
    expect(v.denied[0].entry?.ruleNumber).toBe(90);
    expect(v.allowed[0].ports).toEqual({ from: 2048, to: 65535 });
  });

  it("port 1023 is outside a 1024-65535 allow", () => {
    const a = acl([naclEntry(100, "allow", { ports: [1024, 65535] })]);
    expect(evaluateNacl(a, q(TARGET, [1023, 1023])).result).toBe("deny");
    expect(evaluateNacl(a, q(TARGET, [1024, 1024])).result).toBe("allow");
    expect(evaluateNacl(a, q(TARGET, [65535, 65535])).result).toBe("allow");
  });
});

describe("evaluateNacl: protocols and addresses", () => {
  it.each([
    ["-1 matches tcp", "-1", "tcp", "allow"],
    ["6 matches tcp", "6", "tcp", "allow"],
    ["tcp by name matches tcp", "tcp", "tcp", "allow"],
    ["17 does not match tcp", "17", "tcp", "deny"],
    ["17 matches udp", "17", "udp", "allow"],
    ["6 does not match udp", "6", "udp", "deny"],
    ["icmp (1) does not match tcp", "1", "tcp", "deny"],
  ] as const)("%s", (_name, protocol, traffic, result) => {
    const v = evaluateNacl(
      acl([naclEntry(100, "allow", { protocol })]),
      q(ALB_A, [8080, 8080], false, traffic),
    );
    expect(v.result).toBe(result);
  });

  it("splits an ALB subnet when a deny covers only part of it", () => {
    const v = evaluateNacl(
      acl([naclEntry(90, "deny", { cidr: "10.0.1.128/25" }), naclEntry(100, "allow")]),
      q(ALB_A, [8080, 8080]),
    );
    expect(v.result).toBe("partial");
    expect(v.denied.map((p) => p.addresses)).toEqual(["10.0.1.128/25"]);
    expect(v.allowed.map((p) => p.addresses)).toEqual(["10.0.1.0/25"]);
  });

  it("matches IPv6 peers only against IPv6 entries", () => {
    const v4only = acl([naclEntry(100, "allow", { cidr: "0.0.0.0/0" })]);
    expect(evaluateNacl(v4only, q("2001:db8:1::/64", [8080, 8080])).result).toBe("deny");
    const v6 = acl([
      naclEntry(100, "allow", { cidr: "0.0.0.0/0" }),
      naclEntry(101, "allow", { ipv6: "::/0" }),
    ]);
    expect(evaluateNacl(v6, q("2001:db8:1::/64", [8080, 8080])).result).toBe("allow");
    const v6deny = acl([
      naclEntry(90, "deny", { ipv6: "2001:db8:1::/64" }),
      naclEntry(101, "allow", { ipv6: "::/0" }),
    ]);
    expect(evaluateNacl(v6deny, q("2001:db8:1::5/128", [8080, 8080])).firstDenyRule).toBe(90);
  });

  it("describes entries as people read them", () => {
    expect(describeEntry(naclEntry(90, "deny", { ports: [1024, 2047], egress: true }), true)).toBe(
      "rule 90 deny tcp 1024-2047 to 0.0.0.0/0",
    );
    expect(describeEntry(naclEntry(32767, "deny"), false)).toBe("rule * deny all traffic from 0.0.0.0/0");
    expect(describeEntry(null, false)).toMatch(/implicit/);
  });
});

describe("aclForSubnet", () => {
  const subnets = {
    "subnet-a": { id: "subnet-a", vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", ipv6CidrBlocks: [] },
    "subnet-b": { id: "subnet-b", vpcId: "vpc-1", cidrBlock: "10.0.2.0/24", ipv6CidrBlocks: [] },
  };
  const custom = acl([], { id: "acl-custom", subnetIds: ["subnet-a"] });
  const dflt = acl(defaultAclEntries(), { id: "acl-default", isDefault: true, subnetIds: [] });
  const otherVpcDefault = acl([], { id: "acl-other", vpcId: "vpc-2", isDefault: true });

  it.each([
    ["explicit association", [custom, dflt], "subnet-a", "acl-custom", "associated"],
    ["falls back to the VPC default", [custom, dflt], "subnet-b", "acl-default", "vpc-default"],
    ["ignores another VPC's default", [otherVpcDefault], "subnet-b", null, "aws-default"],
    ["nothing collected: AWS default", [], "subnet-b", null, "aws-default"],
  ])("%s", (_name, acls, subnetId, expectedId, how) => {
    const r = aclForSubnet({ networkAcls: acls, subnets }, subnetId);
    expect(r.acl?.id ?? null).toBe(expectedId);
    expect(r.how).toBe(how);
  });
});

describe("freeRuleNumberBefore", () => {
  const a = acl([
    naclEntry(90, "allow", { ports: [443, 443] }),
    naclEntry(100, "deny", { ports: [8080, 8080] }),
    naclEntry(110, "allow"),
    naclEntry(32767, "deny"),
    naclEntry(50, "allow", { egress: true }),
  ]);
  it.each([
    ["below a deny at 100, 90 taken", 100, new Set<number>(), 80],
    ["skips numbers promised to other commands", 100, new Set([80]), 70],
    ["after the last rule when only * denies", 32767, new Set<number>(), 120],
    ["below a deny at 5", 5, new Set<number>(), 4],
    ["nothing below rule 1", 1, new Set<number>(), null],
  ])("%s", (_name, before, taken, expected) => {
    expect(freeRuleNumberBefore(a, false, before, taken)).toBe(expected);
  });

  it("counts rule numbers per direction", () => {
    expect(freeRuleNumberBefore(a, true, 32767)).toBe(60);
    expect(freeRuleNumberBefore(null, true, 32767)).toBe(10);
  });
});
