/** A LogSummary for people in a terminal: what failed, how often, where, and a sample line per cause. */
import type { BucketStats, LogErrorClass, LogSummary, Quantiles } from "../domain/log-summary.ts";
import { capText, displayPath, mapStrings, terminalText } from "../domain/text.ts";

/** A sample line at most this long (the full length is noted). */
const MAX_SAMPLE_CHARS = 500;

const CLASS_TEXT: Record<LogErrorClass, string> = {
  "target-5xx": "5xx returned by the target (application)",
  "elb-502-target-closed": "502: target closed/reset the connection (keep-alive race or nothing listening)",
  "elb-502-malformed-response": "502: target answered but the ALB could not parse the response",
  "elb-504-idle-timeout": "504: target slower than the idle timeout",
  "elb-504-connect-timeout": "504: ALB could not connect within 10 s (SG/NACL drop, overload)",
  "elb-504-other": "504: other",
  "elb-503-no-target": "503: no registered/healthy target",
  "lambda-error": "Lambda target error",
  "auth-error": "authenticate action error",
  "waf-error": "AWS WAF error",
  "client-closed": "460: client closed the connection first",
  "protocol-mismatch": "464/505: request protocol not accepted by the target group's protocol version",
  "elb-5xx-other": "other ALB-generated 5xx",
};

export function renderLogSummaryText(input: LogSummary, options: { samples?: boolean } = {}): string {
  // Paths are decoded for people first (raw UTF-8 and %XX, read as latin1), then every string loses its
  // control and bidi characters: log fields come from the internet.
  const byPath = Object.fromEntries(Object.entries(input.byPath).map(([k, v]) => [displayPath(k), v]));
  const s = mapStrings({ ...input, byPath }, (x) =>
    capText(terminalText(x, { inline: true }), MAX_SAMPLE_CHARS),
  );
  const out: string[] = [];
  if (!s.enabled) {
    out.push("Access logging is disabled on this load balancer: no access logs to analyze.");
    out.push("Enable it with the LB attribute access_logs.s3.enabled=true (and access_logs.s3.bucket).");
    return `${out.join("\n")}\n`;
  }
  const where = s.bucket ? ` in s3://${s.bucket}/${s.prefix ? `${s.prefix}/` : ""}` : "";
  if (s.window.start) out.push(`Window ${s.window.start} .. ${s.window.end}`);
  out.push(
    `Objects: ${s.objects.scanned}/${s.objects.listed} read${where} (${mb(s.objects.bytes)}), ` +
      `${s.objects.failed.length} failed; lines: ${s.lines.total} total, ${s.lines.inWindow} in window, ` +
      `${s.lines.malformed} malformed; ${s.durationMs} ms`,
  );
  for (const f of s.objects.failed) out.push(`  failed: ${f.key}: ${f.reason}`);

  out.push("", "Status codes (ELB):");
  const statuses = Object.entries(s.byStatus).sort((a, b) => Number(a[0]) - Number(b[0]));
  out.push(`  ${statuses.map(([k, v]) => `${k}: ${v}`).join("   ") || "(none)"}`);

  const classes = (Object.entries(s.byClass) as [LogErrorClass, number][]).sort((a, b) => b[1] - a[1]);
  out.push("", "Errors by cause:");
  if (classes.length === 0) out.push("  (no 5xx or 460 lines)");
  for (const [cls, n] of classes)
    out.push(`  ${String(n).padStart(8)}  ${cls.padEnd(28)} ${CLASS_TEXT[cls]}`);
  const reasons = Object.entries(s.byErrorReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length) out.push(`  error_reason: ${reasons.map(([k, v]) => `${k} ${v}`).join(", ")}`);

  section(out, "Targets with most errors", s.byTarget, { errorsOnly: true });
  section(out, "Target groups", s.byTargetGroup);
  section(out, "Paths with most errors", s.byPath, { errorsOnly: true });

  out.push("", "Latency (seconds):");
  out.push(`  target_processing_time  ${quantiles(s.latency.targetProcessing)}`);
  out.push(`  total (time - request_creation_time)  ${quantiles(s.latency.total)}`);
  out.push(`  (504s classified against an idle timeout of ${s.assumptions.idleTimeoutSeconds} s)`);

  const busiest = Object.entries(s.byMinute)
    .filter(([, b]) => errorsOf(b) > 0)
    .sort((a, b) => errorsOf(b[1]) - errorsOf(a[1]))
    .slice(0, 5);
  if (busiest.length) {
    out.push("", "Minutes with most errors:");
    for (const [m, b] of busiest) out.push(`  ${m}  ${errorsOf(b)} errors / ${b.requests} requests`);
  }
  if (options.samples !== false) {
    const entries = Object.entries(s.samples) as [LogErrorClass, string[]][];
    if (entries.length) out.push("", "Sample lines:");
    for (const [cls, lines] of entries) out.push(`  [${cls}] ${capText(lines[0], MAX_SAMPLE_CHARS)}`);
  }
  return `${out.join("\n")}\n`;
}

/** Ranked by 5xx first (the 502/504s being diagnosed, not 401/404 noise), then all errors, then traffic; a
 * "most errors" list leaves out keys without any error. */
function section(
  out: string[],
  title: string,
  m: Record<string, BucketStats>,
  options: { errorsOnly?: boolean } = {},
): void {
  const rows = Object.entries(m)
    .filter(([, b]) => !options.errorsOnly || errorsOf(b) > 0)
    .sort(
      (a, b) =>
        errors5xx(b[1]) - errors5xx(a[1]) || errorsOf(b[1]) - errorsOf(a[1]) || b[1].requests - a[1].requests,
    )
    .slice(0, 10);
  if (!rows.length) return;
  out.push("", `${title}:`);
  for (const [k, b] of rows) {
    const errs = Object.entries(b.errors)
      .map(([c, n]) => `${c}x${n}`)
      .join(" ");
    out.push(`  ${k}  ${b.requests} requests${errs ? `, errors ${errs}` : ""}`);
  }
}

function errors5xx(b: BucketStats): number {
  return Object.entries(b.errors).reduce((a, [code, n]) => (code.startsWith("5") ? a + n : a), 0);
}

function errorsOf(b: BucketStats): number {
  return Object.values(b.errors).reduce((a, n) => a + n, 0);
}

function quantiles(q: Quantiles): string {
  if (q.count === 0) return "(no values)";
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(3));
  return `p50 ${f(q.p50)}  p90 ${f(q.p90)}  p99 ${f(q.p99)}  max ${f(q.max)}  (n=${q.count})`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
