/** The report for people in a terminal: root cause first, its evidence and fixes, then the rest. */
import type { Finding, Report } from "../domain/report.ts";

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

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

export function renderReportText(report: Report, options: { color?: boolean } = {}): string {
  const s = options.color ? ansi : plain;
  const out: string[] = [];
  const lb = report.loadBalancer;
  const status =
    report.status === "healthy"
      ? s.green("HEALTHY")
      : report.status === "incomplete"
        ? s.yellow("INCOMPLETE")
        : s.red("PROBLEMS FOUND");
  out.push(`${s.bold(lb.name)}  ${status}`);
  out.push(s.dim(`${lb.arn}`));
  out.push(s.dim(`window ${report.window.start} .. ${report.window.end}`));
  const f = report.figures;
  if (f) {
    const fig = (label: string, v: number | null, unit = "") =>
      `${label} ${v === null ? "n/a" : `${v}${unit}`}`;
    out.push(
      [
        fig("ELB 502", f.elb502),
        fig("ELB 504", f.elb504),
        fig("target 5xx", f.target5xx),
        `unhealthy ${f.unhealthyTargets}/${f.totalTargets}`,
        fig("idle timeout", f.idleTimeoutSeconds, "s"),
        fig("p99", f.targetResponseP99, "s"),
      ].join("  |  "),
    );
  }
  out.push("");
  const [root, ...rest] = report.findings;
  if (!root) {
    out.push(s.green("No problems found."));
  } else {
    out.push(s.bold("Root cause"));
    out.push(...renderFinding(root, s, true));
    const others = rest.filter((x) => x.severity !== "info" || report.findings.length < 8);
    if (others.length) {
      out.push("", s.bold("Other findings"));
      for (const x of others) out.push(...renderFinding(x, s, false));
    }
  }
  const failed = report.checks.filter((c) => c.status !== "ok");
  if (failed.length) {
    out.push("", s.bold("Checks that did not run fully"));
    for (const c of failed)
      out.push(`  ${c.status === "error" ? s.red("x") : s.dim("-")} ${c.id}: ${c.error ?? c.note ?? ""}`);
  }
  if (report.durationMs !== undefined)
    out.push("", s.dim(`diagnosed in ${Math.round(report.durationMs)} ms`));
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
    `  ${s.bold(f.title)}  ${s.dim(`[${f.id}]`)} ${sev}, confidence ${Math.round(f.confidence * 100)}%`,
  ];
  if (f.causedBy) lines.push(`    ${s.dim(`follows from ${f.causedBy}`)}`);
  for (const e of full ? f.evidence : f.evidence.slice(0, 2))
    lines.push(`    - ${e.detail} ${s.dim(`(${e.source})`)}`);
  if (full && f.resources.length) lines.push(`    ${s.dim("resources:")} ${f.resources.join(", ")}`);
  for (const fix of f.fixes) {
    lines.push(
      `    ${s.cyan(fix.automated ? "fix (automated)" : "fix")}: ${fix.summary} ${s.dim(`[${fix.id}]`)}`,
    );
    if (!full) continue;
    for (const c of fix.changes ?? [])
      lines.push(`      ${c.setting}: ${c.current ?? "(none)"} -> ${c.proposed}  ${s.dim(c.resource)}`);
    for (const sn of fix.snippets ?? []) {
      lines.push(`      ${s.dim(sn.label + ":")}`);
      for (const l of sn.code.split("\n")) lines.push(`        ${l}`);
    }
  }
  return lines;
}
