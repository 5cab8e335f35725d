/**
 * `alb-doctor logs`: the access-log analyzer on its own.
 *   alb-doctor logs REF [--window 1h] [--end ISO] [--scenario FILE] [--json]   one LB's logs from S3
 *   alb-doctor logs --files PATH... [--json]                                  local .log / .log.gz files
 *   alb-doctor logs parse PATH... --jsonl                                     every line as JSON
 */
import type { Command } from "commander";
import { AlbDoctorError } from "../domain/errors.ts";
import type { LogSummary } from "../domain/log-summary.ts";
import { windowOf } from "../domain/window.ts";
import type { CliIo } from "./io.ts";

export type Opts = Record<string, string | string[] | boolean | undefined>;

export function register(program: Command, io: CliIo): void {
  const logs = program
    .command("logs")
    .description("Analyze ALB access logs: every 5xx and 460 by cause, per target, path and minute")
    .argument("[ref]", "load balancer name, ARN, app/NAME/ID or DNS name")
    .option("--files <paths...>", "analyze local .log or .log.gz files instead of S3")
    .option("--window <duration>", "how far back to look, e.g. 30m, 1h, 2d", "1h")
    .option("--end <iso>", "end of the window (default: now, or the scenario's clock)")
    .option(
      "--scenario <file>",
      "read from a simulated account instead of AWS: a scenario YAML, or a shipped scenario's name",
    )
    .option("--region <region>", "AWS region (default: AWS_REGION, or the scenario's)")
    .option("--idle-timeout <seconds>", "idle timeout to classify 504s with (--files; default 60)")
    .option("--concurrency <n>", "objects read at once (default: 8)")
    .option(
      "--workers <n>",
      "threads that parse (0: this one; default: one per core, up to 4, for inputs over 8 MB)",
    )
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 analyzed, 2 usage error, an object that could not be read, or malformed lines.\n" +
        "\nExamples:\n  alb-doctor logs my-alb --window 30m\n  alb-doctor logs --files ./logs/*.log.gz --json\n" +
        "  alb-doctor logs parse access.log.gz --jsonl | jq 'select(.elb_status_code == 502)'\n",
    )
    .action(async (ref: string | undefined, opts: Opts) => {
      // The parser and the S3 client load only when logs are analyzed (not for --help or other commands).
      const [{ analyzeFiles, DEFAULT_CONCURRENCY }, { renderLogSummaryText }] = await Promise.all([
        import("../logs/analyze.ts"),
        import("../logs/summary-text.ts"),
      ]);
      const concurrency = positive(opts.concurrency, "--concurrency") ?? DEFAULT_CONCURRENCY;
      const workers = opts.workers === undefined ? undefined : count(opts.workers, "--workers");
      let summary: LogSummary;
      if (opts.files) {
        const idle = positive(opts.idleTimeout, "--idle-timeout") ?? 60;
        const window = opts.end ? windowOf(String(opts.window), String(opts.end), new Date()) : undefined;
        summary = await analyzeFiles(opts.files as string[], {
          idleTimeoutSeconds: idle,
          window,
          concurrency,
          workers,
        });
        const paths = opts.files as string[];
        if (summary.objects.failed.length === paths.length) {
          // Nothing could be read: say why, rather than print an empty summary.
          for (const f of summary.objects.failed) io.err(`alb-doctor: ${f.key}: ${f.reason}\n`);
          io.exitCode = 2;
          return;
        }
      } else {
        if (!ref) throw new AlbDoctorError("usage", "give a load balancer (REF) or --files PATH...");
        const { analyzeLoadBalancer } = await import("./logs-s3.ts");
        summary = await analyzeLoadBalancer(ref, opts, { concurrency, workers });
      }
      io.out(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : renderLogSummaryText(summary));
      io.exitCode = summary.objects.failed.length || summary.lines.malformed ? 2 : 0;
    });

  logs
    .command("parse")
    .description(
      "Print every line of local .log/.log.gz files as one JSON object (field names as AWS documents them)",
    )
    .argument("<paths...>", "access-log files")
    .option("--jsonl", "one JSON object per line (the only format; the flag says so explicitly)")
    .addHelpText("after", "\nExit codes: 0 every line parsed, 1 some lines malformed, 2 a file failed.\n")
    .action(async (paths: string[]) => {
      const { parseFilesToJsonl } = await import("../logs/jsonl.ts");
      const r = await parseFilesToJsonl(paths, io.out, io.err);
      if (r.malformed || r.failed.length) {
        io.err(`${r.lines} lines, ${r.malformed} could not be parsed, ${r.failed.length} files failed\n`);
      }
      io.exitCode = r.failed.length ? 2 : r.malformed ? 1 : 0;
    });
}

function positive(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new AlbDoctorError("usage", `${flag} must be a positive number`);
  return n;
}

function count(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 16) {
    throw new AlbDoctorError("usage", `${flag} must be a whole number from 0 to 16`);
  }
  return n;
}
