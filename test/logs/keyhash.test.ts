/**
 * The aggregator's 64-bit keys (src/logs/keyhash.ts). The aggregator hashes bytes on the hot path and
 * strings when it merges partial aggregates, so the two must agree on the same bytes; distinct keys must
 * not collide in practice; and the one-pass URL key must equal the key of the path pattern the summary
 * shows (pathPattern(urlPath(url)), "-" for "-").
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate-logs.ts";
import {
  Key,
  hashArnTail,
  hashArnTailString,
  hashBytes,
  hashString,
  hashUrlPattern,
} from "../../src/logs/keyhash.ts";
import { pathPattern, urlPath } from "../../src/logs/path-pattern.ts";

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** A key as a comparable value. */
const pair = (k: Key) => `${k.h1},${k.h2}`;
const ofBytes = (b: Uint8Array, s = 0, e = b.length) => pair(hashBytes(new Key(), b, s, e));
const ofString = (s: string) => pair(hashString(new Key(), s));
const ofArn = (arn: string) => pair(hashArnTail(new Key(), Buffer.from(arn, "latin1"), 0, arn.length));

/** The string form of a URL's path key, exactly as LogAggregator.pathName builds it. */
function patternText(url: string): string {
  const path = urlPath(url === "-" ? null : url);
  return path === null ? "-" : pathPattern(path);
}

/** hashUrlPattern over the URL's bytes, inside a larger buffer so that its bounds are respected. */
function urlKey(bytes: Buffer): string {
  const buf = Buffer.concat([Buffer.from('x/1"'), bytes, Buffer.from('/2" 7')]);
  return pair(hashUrlPattern(new Key(), buf, 4, 4 + bytes.length));
}

const TG = (name: string, id: string, region = "us-east-1", account = "123456789012") =>
  `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${id}`;

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe("hashBytes and hashString", () => {
  it("agree on the same bytes, for every length 0..64 and random bytes 0..255", () => {
    const r = rng(1);
    for (let n = 0; n <= 64; n++) {
      for (let k = 0; k < 20; k++) {
        const b = Buffer.from(Array.from({ length: n }, () => int(r, 256)));
        expect(ofString(b.toString("latin1")), `${n} bytes`).toBe(ofBytes(b));
      }
    }
  });

  it("hash a range of a larger buffer like the same bytes on their own", () => {
    const r = rng(2);
    for (let k = 0; k < 500; k++) {
      const b = Buffer.from(Array.from({ length: 1 + int(r, 80) }, () => int(r, 256)));
      const s = int(r, b.length);
      const e = s + int(r, b.length - s + 1);
      expect(ofBytes(b, s, e)).toBe(ofBytes(Buffer.from(b.subarray(s, e))));
    }
  });

  it("write into the Key they are given and return it", () => {
    const k = new Key();
    expect(hashString(k, "10.0.0.1:80")).toBe(k);
    const before = pair(k);
    hashString(k, "10.0.0.2:80");
    expect(pair(k)).not.toBe(before);
  });

  it("tell apart strings that differ only in length, trailing zeros or byte order", () => {
    const cases = [
      "",
      "\0",
      "\0\0",
      "\0\0\0",
      "\0\0\0\0",
      "\0\0\0\0\0",
      "a",
      "a\0",
      "ab",
      "ba",
      "abcd",
      "abdc",
      "dcba",
    ];
    expect(new Set(cases.map(ofString)).size).toBe(cases.length);
  });

  it("have no collision among 200,000 distinct random short strings", () => {
    const r = rng(3);
    const alphabet = "0123456789abcdef.:-/_ABCDEFXYZ";
    const strings = new Set<string>();
    while (strings.size < 200_000) {
      const n = 1 + int(r, 24);
      let s = "";
      for (let i = 0; i < n; i++) s += alphabet[int(r, alphabet.length)];
      strings.add(s);
    }
    const keys = new Set<string>();
    const k = new Key();
    for (const s of strings) keys.add(pair(hashString(k, s)));
    expect(keys.size).toBe(strings.size);
  });

  it("have no collision among 100,000 realistic target addresses", () => {
    const keys = new Set<string>();
    const k = new Key();
    for (let i = 0; i < 100_000; i++) {
      keys.add(pair(hashString(k, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${8080 + (i % 3)}`)));
    }
    expect(keys.size).toBe(100_000);
  });
});

describe("hashArnTail", () => {
  const base = TG("api", "73e2d6bc24d8a067");

  it.each([
    ["the name differs", TG("web", "73e2d6bc24d8a067")],
    [
      "the name differs in its first letter (32-character names)",
      TG(`a${"n".repeat(31)}`, "73e2d6bc24d8a067"),
    ],
    ["the name is longer", TG("api-2", "73e2d6bc24d8a067")],
    ["the id differs in its first digit", TG("api", "03e2d6bc24d8a067")],
    ["the id differs in its last digit", TG("api", "73e2d6bc24d8a060")],
    ["the id differs in one middle digit", TG("api", "73e2d6bc25d8a067")],
  ])("tells target groups apart when %s", (_name, other) => {
    expect(ofArn(other)).not.toBe(ofArn(base));
  });

  const NAME_CHARS = [..."abcdefghijklmnopqrstuvwxyz0123456789-"];
  const HEX = [..."0123456789abcdef"];

  it("tells apart every name/id combination of a realistic account", () => {
    const r = rng(4);
    const arns = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const name = Array.from({ length: 1 + int(r, 32) }, () => pick(r, NAME_CHARS)).join("");
      const id = Array.from({ length: 16 }, () => pick(r, HEX)).join("");
      arns.add(TG(name, id));
    }
    expect(new Set([...arns].map(ofArn)).size).toBe(arns.size);
  });

  it("agrees with hashArnTailString, for short values ('-') and full ARNs", () => {
    for (const arn of ["-", "arn:tg/a", base, TG("x".repeat(32), "ffffffffffffffff")]) {
      expect(pair(hashArnTailString(new Key(), arn))).toBe(ofArn(arn));
    }
  });

  it("reads only the ARN's range of a larger buffer", () => {
    const buf = Buffer.from(` ${base} "Root=1"`);
    expect(pair(hashArnTail(new Key(), buf, 1, 1 + base.length))).toBe(ofArn(base));
  });
});

describe("hashUrlPattern agrees with hashString(pathPattern(urlPath(url)))", () => {
  const UUID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  it.each([
    // [url as logged (protocol included), the pattern the summary shows]
    ["-", "-"],
    ["", "/"],
    ["http://h:80", "/"],
    ["https://h:443 HTTP/1.1", "/"],
    ["https://h:443/ HTTP/1.1", "/"],
    ["https://h:443?q=1 HTTP/1.1", "/"],
    ["?only=query", "/"],
    ["#frag", "/"],
    [" HTTP/1.1", "/"],
    ["/", "/"],
    ["//", "//"],
    ["/a/", "/a/"],
    ["/a//b/", "/a//b/"],
    ["https://h:443/api/users/ HTTP/1.1", "/api/users/"],
    ["https://h:443/12/x HTTP/1.1", "/:id/x"],
    ["https://h:443/x/12 HTTP/1.1", "/x/:id"],
    ["https://h:443/12 HTTP/1.1", "/:id"],
    ["https://h:443/12/ HTTP/1.1", "/:id/"],
    ["https://h:443/0/00/000 HTTP/1.1", "/:id/:id/:id"],
    ["123/abc", ":id/abc"],
    ["12", ":id"],
    [`/${UUID}`, "/:id"],
    [`/${UUID.toUpperCase()}/x`, "/:id/x"],
    [`/${UUID}x`, `/${UUID}x`],
    [`/${UUID.slice(0, 35)}`, `/${UUID.slice(0, 35)}`],
    [`/${UUID.replace("-", "_")}`, `/${UUID.replace("-", "_")}`],
    [`/${UUID.replace("a", "g")}`, `/${UUID.replace("a", "g")}`],
    ["/v2/x1/1x/", "/v2/x1/1x/"],
    ["/a?b/12", "/a"],
    ["/a#b/12", "/a"],
    ["/a b/12", "/a"],
    // "://" counts only when it starts within the first 10 characters
    ["abcdefghi://h/12/x", "/:id/x"],
    ["abcdefghij://h/12/x", "abcdefghij://h/:id/x"],
    ["/redirect?to=https://h/12", "/redirect"],
    // ...even in a relative URL: "/a/https:" is taken for a scheme (by both forms alike)
    ["/a/https://h/12", "/:id"],
    ["ab://", "/"],
    ["://h", "/"],
    ["https://h:443/%E2%82%AC/12 HTTP/1.1", "/%E2%82%AC/:id"],
  ])("%j -> %j", (url, pattern) => {
    expect(patternText(url)).toBe(pattern);
    expect(urlKey(Buffer.from(url, "latin1"))).toBe(ofString(pattern));
  });

  it.each([
    ["UTF-8 in a segment", "/caf\u00e9/12"],
    ["UTF-8 id-like segment", "/\u0661\u0662/x"],
    ["emoji", "/\u{1F600}/7?x"],
  ])("non-ASCII bytes (%s) hash as their latin1 text", (_n, url) => {
    const bytes = Buffer.from(url, "utf8");
    const text = bytes.toString("latin1");
    expect(urlKey(bytes)).toBe(ofString(patternText(text)));
  });

  it("agrees on 20,000 random URLs built from awkward pieces, raw bytes included", () => {
    const r = rng(5);
    const pieces = [
      "api",
      "123",
      "0",
      "",
      UUID,
      UUID.toUpperCase(),
      "x?y=1",
      "a#b",
      "9x",
      "x9",
      " ",
      "://",
      ":",
      "-",
      ".",
      "%20",
      "\u00fc",
      "\u00ff",
      "\t",
      "12 HTTP/1.1",
      "?",
      "#",
      "//",
    ];
    const prefixes = ["", "/", "https://h:443/", "http://h:80", "h2://x/", "abcdefghij://h/", "-"];
    for (let i = 0; i < 20_000; i++) {
      const segs = Array.from({ length: int(r, 6) }, () => pick(r, pieces));
      const url = pick(r, prefixes) + segs.join("/") + (r() < 0.3 ? " HTTP/1.1" : "");
      expect(urlKey(Buffer.from(url, "latin1")), JSON.stringify(url)).toBe(ofString(patternText(url)));
    }
  });
});
