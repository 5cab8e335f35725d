/**
 * target-protocol-mismatch: requests whose protocol the target group's ProtocolVersion refuses (alb-facts §3,
 * §10): ELB 464 for anything but gRPC to a GRPC group, HTTP/1.1 to an HTTP2 group, gRPC to an HTTP1 group, and
 * ELB 505 for an HTTP version the connection does not speak. The ALB answers these itself, so health checks
 * pass and no 5xx is counted: the 464 rows (by group, path, protocol and user agent) and
 * HTTPCode_ELB_4XX_Count are the whole symptom.
 *
 * Confidence: 0.55 for the rows alone, + 0.2 when the refused group's ProtocolVersion and the senders' protocol
 * agree with one of AWS's combinations for 80% of the rows, + 0.1 when the group's targets all pass their
 * health checks; at most 0.92. Without access logs the 464s cannot be seen: nothing is reported.
 */
import type { Check } from "../check.ts";
import type { BucketStats } from "../../domain/log-summary.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot, TargetGroup } from "../../domain/snapshot.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import {
  classCount,
  elbGenerated,
  listFew,
  pct,
  statusCount,
  topByClass,
  usableLogs,
} from "../evidence/logs.ts";
import { requestTotal } from "../evidence/latency.ts";
import { metricSum } from "../evidence/metrics.ts";
import { isHealthy } from "../evidence/targets.ts";
import { setProtocolVersionFix, type MismatchKind } from "../fixes/set-protocol-version.ts";

const MIN_ROWS = 3;
const CLS = "protocol-mismatch";

/** What kind of client sent a row, from "PROTOCOL user agent" (the log summary's byAgent key). */
export interface Sender {
  protocol: string;
  agent: string;
  kind: "grpc" | "browser" | "other";
}

export function parseSender(key: string): Sender {
  const sp = key.indexOf(" ");
  const protocol = sp < 0 ? "-" : key.slice(0, sp);
  const agent = sp < 0 ? key : key.slice(sp + 1);
  const kind = /^grpc-|\bgrpc\b/i.test(agent)
    ? "grpc"
    : /^Mozilla\//.test(agent) && !/bot\b|crawl|spider|uptime/i.test(agent)
      ? "browser"
      : "other";
  return { protocol, agent, kind };
}

/** Which documented combination a refused row matches for the group's version, or null when none does. */
function combination(version: string, sender: Sender): MismatchKind | null {
  if (version === "GRPC" && sender.kind !== "grpc") return "non-grpc-to-grpc";
  if (version === "HTTP2" && sender.protocol === "HTTP/1.1") return "http1-to-http2";
  if (version === "HTTP1" && sender.kind === "grpc") return "grpc-to-http1";
  return null;
}

const EXPLAIN: Record<MismatchKind, string> = {
  "non-grpc-to-grpc":
    "requests that are not gRPC (browsers, plain HTTP clients) sent to a group that accepts only gRPC",
  "http1-to-http2": "HTTP/1.1 requests sent to a group that accepts only HTTP/2",
  "grpc-to-http1": "gRPC requests sent to a group that speaks HTTP/1.1",
  "http-version": "requests in an HTTP version the connection does not speak (505)",
};

export const protocolMismatchCheck: Check = {
  name: "protocol-mismatch",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    if (!logs) return [];
    const n = classCount(logs, CLS);
    if (n < MIN_ROWS) return [];
    const n464 = statusCount(logs, "464");
    const n505 = elbGenerated(logs, "505");
    const requests = requestTotal(s) ?? logs.lines.inWindow;

    const evidence: Evidence[] = [
      {
        source: "access-logs",
        detail: `${n} requests were refused by the ALB itself for their protocol (${n464} ELB 464${n505 ? `, ${n505} ELB 505` : ""}), ${pct(n, requests)} of ${requests}; target '-': they never reached a target`,
      },
    ];

    // The groups that refused them, with their ProtocolVersion.
    const groups = topByClass(logs.byTargetGroup, CLS)
      .map((e) => ({ ...e, group: s.targetGroups.find((g) => g.arn === e.key) }))
      .filter((e): e is typeof e & { group: TargetGroup } => e.group !== undefined);
    const main = groups[0]?.group;
    const version = main?.protocolVersion ?? "HTTP1";
    if (groups.length) {
      evidence.push({
        source: "listeners",
        detail: `by target group: ${listFew(groups.map((e) => `${e.group.name} (ProtocolVersion ${e.group.protocolVersion ?? "HTTP1"}) ${e.count}`))}`,
      });
    }

    // Who sent them, and whether that fits one of AWS's documented combinations for the group's version.
    const senders = topByClass(logs.byAgent ?? {}, CLS).map((e) => ({ ...e, sender: parseSender(e.key) }));
    const byKind = new Map<MismatchKind, number>();
    for (const e of senders) {
      const k = combination(version, e.sender);
      if (k) byKind.set(k, (byKind.get(k) ?? 0) + e.count);
    }
    if (n505 > 0 && n505 >= n464) byKind.set("http-version", (byKind.get("http-version") ?? 0) + n505);
    const [kind, matched] = [...byKind.entries()].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
    let c = 0.55;
    if (senders.length) {
      const browsers = senders.filter((e) => e.sender.kind === "browser").reduce((a, e) => a + e.count, 0);
      evidence.push({
        source: "access-logs",
        detail: `sent by ${listFew(senders.map((e) => `${e.sender.protocol} "${short(e.sender.agent)}" (${e.count})`))}${browsers ? `; ${browsers} from browsers` : ""}`,
      });
    }
    if (kind && matched >= 0.8 * n) {
      c += 0.2;
      evidence.push({ source: "access-logs", detail: `${matched} of ${n} are ${EXPLAIN[kind]}` });
    }
    const step = stepText(logs.byMinute);
    if (step) evidence.push({ source: "access-logs", detail: step });
    const paths = topByClass(logs.byPath, CLS);
    if (paths.length) {
      evidence.push({
        source: "access-logs",
        detail: `by path: ${listFew(paths.map((p) => `${p.key} ${p.count}${pathShare(p, logs.byPath[p.key])}`))}`,
      });
    }

    const refusing = groups.map((e) => e.group);
    const targets = refusing.flatMap((g) => g.targets).filter((t) => t.state !== "unused");
    const healthy = targets.filter(isHealthy).length;
    if (targets.length && healthy === targets.length) {
      c += 0.1;
      evidence.push({
        source: "target-health",
        detail: `all ${targets.length} targets of ${listFew(refusing.map((g) => g.name))} pass their health checks: the targets are fine, the ALB refuses these requests before choosing one`,
      });
    }
    evidence.push(metricsEvidence(s));

    const fix = main ? setProtocolVersionFix(main, kind ?? fallbackKind(version)) : undefined;
    return [
      {
        id: "target-protocol-mismatch",
        severity: severityForErrors(n, requests),
        confidence: confidence(c, 0.92),
        title: main
          ? `Requests in a protocol that ${main.name} (ProtocolVersion ${version}) does not accept: ELB 464`
          : "Requests refused for their protocol version: ELB 464/505",
        evidence,
        resources: refusing.length ? refusing.map((g) => g.arn) : [s.loadBalancer.arn],
        fixes: fix ? [fix] : [],
        nextStep: nextStep(kind, main, version),
      },
    ];
  },
};

const short = (agent: string) => (agent.length > 60 ? `${agent.slice(0, 57)}...` : agent);

/**
 * "the 464s went from about 2 a minute to about 32 a minute at 15:20Z": the minute the rate first reached half
 * its usual peak, when the minutes before it ran at under a third of that. Null without such a step.
 */
function stepText(byMinute: Record<string, BucketStats>): string | null {
  const minutes = Object.entries(byMinute)
    .filter(([, b]) => b.requests > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const counts = minutes.map(([, b]) => b.classes[CLS] ?? 0);
  if (counts.length < 6) return null;
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)] ?? 0;
  const high = median([...counts].sort((a, b) => b - a).slice(0, Math.ceil(counts.length / 2)));
  const at = counts.findIndex((c) => c >= 0.5 * high);
  if (high <= 0 || at < 3) return null;
  const before = median(counts.slice(0, at));
  const after = median(counts.slice(at));
  if (before >= after / 3) return null;
  return `the 464s went from about ${before} a minute to about ${after} a minute at ${minutes[at][0].slice(11)}: something started sending these requests then (a release, a new client)`;
}

function fallbackKind(version: string): MismatchKind {
  return version === "GRPC" ? "non-grpc-to-grpc" : version === "HTTP2" ? "http1-to-http2" : "grpc-to-http1";
}

/** " (12% of its requests)" when the path also served other requests. */
function pathShare(p: { count: number }, b: BucketStats | undefined): string {
  return b && b.requests > p.count ? ` (${pct(p.count, b.requests)} of its requests)` : "";
}

function metricsEvidence(s: Snapshot): Evidence {
  const e4 = metricSum(s, "HTTPCode_ELB_4XX_Count");
  const e5 = metricSum(s, "HTTPCode_ELB_5XX_Count");
  const t5 = metricSum(s, "HTTPCode_Target_5XX_Count");
  const part = (label: string, v: number | null) => `${label} ${v === null ? "unknown" : v}`;
  return {
    source: "metrics",
    detail: `${part("HTTPCode_ELB_4XX_Count", e4)}, ${part("HTTPCode_ELB_5XX_Count", e5)}, ${part("HTTPCode_Target_5XX_Count", t5)}: a 464 counts as an ELB 4XX, never as a 5xx`,
  };
}

function nextStep(kind: MismatchKind | null, g: TargetGroup | undefined, version: string): string {
  const name = g?.name ?? "the target group";
  switch (kind ?? fallbackKind(version)) {
    case "non-grpc-to-grpc":
      return `Decide who should reach ${name}: if only gRPC clients, give browsers and other HTTP clients their own rule and HTTP1 group (or a fixed response); if the service is not gRPC, recreate the group with ProtocolVersion HTTP1.`;
    case "http1-to-http2":
      return `Recreate ${name} with ProtocolVersion HTTP1 (clients keep HTTP/2 to the ALB), or route the HTTP/1.1 clients to an HTTP1 group.`;
    case "grpc-to-http1":
      return `Add a GRPC target group for the gRPC clients and a rule on content-type application/grpc; ${name} keeps the HTTP/1.1 traffic.`;
    case "http-version":
      return "Find the clients sending HTTP/2 on HTTP/1.1 connections (the user agents above) and fix their HTTP version negotiation.";
  }
}
