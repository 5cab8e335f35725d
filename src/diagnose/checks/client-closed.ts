/**
 * client-closed-early: clients close the connection before the ALB answers (460, alb-facts §3, §10). How long
 * the 460s lasted (time - request_creation_time) tells two stories apart:
 * - slow backends: the 460s end after seconds, at the client's own timeout, while target times are long;
 * - quick aborts: the 460s end within milliseconds, spread over targets and paths like the traffic, while the
 *   backend answers fast (users navigating away, apps killed, prefetches dropped, bots). The ALB records no
 *   reason, so the finding says what is known and what is not.
 * With "Amazon CloudFront" as the user agent the client is CloudFront: slow 460s then end at its origin response
 * timeout (default 30 s), and raising only the ALB idle timeout does not help.
 * Never a 5xx cause, so at most a warning.
 *
 * Confidence, slow: 0.5, + 0.2 when the p99 of target processing time is 3 s or more, + 0.1 when three paths or
 * fewer hold 70% of the 460s. Quick: 0.5, + 0.15 when the 460s spread over targets like the requests do,
 * + 0.1 when the backend's p99 is under 1 s; at most 0.85.
 */
import type { Check } from "../check.ts";
import type { BucketStats, LogSummary, Quantiles } from "../../domain/log-summary.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { classCount, listFew, pct, secs, statusCount, topByClass, usableLogs } from "../evidence/logs.ts";
import { p99Seconds } from "../evidence/latency.ts";

const LONG_P99_SECONDS = 3;
const MIN_460 = 5;
/** A 460 whose median duration is under this is a quick abort, not a client timeout. */
const QUICK_SECONDS = 1;
/** Quick aborts are reported from this share of the requests (or this many), and warn from WARN_SHARE. */
const NOTABLE_SHARE = 0.005;
const NOTABLE_COUNT = 50;
const WARN_SHARE = 0.02;
const CLOUDFRONT = /^Amazon CloudFront$/i;
const CLS = "client-closed";

export const clientClosedCheck: Check = {
  name: "client-closed",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    if (!logs) return [];
    const n = Math.max(classCount(logs, CLS), statusCount(logs, "460"));
    if (n < MIN_460) return [];
    const durations = logs.classDurations?.[CLS];
    const cloudfront = cloudFrontShare(logs, n);
    if (durations?.p50 != null && durations.p50 < QUICK_SECONDS)
      return quickAborts(s, logs, n, durations, cloudfront);
    return slowBackend(s, logs, n, durations, cloudfront);
  },
};

function slowBackend(
  s: Snapshot,
  logs: LogSummary,
  n: number,
  durations: Quantiles | undefined,
  cloudfront: number,
): Finding[] {
  const p99 = p99Seconds(s);
  const max = logs.latency.targetProcessing.max;
  const long = (p99 !== null && p99 >= LONG_P99_SECONDS) || (max !== null && max >= 2 * LONG_P99_SECONDS);
  const slowAborts = durations?.p50 != null && durations.p50 >= LONG_P99_SECONDS;
  if (!long && !slowAborts) return [];
  const requests = logs.lines.inWindow;
  const evidence: Evidence[] = [
    {
      source: "access-logs",
      detail: `${n} requests ended with 460 (${pct(n, requests)} of ${requests}): the client closed the connection first, while target_processing_time of all requests a target answered reaches p99 ${p99 === null ? "n/a" : secs(p99)}, max ${max === null ? "n/a" : secs(max)}`,
    },
  ];
  if (durations?.p50 != null) {
    const atOnce = durations.p90 !== null && durations.p90 - durations.p50 <= 0.1 * durations.p50;
    const detail = waitedText(durations);
    evidence.push({
      source: "access-logs",
      detail: atOnce
        ? `${detail}: most end together, so the clients' own timeout is about ${secs(durations.p50)}`
        : detail,
    });
  }
  let c = 0.5 + (p99 !== null && p99 >= LONG_P99_SECONDS ? 0.2 : 0);
  const paths = topByClass(logs.byPath, CLS);
  if (paths.length) {
    const top = paths.slice(0, 3);
    if (top.reduce((a, p) => a + p.count, 0) >= 0.7 * n) c += 0.1;
    evidence.push({
      source: "access-logs",
      detail: `mostly on ${listFew(top.map((p) => `${p.key} (${p.count})`))}`,
    });
  }
  const viaCloudFront = cloudfront >= 0.5;
  if (viaCloudFront) {
    evidence.push({
      source: "access-logs",
      detail: `${pct(cloudfront * n, n)} of the 460s have the user agent "Amazon CloudFront": the client that gave up is CloudFront, whose origin response timeout (default 30 s) ended them; viewers got a CloudFront 504, and raising only the ALB idle timeout does not help`,
    });
  }
  evidence.push({
    source: "access-logs",
    detail: viaCloudFront
      ? "make those endpoints faster, or raise CloudFront's origin response timeout together with the ALB idle timeout"
      : "make those endpoints faster, or raise the client's timeout above the backend latency",
  });
  const rate = requests > 0 ? n / requests : 0;
  return [
    {
      id: "client-closed-early",
      severity: n >= 20 || rate >= 0.001 ? "warning" : "info",
      confidence: confidence(c, 0.85),
      title: viaCloudFront
        ? "CloudFront gives up on slow responses before the targets answer (460)"
        : "Clients give up before the targets answer (460)",
      evidence,
      resources: [s.loadBalancer.arn],
      fixes: [],
      nextStep: viaCloudFront
        ? `Speed up ${paths[0]?.key ?? "the slow endpoints"}, or raise CloudFront's origin response timeout and the ALB idle timeout together above its latency.`
        : `Speed up ${paths[0]?.key ?? "the slow endpoints"} (the client's timeout is shorter than their latency), or raise that client's timeout.`,
    },
  ];
}

function quickAborts(
  s: Snapshot,
  logs: LogSummary,
  n: number,
  durations: Quantiles,
  cloudfront: number,
): Finding[] {
  const requests = logs.lines.inWindow;
  const share = requests > 0 ? n / requests : 0;
  if (share < NOTABLE_SHARE && n < NOTABLE_COUNT) return [];
  const evidence: Evidence[] = [
    {
      source: "access-logs",
      detail: `${n} requests ended with 460 (${pct(n, requests)} of ${requests}): the client closed the connection before the ALB answered`,
    },
    { source: "access-logs", detail: waitedText(durations) },
  ];
  let c = 0.5;
  const targets = spreadText(logs.byTarget, CLS, n, "targets");
  if (targets.even) c += 0.15;
  if (targets.text) evidence.push({ source: "access-logs", detail: targets.text });
  const paths = spreadText(logs.byPath, CLS, n, "paths");
  if (paths.text) evidence.push({ source: "access-logs", detail: paths.text });
  const tp = logs.latency.targetProcessing;
  if (tp.p99 !== null) {
    if (tp.p99 < 1) c += 0.1;
    evidence.push({
      source: "access-logs",
      detail: `the backend answers fast: target_processing_time of all requests a target answered p50 ${tp.p50 === null ? "n/a" : secs(tp.p50)}, p99 ${secs(tp.p99)}; these clients did not wait for a slow target`,
    });
  }
  const agents = agentCounts(logs);
  if (agents.length)
    evidence.push({
      source: "access-logs",
      detail: `user agents of the 460s: ${listFew(agents.map(([agent, count]) => `"${agent.length > 70 ? `${agent.slice(0, 67)}...` : agent}" (${count})`))}`,
    });
  evidence.push({
    source: "access-logs",
    detail:
      cloudfront >= 0.5
        ? "known: CloudFront (the client here) closed its origin connection within milliseconds; not known: why, the ALB records no reason: compare with CloudFront's own logs for the same requests (viewer aborts, origin keep-alive of 5 s)"
        : "known: the clients, not the targets or the ALB, ended these requests, within milliseconds; not known: why, the ALB records no reason: users navigating away, apps closed, prefetches cancelled, or client timeouts set very short",
  });
  return [
    {
      id: "client-closed-early",
      severity: share >= WARN_SHARE ? "warning" : "info",
      confidence: confidence(c, 0.85),
      title: "Clients close their requests within milliseconds (460): quick aborts, not a slow backend",
      evidence,
      resources: [s.loadBalancer.arn],
      fixes: [],
      nextStep:
        "Nothing to change on the ALB or the targets: check the client side (the user agents above) for cancelled requests or very short timeouts, and treat 460s as client behaviour in alerts.",
    },
  ];
}

/** "the 460s ended after p50 40 ms, p90 210 ms, max 340 ms (time - request_creation_time)". */
function waitedText(d: Quantiles): string {
  const f = (v: number | null) => (v === null ? "n/a" : v < 1 ? `${Math.round(v * 1000)} ms` : secs(v));
  return `the 460s ended after p50 ${f(d.p50)}, p90 ${f(d.p90)}, max ${f(d.max)} (how long each client waited, time - request_creation_time)`;
}

/** 460s per user agent, whatever the request's protocol (byAgent keys are "PROTOCOL agent"), most first. */
function agentCounts(logs: LogSummary): [string, number][] {
  const out = new Map<string, number>();
  for (const [key, b] of Object.entries(logs.byAgent ?? {})) {
    const n = b.classes[CLS] ?? 0;
    const agent = key.slice(key.indexOf(" ") + 1);
    if (n > 0) out.set(agent, (out.get(agent) ?? 0) + n);
  }
  return [...out.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Share of the 460s sent by CloudFront. */
function cloudFrontShare(logs: LogSummary, n: number): number {
  let cf = 0;
  for (const [key, b] of Object.entries(logs.byAgent ?? {}))
    if (CLOUDFRONT.test(key.slice(key.indexOf(" ") + 1))) cf += b.classes[CLS] ?? 0;
  return n > 0 ? cf / n : 0;
}

/**
 * Do the 460s fall on keys (targets, paths) in proportion to their requests? Even when no key's share of the
 * 460s is more than 15 points off its share of the requests.
 */
function spreadText(
  buckets: Record<string, BucketStats>,
  cls: typeof CLS,
  n: number,
  what: string,
): { even: boolean; text: string | null } {
  const top = topByClass(buckets, cls).filter((e) => e.key !== "-");
  if (top.length === 0) return { even: false, text: null };
  const requests = Object.entries(buckets)
    .filter(([k]) => k !== "-")
    .reduce((a, [, b]) => a + b.requests, 0);
  const worst = Math.max(...top.map((e) => Math.abs(e.count / n - e.requests / Math.max(1, requests))));
  const even = top.length >= 2 && worst <= 0.15;
  const list = listFew(
    top.map(
      (e) =>
        `${e.key} ${e.count}${even || e.requests <= e.count ? "" : ` (${pct(e.count, e.requests)} of its requests)`}`,
    ),
  );
  return {
    even,
    text: even
      ? `spread over ${top.length} ${what} in proportion to their traffic (${list}): no ${what === "targets" ? "server" : "URL"} stands out`
      : `by ${what.replace(/s$/, "")}: ${list}`,
  };
}
