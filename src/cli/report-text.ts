/** The report for people in a terminal: root cause first, its evidence and fixes, then the rest. */
import { P99_POPULATION_WORDS, type Finding, type Report } from "../domain/report.ts";
import { capText, mapStrings, terminalText } from "../domain/text.ts";
import { formatDuration } from "../domain/window.ts";
import { changesSentence, onsetSentence } from "../domain/onset-text.ts";

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

/** One evidence item or resource at most this long (the full length is noted), so the rest stays in view. */
export const MAX_EVIDENCE_CHARS = 500;

const plain: Style = {
  bold: (s) => s,
  dim: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  green: (s) => s,
  cyan: (s) => s,
};
const sgr = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const ansi: Style = {
  bold: sgr("1"),
  dim: sgr("2"),
  red: sgr("31"),
  yellow: sgr("33"),
  green: sgr("32"),
  cyan: sgr("36"),
};

export function renderReportText(input: Report, options: { color?: boolean } = {}): string {
  // Every string of the report may carry outside text: no control or bidi character reaches the terminal.
  // Colours are added after this, so the only escape sequences in the output are ours.
  const report = mapStrings(input, (x) => terminalText(x));
  const s = options.color ? ansi : plain;
  const out: string[] = [];
  const lb = report.loadBalancer;
  const status =
    report.status === "healthy"
      ? s.green("HEALTHY")
      : report.status === "incomplete"
        ? s.yellow("INCOMPLETE")
        : report.status === "no-data"
          ? s.yellow("NO DATA")
          : s.red("PROBLEMS FOUND");
  out.push(`${s.bold(lb.name)}  ${status}`);
  out.push(s.dim(`${lb.arn}`));
  if (report.account?.alias) out.push(s.dim(`account ${report.account.alias} (${report.account.id})`));
  out.push(s.dim(`window ${formatWindow(report.window.start, report.window.end)}`));
  if (report.onset) out.push(onsetSentence(report.onset, report.window));
  if (report.managedBy) out.push(`${s.cyan("managed by")} ${managedByText(report.managedBy)}`);
  const changed = changesSentence(report);
  if (changed) out.push(capText(changed, MAX_EVIDENCE_CHARS));
  const f = report.figures;
  if (f) {
    const fig = (label: string, v: number | null, unit = "") =>
      `${label} ${v === null ? "n/a" : `${formatNumber(v)}${unit}`}`;
    // Every status the ALB writes itself, not only 502/504: a 503 storm or a wall of 464s is the incident too.
    out.push(
      [
        fig("ELB 502", f.elb502),
        fig("503", f.elb503 ?? null),
        fig("504", f.elb504),
        fig("460", f.elb460 ?? null),
        fig("464", f.elb464 ?? null),
        fig("target 5xx", f.target5xx),
        fig("requests", f.requests),
      ].join("  |  "),
    );
    const p99 = f.targetResponseP99 === null ? "n/a" : formatSeconds(f.targetResponseP99);
    const of = f.targetResponseP99Of ? ` (${P99_POPULATION_WORDS[f.targetResponseP99Of]})` : "";
    out.push(
      [
        `unhealthy targets ${f.unhealthyTargets}/${f.totalTargets}`,
        fig("idle timeout", f.idleTimeoutSeconds, " s"),
        `target p99 ${p99}${of}`,
      ].join("  |  "),
    );
  }
  out.push("");
  // Info findings (access logs off...) are notes, never a "root cause": a report with only those is healthy.
  const problems = report.findings.filter((x) => x.severity !== "info");
  const notes = report.findings.filter((x) => x.severity === "info");
  const [root, ...rest] = problems;
  // An empty window is said first, before any finding: what follows was judged from configuration only.
  if (report.noData) {
    out.push(s.yellow(capText(report.noData.detail, MAX_EVIDENCE_CHARS)));
    if (report.noData.clock) out.push(s.yellow(`Clock: ${capText(report.noData.clock, MAX_EVIDENCE_CHARS)}`));
  }
  if (!root) {
    if (!report.noData)
      out.push(
        report.status === "incomplete"
          ? s.yellow(
              "No problems found in the checks that ran, but some could not run (below): this is not a clean bill of health.",
            )
          : s.green("No problems found."),
      );
  } else {
    if (report.noData) out.push("");
    out.push(s.bold("Root cause"));
    out.push(...renderFinding(root, s, true));
    if (rest.length) {
      out.push("", s.bold("Other findings"));
      for (const x of rest) out.push(...renderFinding(x, s, false));
    }
  }
  if (notes.length) {
    out.push("", s.bold("Notes"));
    // With no problem to show, a note is the whole story: print its fix in full.
    for (const x of notes) out.push(...renderFinding(x, s, !root));
  }
  const failed = report.checks.filter((c) => c.status !== "ok");
  if (failed.length) {
    out.push("", s.bold("Checks that did not run fully"));
    for (const c of failed)
      out.push(
        `  ${c.status === "error" ? s.red("x") : s.dim("-")} ${c.id}: ${capText(c.error ?? c.note ?? c.status, MAX_EVIDENCE_CHARS)}`,
      );
    if (failed.some((c) => c.status === "error"))
      out.push(
        s.dim("  causes these checks look for may be missing; the read-only policy is docs/iam-policy.json"),
      );
  }
  if (report.durationMs !== undefined)
    out.push("", s.dim(`diagnosed in ${formatSeconds(report.durationMs / 1000)}`));
  return out.join("\n") + "\n";
}

function renderFinding(f: Finding, s: Style, full: boolean): string[] {
  const sev =
    f.severity === "critical"
      ? s.red(f.severity)
      : f.severity === "warning"
        ? s.yellow(f.severity)
        : s.dim(f.severity);
  const lines = [
    `  ${s.bold(capText(f.title, MAX_EVIDENCE_CHARS))}  ${s.dim(`[${f.id}]`)} ${sev}, confidence ${Math.round(f.confidence * 100)}%`,
  ];
  if (f.causedBy) lines.push(`    ${s.dim(`follows from ${f.causedBy}`)}`);
  for (const e of full ? f.evidence : f.evidence.slice(0, 2))
    lines.push(`    - ${capText(e.detail, MAX_EVIDENCE_CHARS)} ${s.dim(`(${e.source})`)}`);
  if (f.nextStep) lines.push(`    ${s.bold("next:")} ${capText(f.nextStep, MAX_EVIDENCE_CHARS)}`);
  if (full && f.resources.length)
    lines.push(
      `    ${s.dim("resources:")} ${f.resources.map((r) => capText(shortArn(r), MAX_EVIDENCE_CHARS)).join(", ")}`,
    );
  for (const fix of f.fixes) {
    const kind = fix.automated ? "automated fix" : "manual fix";
    lines.push(`    ${s.cyan(kind)}: ${capText(fix.summary, MAX_EVIDENCE_CHARS)} ${s.dim(`[${fix.id}]`)}`);
    if (!full) continue;
    // A change whose value stays the same (a bucket named again) is context, not news: skip it.
    for (const c of (fix.changes ?? []).filter((x) => x.current !== x.proposed))
      lines.push(
        `      change ${c.setting}: ${shown(c.current)} -> ${shown(c.proposed)} ${s.dim(`on ${shortArn(c.resource)}`)}`,
      );
    if (fix.automated && fix.changes?.length)
      lines.push(
        `      ${s.dim("apply from Slack: the fix button opens a plan that another person approves")}`,
      );
    for (const sn of fix.snippets ?? []) {
      const code = sn.code.replace(/\n+$/, "").split("\n");
      // One-line snippets sit next to their label; longer ones indent below it.
      if (code.length === 1 && sn.label.length + code[0].length < 90)
        lines.push(`      ${s.dim(sn.label + ":")} ${code[0]}`);
      else lines.push(`      ${s.dim(sn.label + ":")}`, ...code.map((l) => `        ${l}`));
    }
  }
  return lines;
}

/** "kubernetes shop/web (aws-load-balancer-controller, cluster c): change it there, AWS changes are reverted". */
export function managedByText(m: NonNullable<Report["managedBy"]>): string {
  const detail = m.detail ? ` (${capText(m.detail, MAX_EVIDENCE_CHARS)})` : "";
  return `${m.kind} ${capText(m.owner, MAX_EVIDENCE_CHARS)}${detail}: fixes go there; a direct AWS change is reverted by its owner`;
}

/** Counts as integers with thousands separators, fractions to 3 significant digits: no 0.34297913268944574. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  return String(Number(v.toPrecision(3)));
}

/** 0.343 -> "343 ms", 1.4476 -> "1.45 s", 75 -> "75 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${formatNumber(seconds)} s`;
}

/** "2026-03-15 13:30 - 14:30 UTC (1h)"; both dates when the window crosses midnight. */
export function formatWindow(start: string, end: string): string {
  const a = new Date(start);
  const b = new Date(end);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${start} .. ${end}`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const time = (d: Date) => d.toISOString().slice(11, d.getUTCSeconds() ? 19 : 16);
  const to = day(a) === day(b) ? time(b) : `${day(b)} ${time(b)}`;
  return `${day(a)} ${time(a)} - ${to} UTC (${formatDuration(Math.round((b.getTime() - a.getTime()) / 1000))})`;
}

/** A setting's value as people read it: null is "(none)", "" is '""'. */
function shown(value: string | null): string {
  return value === null ? "(none)" : value === "" ? '""' : value;
}

/** "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/3f9a" -> "targetgroup/api/3f9a". */
export function shortArn(id: string): string {
  return /^arn:[^:]+:[^:]+:[^:]*:[^:]*:(.+)$/.exec(id)?.[1] ?? id;
}
