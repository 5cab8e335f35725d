/**
 * The rows of the Athena summary query (sql.ts) -> the same LogSummary the streaming aggregator builds:
 * each row belongs to one grouping set (told apart by grouping()), and lands where aggregate.ts puts the
 * same count. Keys the streaming engine reads as latin1 bytes (targets, paths, agents, reasons) are made
 * the same text here, so the two summaries compare equal.
 */
import type { BucketStats, LogErrorClass, LogSummary, Quantiles } from "../../domain/log-summary.ts";
import { OTHER_KEY, addStats, newStats, toBucket, type Stats } from "../buckets.ts";
import { GROUP_KEYS, type GroupKey } from "./sql.ts";

const TOP_N = 50;
const MAX_ERROR_REASONS = 500;
const TOP_WS_PATHS = 5;
const SAMPLES_PER_CLASS = 3;

type Row = Record<string, string | null>;

/** UTF-8 text as the streaming engine names it (its bytes read as latin1). */
const asLatin1 = (s: string) => Buffer.from(s, "utf8").toString("latin1");
const num = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? 0 : Number(v));

function setOf(g: number): string {
  return GROUP_KEYS.filter((_, i) => ((g >> (GROUP_KEYS.length - 1 - i)) & 1) === 0).join(",");
}

function quantiles(count: number, q: string | null, max: string | null): Quantiles {
  if (count === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const v = (q ?? "")
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((x) => Number(x.trim()));
  return {
    count,
    p50: v[0] ?? null,
    p90: v[1] ?? null,
    p99: v[2] ?? null,
    max: max === null ? null : Number(max),
  };
}

const weight = (s: Stats) => s.errorTotal * 1e9 + s.requests;

function top(m: Map<string, Stats>, limit: number): Record<string, BucketStats> {
  const sorted = [...m.entries()].sort((a, b) => weight(b[1]) - weight(a[1]) || (a[0] < b[0] ? -1 : 1));
  const out: Record<string, BucketStats> = {};
  const rest = newStats();
  sorted.forEach(([k, s], i) => {
    if (i < limit) out[k] = toBucket(s);
    else addStats(rest, s);
  });
  if (rest.requests > 0) out[OTHER_KEY] = toBucket(rest);
  return out;
}

type Dim = "target_k" | "tg_k" | "path_k" | "minute_k";
const DIMS: Dim[] = ["target_k", "tg_k", "path_k", "minute_k"];

export type SummaryBase = Pick<LogSummary, "enabled" | "window" | "objects" | "assumptions"> &
  Partial<Pick<LogSummary, "bucket" | "prefix" | "durationMs">>;

export function summaryFromRows(columns: string[], raw: (string | null)[][], base: SummaryBase): LogSummary {
  const rows: Row[] = raw.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
  const s: LogSummary = {
    ...base,
    lines: { total: 0, inWindow: 0, malformed: 0 },
    byStatus: {},
    byTargetStatus: {},
    byClass: {},
    byErrorReason: {},
    byTarget: {},
    byTargetGroup: {},
    byPath: {},
    byMinute: {},
    latency: { targetProcessing: quantiles(0, null, null), total: quantiles(0, null, null) },
    byAgent: {},
    classDurations: {},
    elbErrorSeconds: {},
    samples: {},
    malformedSamples: [],
    durationMs: base.durationMs ?? 0,
  };
  const maps: Record<Dim, Map<string, Stats>> = {
    target_k: new Map(),
    tg_k: new Map(),
    path_k: new Map(),
    minute_k: new Map(),
  };
  const stats = (d: Dim, key: string) => {
    const name = d === "minute_k" ? key : asLatin1(key);
    let st = maps[d].get(name);
    if (!st) maps[d].set(name, (st = newStats()));
    return st;
  };
  const agents = new Map<string, Stats>();
  const reasons: [string, number][] = [];
  const wsClients: number[] = [];
  const wsPaths: [string, number][] = [];
  let ws: Row | undefined;
  for (const r of rows) {
    const set = setOf(num(r.g));
    const n = num(r.n);
    const key = (k: GroupKey) => r[k];
    if (set === "") {
      s.lines = { total: num(r.lines_total), inWindow: n, malformed: num(r.lines_malformed) };
      s.latency = {
        targetProcessing: quantiles(num(r.tpt_n), r.tpt_q, r.tpt_max),
        total: quantiles(num(r.d_n), r.d_q, r.d_max),
      };
      s.malformedSamples = r.malformed_samples ? r.malformed_samples.split("\n") : [];
      ws = r;
      continue;
    }
    if (n === 0) continue;
    const members = set.split(",");
    const dim = members.length <= 2 ? DIMS.find((d) => members.includes(d)) : undefined;
    if (dim) {
      const k = key(dim);
      if (k === null) continue;
      const st = stats(dim, k);
      if (set === dim) {
        st.requests += n;
        st.answered += num(r.answered);
        st.answeredUs += num(r.answered_us);
        st.maxAnsweredSeconds = Math.max(st.maxAnsweredSeconds, num(r.answered_max));
        st.slow += num(r.slow);
        st.measured502Us += num(r.measured_us);
        if (dim === "path_k" && r.path_group !== null) st.group = asLatin1(r.path_group);
      } else if (members.includes("s_k") && key("s_k") !== null && num(key("s_k")) >= 400) {
        st.errorTotal += n;
        st.errors[key("s_k")!] = n;
      } else if (members.includes("cls_k") && key("cls_k") !== null) {
        st.classes[key("cls_k") as LogErrorClass] = n;
      }
      continue;
    }
    switch (set) {
      case "s_k":
        if (key("s_k") !== null) s.byStatus[key("s_k")!] = n;
        break;
      case "ts_k":
        if (key("ts_k") !== null) s.byTargetStatus[key("ts_k")!] = n;
        break;
      case "reason_k":
        if (key("reason_k") !== null) reasons.push([asLatin1(key("reason_k")!), n]);
        break;
      case "cls_k": {
        const cls = key("cls_k") as LogErrorClass | null;
        if (cls === null) break;
        s.byClass[cls] = n;
        s.classDurations![cls] = quantiles(num(r.d_n), r.d_q, r.d_max);
        s.samples[cls] = (r.samples ?? "").split("\n").filter(Boolean).slice(0, SAMPLES_PER_CLASS);
        break;
      }
      case "s_k,errsec_k":
        if (key("s_k") !== null && key("errsec_k") !== null)
          (s.elbErrorSeconds![key("s_k")!] ??= {})[key("errsec_k")!] = n;
        break;
      case "s_k,cls_k,agent_k": {
        const a = key("agent_k");
        if (a === null) break;
        const name = asLatin1(a);
        const st = agents.get(name) ?? newStats();
        agents.set(name, st);
        st.requests += n;
        st.errorTotal += n;
        st.errors[key("s_k")!] = (st.errors[key("s_k")!] ?? 0) + n;
        const cls = key("cls_k") as LogErrorClass;
        st.classes[cls] = (st.classes[cls] ?? 0) + n;
        break;
      }
      case "wsclient_k":
        if (key("wsclient_k") !== null) wsClients.push(n);
        break;
      case "wspath_k":
        if (key("wspath_k") !== null) wsPaths.push([asLatin1(key("wspath_k")!), n]);
        break;
    }
  }
  // The streaming engine keeps 500 reasons and folds the rest; here the 500 most frequent are kept.
  reasons.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [k, v] of reasons.slice(0, MAX_ERROR_REASONS)) s.byErrorReason[k] = v;
  const folded = reasons.slice(MAX_ERROR_REASONS).reduce((a, [, v]) => a + v, 0);
  if (folded > 0) s.byErrorReason[OTHER_KEY] = folded;
  s.byTarget = top(maps.target_k, TOP_N);
  s.byTargetGroup = top(maps.tg_k, TOP_N);
  s.byPath = top(maps.path_k, TOP_N);
  s.byAgent = top(agents, TOP_N);
  s.byMinute = Object.fromEntries(
    [...maps.minute_k.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, st]) => [k, toBucket(st)]),
  );
  if (ws && num(ws.ws_n) > 0) {
    wsPaths.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    s.webSockets = {
      connections: num(ws.ws_n),
      closedAtIdle: num(ws.ws_idle),
      maxSeconds: ws.ws_max === null ? null : Number(ws.ws_max),
      longerThanIdle: num(ws.ws_longer),
      clientsAtIdle: wsClients.length,
      repeatClientsAtIdle: wsClients.filter((v) => v >= 2).length,
      pathsAtIdle: Object.fromEntries(wsPaths.slice(0, TOP_WS_PATHS)),
    };
  }
  return s;
}
