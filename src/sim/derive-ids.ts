/**
 * Deterministic derived values for the simulated account: ids, ARNs, DNS names and addresses that a
 * scenario leaves out. Derived from names (not random) so that the same scenario always yields the
 * same ARNs, and tests can compute them.
 */
import { createHash } from "node:crypto";

/** 16 lowercase hex digits from a seed (the id format of ALB and target group ARNs). */
export function hexIdFrom(seed: string, length = 16): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function elbArn(region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${accountId}:${resource}`;
}

export function loadBalancerArn(region: string, accountId: string, name: string, id: string): string {
  return elbArn(region, accountId, `loadbalancer/app/${name}/${id}`);
}

export function targetGroupArn(region: string, accountId: string, name: string, id: string): string {
  return elbArn(region, accountId, `targetgroup/${name}/${id}`);
}

/** `app/NAME/ID` from a load balancer ARN (the CloudWatch dimension and the access-log `elb` field). */
export function lbResourceId(name: string, id: string): string {
  return `app/${name}/${id}`;
}

/** Canonical hosted zone ids of ALBs per region (Route 53 alias targets). */
const HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ap-northeast-1": "Z14GRHDCWA56QT",
};

export function canonicalHostedZoneId(region: string): string {
  return HOSTED_ZONES[region] ?? `Z${hexIdFrom(`zone:${region}`, 12).toUpperCase()}`;
}

/** `my-alb-1234567890.us-east-1.elb.amazonaws.com` (internal LBs get the `internal-` prefix). */
export function lbDnsName(name: string, region: string, scheme: string, accountId: string): string {
  const digits = String(
    parseInt(hexIdFrom(`dns:${accountId}:${region}:${name}`, 8), 16) % 10_000_000_000,
  ).padStart(10, "1");
  const suffix = region.startsWith("cn-") ? "elb.amazonaws.com.cn" : "elb.amazonaws.com";
  return `${scheme === "internal" ? "internal-" : ""}${name}-${digits}.${region}.${suffix}`;
}

// ---------------------------------------------------------------- IPv4

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, bitsText] = cidr.split("/");
  const base = ipv4ToInt(ip ?? "");
  const bits = Number(bitsText);
  if (base === undefined || !/^\d{1,2}$/.test(bitsText ?? "") || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, bits };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const n = ipv4ToInt(ip);
  if (!c || n === undefined) return false;
  const mask = c.bits === 0 ? 0 : (0xffffffff << (32 - c.bits)) >>> 0;
  return (n & mask) >>> 0 === c.base;
}

/**
 * A host address inside a subnet CIDR picked from a seed, avoiding the 4 addresses AWS reserves at the
 * start and the broadcast at the end, and any address in `taken`.
 */
export function hostInCidr(cidr: string, seed: string, taken: Set<string>): string | undefined {
  const c = parseCidr(cidr);
  if (!c || c.bits > 28) return undefined;
  const size = 2 ** (32 - c.bits);
  const usable = size - 5;
  const offset = parseInt(hexIdFrom(seed, 8), 16) % usable;
  for (let i = 0; i < usable; i++) {
    const ip = intToIpv4(c.base + 4 + ((offset + i) % usable));
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
