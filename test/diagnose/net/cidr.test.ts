import { describe, expect, it } from "vitest";
import {
  cidr,
  contains,
  coverage,
  formatAddress,
  formatRange,
  hostCidr,
  overlaps,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6,
} from "../../../src/diagnose/net/cidr.ts";

describe("parseIpv4", () => {
  it.each([
    ["10.0.0.1", 0x0a000001n],
    ["0.0.0.0", 0n],
    ["255.255.255.255", 0xffffffffn],
    ["256.0.0.1", null],
    ["1.2.3", null],
    ["1.2.3.4.5", null],
    ["1.2.3.x", null],
    ["", null],
  ])("%s -> %s", (text, expected) => {
    expect(parseIpv4(text)).toBe(expected);
  });
});

describe("parseIpv6", () => {
  it.each([
    ["::", 0n],
    ["::1", 1n],
    ["2001:db8::", 0x20010db8n << 96n],
    ["2001:DB8:0:0:0:0:0:1", (0x20010db8n << 96n) | 1n],
    ["::ffff:10.0.0.1", (0xffffn << 32n) | 0x0a000001n],
    ["1:2:3:4:5:6:7::", 0x0001000200030004000500060007_0000n],
    [":::", null],
    ["1::2::3", null],
    ["1:2:3:4:5:6:7:8:9", null],
    ["1:2:3:4:5:6:7::8", null],
    ["1:2:3:4:5:6:7", null],
    ["12345::", null],
    ["fe80::1%eth0", null],
  ])("%s -> %s", (text, expected) => {
    expect(parseIpv6(text)).toBe(expected);
  });

  it("reads compressed and full forms as the same address", () => {
    expect(parseIpv6("2001:db8:0:0:1:0:0:1")).toBe(parseIpv6("2001:db8::1:0:0:1"));
  });
});

describe("parseCidr", () => {
  it.each([
    ["10.0.1.7/24", 4, "10.0.1.0", "10.0.1.255"],
    ["0.0.0.0/0", 4, "0.0.0.0", "255.255.255.255"],
    ["10.0.0.1", 4, "10.0.0.1", "10.0.0.1"],
    ["10.0.0.1/32", 4, "10.0.0.1", "10.0.0.1"],
    ["2001:db8::/32", 6, "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"],
    ["::/0", 6, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    ["2001:db8::5/128", 6, "2001:db8::5", "2001:db8::5"],
  ])("%s spans %s %s..%s", (text, family, first, last) => {
    const r = parseCidr(text);
    expect(r?.family).toBe(family);
    expect(r && formatAddress(r.family, r.first)).toBe(first);
    expect(r && formatAddress(r.family, r.last)).toBe(last);
  });

  it.each(["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/x", "10.0.0.0/", "nonsense", "10.0.0/8"])(
    "rejects %s",
    (text) => {
      expect(parseCidr(text)).toBeNull();
    },
  );

  it("throws from cidr() on malformed input", () => {
    expect(() => cidr("10.0.0.0/40")).toThrow(/not a CIDR/);
  });
});

describe("contains and overlaps", () => {
  it.each([
    ["10.0.0.0/16", "10.0.1.0/24", true, true],
    ["10.0.1.0/24", "10.0.0.0/16", false, true],
    ["10.0.1.0/24", "10.0.1.0/24", true, true],
    ["10.0.0.0/25", "10.0.0.128/25", false, false],
    ["10.0.0.0/24", "10.0.0.128/25", true, true],
    ["10.0.0.0/24", "10.0.1.0/24", false, false],
    ["0.0.0.0/0", "::/0", false, false],
    ["2001:db8::/32", "2001:db8:1::/48", true, true],
    ["2001:db8:1::/48", "2001:db8::/32", false, true],
    ["0.0.0.0/0", "10.0.11.10", true, true],
  ])("outer %s inner %s: contains=%s overlaps=%s", (a, b, isContained, isOverlapping) => {
    expect(contains(cidr(a), cidr(b))).toBe(isContained);
    expect(overlaps(cidr(a), cidr(b))).toBe(isOverlapping);
  });
});

describe("coverage (does the union of rules cover every address of a range)", () => {
  it.each([
    ["10.0.2.0/24", ["10.0.2.0/25", "10.0.2.128/25"], "all"],
    ["10.0.2.0/24", ["10.0.2.128/25", "10.0.2.0/25"], "all"],
    ["10.0.2.0/24", ["10.0.2.0/25"], "some"],
    ["10.0.2.0/24", ["10.0.2.0/25", "10.0.2.129/32", "10.0.2.130/31", "10.0.2.132/30"], "some"],
    ["10.0.2.0/24", ["10.0.3.0/24"], "none"],
    ["10.0.2.0/24", [], "none"],
    ["10.0.2.0/24", ["0.0.0.0/0"], "all"],
    ["10.0.2.0/24", ["10.0.0.0/23", "10.0.2.0/23"], "all"],
    ["10.0.2.0/24", ["10.0.1.0/24", "10.0.3.0/24"], "none"],
    ["2001:db8:1::/64", ["0.0.0.0/0"], "none"],
    ["2001:db8:1::/64", ["2001:db8::/32"], "all"],
    ["2001:db8:1::/64", ["2001:db8:1::/65"], "some"],
    ["10.0.11.10", ["10.0.11.0/24"], "all"],
  ])("%s by %j -> %s", (target, by, expected) => {
    expect(coverage(cidr(target), by.map(cidr))).toBe(expected);
  });
});

describe("formatting", () => {
  it.each([
    [4, "10.0.1.0", "10.0.1.255", "10.0.1.0/24"],
    [4, "10.0.1.1", "10.0.1.2", "10.0.1.1-10.0.1.2"],
    [4, "10.0.11.10", "10.0.11.10", "10.0.11.10/32"],
    [6, "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::/64"],
  ] as const)("family %s %s..%s -> %s", (family, first, last, expected) => {
    const a = parseIp(first)!.value;
    const b = parseIp(last)!.value;
    expect(formatRange(family, a, b)).toBe(expected);
  });

  it("compresses the longest zero run in IPv6 only", () => {
    expect(formatAddress(6, parseIp("2001:0:0:1:0:0:0:1")!.value)).toBe("2001:0:0:1::1");
    expect(formatAddress(6, parseIp("1:2:3:4:5:6:7:8")!.value)).toBe("1:2:3:4:5:6:7:8");
  });

  it("gives single addresses their host prefix", () => {
    expect(hostCidr("10.0.0.5")).toBe("10.0.0.5/32");
    expect(hostCidr("2001:db8::1")).toBe("2001:db8::1/128");
    expect(() => hostCidr("x")).toThrow();
  });
});
