/**
 * CloudWatch series that follow from a scenario's access logs, minute by minute, as ALB would publish
 * them: request counts, ELB and target status counts, TargetResponseTime (answered requests only, as
 * CloudWatch counts it). The real-incident scenarios (scenarios/real/) keep these series in the file so
 * that any client sees them; their test recomputes them here and fails when the file and its logs
 * disagree. Series the logs cannot give (healthy host counts, connection and TLS error counts) are written
 * by hand and left alone.
 *
 * Rewrite a file's derived series: npx tsx test/helpers/metrics-from-logs.ts scenarios/real/FILE.yaml
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { loadScenario } from "../../src/sim/scenario.ts";
import type { World } from "../../src/sim/world.ts";

export const DERIVED = new Set([
  "RequestCount",
  "HTTPCode_ELB_4XX_Count",
  "HTTPCode_ELB_5XX_Count",
  "HTTPCode_ELB_502_Count",
  "HTTPCode_ELB_503_Count",
  "HTTPCode_ELB_504_Count",
  "HTTPCode_Target_2XX_Count",
  "HTTPCode_Target_4XX_Count",
  "HTTPCode_Target_5XX_Count",
  "TargetResponseTime",
]);

export interface DerivedSeries {
  MetricName: string;
  /** LoadBalancer (and TargetGroup) by name, as the scenario format writes them. */
  Dimensions: Record<string, string>;
  Period: 60;
  Values?: number[];
  Stats?: Record<string, number[]>;
}

interface Minute {
  requests: number;
  elb: Map<string, number>;
  target: Map<string, number>;
  times: number[];
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function emptyMinutes(n: number): Minute[] {
  return Array.from({ length: n }, () => ({ requests: 0, elb: new Map(), target: new Map(), times: [] }));
}

/** Every access-log line of the world's buckets (gunzipped). */
export function logLines(world: World): string[] {
  const out: string[] = [];
  for (const b of world.buckets.values()) {
    for (const o of b.Objects.values())
      out.push(...gunzipSync(o.Body).toString("utf8").split("\n").filter(Boolean));
  }
  return out;
}

/** The derived series of the world's first load balancer over the hour that ends at `now`. */
export function metricsFromLogs(world: World, minutes = 60): DerivedSeries[] {
  const lb = world.loadBalancers[0];
  const lbId = lb.LoadBalancerArn.split(":loadbalancer/")[1];
  const endMs = world.now.getTime();
  const startMs = endMs - minutes * 60_000;
  const all = emptyMinutes(minutes);
  const byGroup = new Map(world.targetGroups.map((g) => [g.TargetGroupArn, emptyMinutes(minutes)]));
  for (const line of logLines(world)) {
    const f = line.match(/"[^"]*"|\S+/g) ?? [];
    if (f[2] !== lbId) continue;
    const t = Date.parse(f[1]);
    if (!(t >= startMs && t < endMs)) continue;
    const i = Math.floor((t - startMs) / 60_000);
    const group = byGroup.get(f[16]);
    for (const m of group ? [all[i], group[i]] : [all[i]]) {
      m.requests++;
      const elb = f[8];
      const target = f[9];
      if (target !== "-") m.target.set(target[0], (m.target.get(target[0]) ?? 0) + 1);
      else if (/^[45]/.test(elb)) {
        m.elb.set(elb, (m.elb.get(elb) ?? 0) + 1);
        m.elb.set(`${elb[0]}XX`, (m.elb.get(`${elb[0]}XX`) ?? 0) + 1);
      }
      const tt = Number(f[6]);
      if (f[6] !== "-1" && Number.isFinite(tt) && tt >= 0 && target !== "-") m.times.push(tt);
    }
  }
  const lbDim = { LoadBalancer: lb.LoadBalancerName };
  const counts = (ms: Minute[], pick: (m: Minute) => number) => ms.map(pick);
  const out: DerivedSeries[] = [
    { MetricName: "RequestCount", Dimensions: lbDim, Period: 60, Values: counts(all, (m) => m.requests) },
  ];
  for (const code of ["4XX", "5XX", "502", "503", "504"]) {
    out.push({
      MetricName: `HTTPCode_ELB_${code}_Count`,
      Dimensions: lbDim,
      Period: 60,
      Values: counts(all, (m) => m.elb.get(code) ?? 0),
    });
  }
  for (const c of ["2", "4", "5"]) {
    out.push({
      MetricName: `HTTPCode_Target_${c}XX_Count`,
      Dimensions: lbDim,
      Period: 60,
      Values: counts(all, (m) => m.target.get(c) ?? 0),
    });
  }
  out.push({ MetricName: "TargetResponseTime", Dimensions: lbDim, Period: 60, Stats: timeStats(all) });
  for (const g of world.targetGroups) {
    const ms = byGroup.get(g.TargetGroupArn)!;
    if (ms.every((m) => m.requests === 0)) continue;
    const dim = { ...lbDim, TargetGroup: g.TargetGroupName };
    out.push({
      MetricName: "RequestCount",
      Dimensions: dim,
      Period: 60,
      Values: counts(ms, (m) => m.requests),
    });
    out.push({
      MetricName: "HTTPCode_Target_5XX_Count",
      Dimensions: dim,
      Period: 60,
      Values: counts(ms, (m) => m.target.get("5") ?? 0),
    });
    if (g.TargetType !== "lambda")
      out.push({ MetricName: "TargetResponseTime", Dimensions: dim, Period: 60, Stats: timeStats(ms) });
  }
  return out;
}

function timeStats(ms: Minute[]): Record<string, number[]> {
  const sorted = ms.map((m) => [...m.times].sort((a, b) => a - b));
  return {
    Average: sorted.map((s) => (s.length ? round(s.reduce((a, b) => a + b, 0) / s.length) : 0)),
    p99: sorted.map((s) => round(quantile(s, 0.99))),
    Maximum: sorted.map((s) => round(s[s.length - 1] ?? 0)),
    SampleCount: sorted.map((s) => s.length),
  };
}

const key = (name: string, dims: Record<string, string>) =>
  `${name}|${Object.entries(dims)
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;

/** The derived series a scenario file holds, in the same shape (for comparison). */
export function derivedInFile(text: string): Map<string, Omit<DerivedSeries, "Period">> {
  const doc = parseDocument(text).toJS() as { metrics?: DerivedSeries[] };
  const out = new Map<string, Omit<DerivedSeries, "Period">>();
  for (const m of doc.metrics ?? []) {
    if (!DERIVED.has(m.MetricName)) continue;
    out.set(key(m.MetricName, m.Dimensions ?? {}), {
      MetricName: m.MetricName,
      Dimensions: m.Dimensions,
      ...(m.Values ? { Values: m.Values } : {}),
      ...(m.Stats ? { Stats: m.Stats } : {}),
    });
  }
  return out;
}

export const seriesKey = key;

/** Replace the derived series of the file at `path` by those its logs give; the hand-written ones stay. */
export function rewriteDerived(path: string): void {
  const text = readFileSync(path, "utf8");
  const world = loadScenario(path);
  const doc = parseDocument(text);
  let metrics = doc.get("metrics");
  if (!isSeq(metrics)) {
    metrics = new YAMLSeq();
    doc.set("metrics", metrics);
  }
  const seq = metrics as YAMLSeq;
  seq.items = seq.items.filter((n) => !(isMap(n) && DERIVED.has(String((n as YAMLMap).get("MetricName")))));
  for (const s of metricsFromLogs(world)) {
    const node = doc.createNode(s) as YAMLMap;
    const dims = node.get("Dimensions", true);
    if (isMap(dims)) dims.flow = true;
    const values = node.get("Values", true);
    if (isSeq(values)) values.flow = true;
    const stats = node.get("Stats", true);
    if (isMap(stats)) for (const p of stats.items) if (isSeq(p.value)) p.value.flow = true;
    seq.items.push(node);
  }
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of process.argv.slice(2)) rewriteDerived(file);
}
