/**
 * Realistic synthetic ALB access-log lines for the benchmark: a mix of http/https/h2 requests to a few
 * hundred path shapes with ids, several targets and target groups, long user agents, ~2% errors of every
 * class the analyzer knows (target 5xx, keep-alive 502s, idle-timeout 504s, 503 no target, 460, Lambda).
 * Deterministic (seeded) so runs compare.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { createGzip } from "node:zlib";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UAS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  "okhttp/4.12.0",
  "curl/8.4.0",
  "Amazon CloudFront",
];
const PATHS = [
  "/api/users/{n}",
  "/api/orders/{n}/items",
  "/api/carts/{u}",
  "/health",
  "/static/app.js",
  "/api/search",
  "/login",
];

export interface GenOptions {
  lbResourceId: string;
  startMs: number;
  seed: number;
}

export function makeLine(r: () => number, o: GenOptions, i: number, spanMs: number): string {
  const acct = "123456789012";
  const end = o.startMs + ((i * 7919) % spanMs) + Math.floor(r() * 1000);
  const target = `10.0.${1 + Math.floor(r() * 3)}.${10 + Math.floor(r() * 12)}:8080`;
  const tg = `arn:aws:elasticloadbalancing:us-east-1:${acct}:targetgroup/web-${Math.floor(r() * 3)}/73e2d6bc24d8a06${Math.floor(r() * 3)}`;
  let path = PATHS[Math.floor(r() * PATHS.length)]
    .replace("{n}", String(Math.floor(r() * 100000)))
    .replace("{u}", "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
  if (r() < 0.3) path += `?q=${Math.floor(r() * 1000)}&page=2`;
  let type = r() < 0.6 ? "https" : r() < 0.8 ? "h2" : "http";
  let tpt = (r() * r() * 0.8).toFixed(3);
  let rpt = "0.001";
  let rspt = "0.000";
  let status = "200";
  let tstatus = "200";
  let tgt = target;
  let reason = "-";
  let dur = Number(tpt) + 0.002;
  const e = r();
  if (e < 0.005) [status, tstatus] = ["502", "502"];
  else if (e < 0.01) [status, tstatus, rpt, tpt, rspt, dur] = ["502", "-", "-1", "-1", "-1", 0.004];
  else if (e < 0.013) [status, tstatus, rpt, tpt, rspt, dur] = ["504", "-", "-1", "-1", "-1", 60.001];
  else if (e < 0.015) [status, tstatus, tgt, rpt, tpt, rspt, dur] = ["503", "-", "-", "-1", "-1", "-1", 0.0];
  else if (e < 0.018) [status, tstatus, rpt, tpt, rspt, dur] = ["460", "-", "-1", "-1", "-1", 12.5];
  else if (e < 0.019) [status, tstatus, tgt, reason] = ["502", "-", "-", "LambdaUnhandled"];
  else if (e < 0.03) [status, tstatus] = ["404", "404"];
  if (type === "http" && r() < 0.01) type = "ws";
  const time = new Date(end).toISOString().replace("Z", "123Z");
  const created = new Date(end - dur * 1000).toISOString().replace("Z", "000Z");
  const ssl = type === "http" || type === "ws" ? "- -" : "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2";
  const scheme = type === "http" || type === "ws" ? "http" : "https";
  const port = scheme === "http" ? 80 : 443;
  const client = `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}:${1024 + Math.floor(r() * 60000)}`;
  const ua = UAS[Math.floor(r() * UAS.length)];
  const trace = `Root=1-${Math.floor(end / 1000).toString(16)}-${Math.floor(r() * 2 ** 48)
    .toString(16)
    .padStart(24, "0")}`;
  const domain = scheme === "https" ? "api.example.com" : "-";
  const cert =
    scheme === "https"
      ? `arn:aws:acm:us-east-1:${acct}:certificate/12345678-1234-1234-1234-123456789012`
      : "-";
  const tlist = tgt === "-" ? "-" : tgt;
  const slist = tstatus;
  return (
    `${type} ${time} ${o.lbResourceId} ${client} ${tgt} ${rpt} ${tpt} ${rspt} ${status} ${tstatus} ` +
    `${200 + Math.floor(r() * 800)} ${300 + Math.floor(r() * 20000)} "${r() < 0.8 ? "GET" : "POST"} ${scheme}://api.example.com:${port}${path} HTTP/1.1" ` +
    `"${ua}" ${ssl} ${tg} "${trace}" "${domain}" "${cert}" ${1 + Math.floor(r() * 5)} ${created} "forward" "-" "${reason}" ` +
    `"${tlist}" "${slist}" "-" "-" TID_${Math.floor(r() * 2 ** 52)
      .toString(16)
      .padStart(32, "0")}`
  );
}

/** Writes `lines` lines into a gzip file; returns uncompressed bytes. */
export async function writeLogFile(
  path: string,
  lines: number,
  o: GenOptions,
  spanMs = 5 * 60 * 1000,
): Promise<number> {
  const r = rng(o.seed);
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gz.pipe(out);
  let bytes = 0;
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    batch.push(makeLine(r, o, i, spanMs));
    if (batch.length === 2000 || i === lines - 1) {
      const text = `${batch.join("\n")}\n`;
      bytes += Buffer.byteLength(text);
      batch = [];
      if (!gz.write(text)) await once(gz, "drain");
    }
  }
  gz.end();
  await once(out, "finish");
  return bytes;
}
