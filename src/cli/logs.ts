/**
 * `alb-doctor logs`: the access-log analyzer on its own.
 *   alb-doctor logs REF [--window 1h] [--end ISO] [--scenario FILE] [--json]   one LB's logs from S3
 *   alb-doctor logs --files PATH... [--json]                                  local .log / .log.gz files
 *   alb-doctor logs parse PATH... --jsonl                                     every line as JSON
 */
import { DescribeLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Command } from "commander";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../aws/clients.ts";
import { resolveLoadBalancer } from "../aws/resolve.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { LogSummary } from "../domain/log-summary.ts";
import { windowOf } from "../domain/window.ts";
import { analyzeFiles, analyzeWindow, DEFAULT_CONCURRENCY } from "../logs/analyze.ts";
import { parseFilesToJsonl } from "../logs/jsonl.ts";
import { renderLogSummaryText } from "../logs/summary-text.ts";
import { startSimulator } from "../sim/index.ts";
import type { CliIo } from "./io.ts";

type Opts = Record<string, string | string[] | boolean | undefined>;

export function register(program: Command, io: CliIo): void {
  const logs = program
    .command("logs")
    .description("Analyze ALB access logs: every 5xx and 460 by cause, per target, path and minute")
    .argument("[ref]", "load balancer name, ARN, app/NAME/ID or DNS name")
    .option("--files <paths...>", "analyze local .log or .log.gz files instead of S3")
    .option("--window <duration>", "how far back to look, e.g. 30m, 1h, 2d", "1h")
    .option("--end <iso>", "end of the window (default: now, or the scenario's clock)")
    .option("--scenario <file>", "read from a simulated account (scenario YAML) instead of AWS")
    .option("--region <region>", "AWS region (default: AWS_REGION, or the scenario's)")
    .option("--idle-timeout <seconds>", "idle timeout to classify 504s with (--files; default 60)")
    .option("--concurrency <n>", "objects read at once", String(DEFAULT_CONCURRENCY))
    .option(
      "--workers <n>",
      "threads that parse (0: this one; default: one per core, up to 4, for inputs over 8 MB)",
    )
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  alb-doctor logs my-alb --window 30m\n  alb-doctor logs --files ./logs/*.log.gz --json\n" +
        "  alb-doctor logs parse access.log.gz --jsonl | jq 'select(.elb_status_code == 502)'\n",
    )
    .action(async (ref: string | undefined, opts: Opts) => {
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
    .action(async (paths: string[]) => {
      const r = await parseFilesToJsonl(paths, io.out, io.err);
      if (r.malformed || r.failed.length) {
        io.err(`${r.lines} lines, ${r.malformed} could not be parsed, ${r.failed.length} files failed\n`);
      }
      io.exitCode = r.failed.length ? 2 : r.malformed ? 1 : 0;
    });
}

async function analyzeLoadBalancer(
  ref: string,
  opts: Opts,
  scan: { concurrency: number; workers: number | undefined },
): Promise<LogSummary> {
  const sim = opts.scenario ? await startSimulator({ file: String(opts.scenario), port: 0 }) : undefined;
  const aws: AwsClients = sim
    ? createAwsClients({
        region: sim.world.region,
        endpoint: sim.endpoint,
        credentials: SIMULATOR_CREDENTIALS,
      })
    : createAwsClients({ region: opts.region as string | undefined });
  try {
    const now = sim ? sim.world.now : new Date();
    const window = windowOf(String(opts.window), opts.end as string | undefined, now);
    const { lb } = await resolveLoadBalancer(aws, ref);
    const attrs = await lbAttributes(aws, lb.LoadBalancerArn);
    const [, , , region, accountId] = lb.LoadBalancerArn.split(":");
    const lbResourceId = lb.LoadBalancerArn.slice(lb.LoadBalancerArn.indexOf(":loadbalancer/") + 14);
    return await analyzeWindow({
      s3: aws.s3,
      bucket: attrs["access_logs.s3.enabled"] === "true" ? attrs["access_logs.s3.bucket"] : undefined,
      prefix: attrs["access_logs.s3.prefix"] || undefined,
      accountId,
      region,
      lbResourceId,
      window,
      idleTimeoutSeconds: Number(attrs["idle_timeout.timeout_seconds"] ?? 60) || 60,
      ...scan,
    });
  } finally {
    aws.destroy();
    await sim?.close();
  }
}

async function lbAttributes(aws: AwsClients, arn: string): Promise<Record<string, string>> {
  try {
    const r = await aws.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    return Object.fromEntries((r.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
  } catch (e) {
    throw new AlbDoctorError("aws", `could not read the load balancer attributes: ${(e as Error).message}`, {
      cause: e,
    });
  }
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
