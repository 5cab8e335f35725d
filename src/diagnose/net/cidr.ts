/**
 * IPv4/IPv6 addresses and CIDR ranges as bigint intervals, so v4 and v6 share one arithmetic.
 * A range is the closed interval [first, last] of one family. A bare address is a /32 or /128.
 * Used by the security-group and network-ACL evaluators: "does rule CIDR B cover every possible
 * ALB node address in subnet A" is a coverage question over intervals, not string equality.
 */

export type IpFamily = 4 | 6;

export interface IpRange {
  family: IpFamily;
  first: bigint;
  last: bigint;
  /** The text it was parsed from, for evidence. */
  text: string;
}

const V4_BITS = 32n;
const V6_BITS = 128n;

/** Parses a dotted-quad IPv4 address; null when malformed. */
export function parseIpv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Parses an IPv6 address (with "::" compression and an optional trailing dotted IPv4); null when malformed. */
export function parseIpv6(text: string): bigint | null {
  if (text.includes("%")) return null; // zone ids never appear in AWS rules
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    const items = s.split(":");
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes(".")) {
        const v4 = parseIpv4(item);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        out.push(parseInt(item, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses an address of either family. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | null {
  const t = text.trim();
  if (t.includes(":")) {
    const v = parseIpv6(t);
    return v === null ? null : { family: 6, value: v };
  }
  const v = parseIpv4(t);
  return v === null ? null : { family: 4, value: v };
}

/**
 * Parses "a.b.c.d/n", "x::/n" or a bare address. Host bits are cleared (AWS stores the network
 * address). Null when malformed.
 */
export function parseCidr(text: string): IpRange | null {
  // Checks parse the same few rule CIDRs for every target: remember answers (bounded; ranges are frozen).
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const r = parseCidrUncached(text);
  if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
  parsed.set(text, r);
  return r;
}

const PARSE_CACHE_LIMIT = 10_000;
const parsed = new Map<string, IpRange | null>();

function parseCidrUncached(text: string): IpRange | null {
  const t = text.trim();
  const slash = t.indexOf("/");
  const ip = parseIp(slash < 0 ? t : t.slice(0, slash));
  if (!ip) return null;
  const bits = ip.family === 4 ? V4_BITS : V6_BITS;
  let prefix = bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || BigInt(p) > bits) return null;
    prefix = BigInt(p);
  }
  const hostMask = (1n << (bits - prefix)) - 1n;
  const first = ip.value & ~hostMask & ((1n << bits) - 1n);
  return Object.freeze({ family: ip.family, first, last: first | hostMask, text: t });
}

/** Like parseCidr, but throws on malformed input (for ranges the program itself built). */
export function cidr(text: string): IpRange {
  const r = parseCidr(text);
  if (!r) throw new Error(`not a CIDR or IP address: ${text}`);
  return r;
}

/** Every address of `inner` lies in `outer`. */
export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Some address lies in both. */
export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** The number of addresses in a range. */
export function size(r: IpRange): bigint {
  return r.last - r.first + 1n;
}

export type Coverage = "all" | "some" | "none";

/**
 * How much of `target` the union of `by` covers: "all" when every address is in some range of `by`
 * (several smaller ranges may add up), "some" when only part is, "none" when no address is.
 */
export function coverage(target: IpRange, by: IpRange[]): Coverage {
  const clipped = by
    .filter((r) => overlaps(r, target))
    .map((r) => ({
      first: r.first > target.first ? r.first : target.first,
      last: r.last < target.last ? r.last : target.last,
    }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  if (clipped.length === 0) return "none";
  let covered = 0n;
  let curFirst = clipped[0].first;
  let curLast = clipped[0].last;
  for (const r of clipped.slice(1)) {
    if (r.first <= curLast + 1n) {
      if (r.last > curLast) curLast = r.last;
    } else {
      covered += curLast - curFirst + 1n;
      curFirst = r.first;
      curLast = r.last;
    }
  }
  covered += curLast - curFirst + 1n;
  return covered === size(target) ? "all" : "some";
}

/** The smallest CIDR text for a single address ("10.0.0.5/32", "2001:db8::1/128"). */
export function hostCidr(address: string): string {
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an IP address: ${address}`);
  return `${address.trim()}/${ip.family === 4 ? 32 : 128}`;
}

/** Formats the address of a range's first value (for evidence about intersections). */
export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  }
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.len).join(":")}`;
}

/** Formats [first, last] as CIDR when it is one, otherwise as "first-last". */
export function formatRange(family: IpFamily, first: bigint, last: bigint): string {
  const bits = family === 4 ? V4_BITS : V6_BITS;
  const span = last - first + 1n;
  const isPow2 = span > 0n && (span & (span - 1n)) === 0n;
  if (isPow2 && (first & (span - 1n)) === 0n) {
    const prefix = bits - BigInt(span.toString(2).length - 1);
    return `${formatAddress(family, first)}/${prefix}`;
  }
  return `${formatAddress(family, first)}-${formatAddress(family, last)}`;
}
