/** `alb-doctor check REF`: the diagnosis for one load balancer, as JSON (--json), Slack blocks (--blocks) or text. */
import { InvalidArgumentError, Option, type Command } from "commander";
import { userInfo } from "node:os";
import type { Report } from "../domain/report.ts";
import { parseDuration, parseEnd } from "../domain/window.ts";
import type { CliIo } from "./io.ts";

export function exitCodeFor(report: Report): number {
  return report.status === "healthy" ? 0 : report.status === "problems-found" ? 1 : 2;
}

interface CheckOptions {
  region?: string;
  account?: string;
  window: string;
  end?: string;
  scenario?: string;
  json?: boolean;
  blocks?: boolean;
  builderLink?: boolean;
  concurrency: number;
}

const MAX_CONCURRENCY = 64;

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_CONCURRENCY)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_CONCURRENCY}.`);
  return n;
}

export function register(program: Command, io: CliIo): void {
  program
    .command("check")
    .description("Diagnose the 502/504s of one ALB: root cause, evidence, confidence and fixes")
    .argument("<ref>", "load balancer name, ARN, app/NAME/ID or DNS name")
    .option("--region <region>", "AWS region (default: AWS_REGION, the scenario's, or the account's first)")
    .option("--account <alias>", "an account of ACCOUNTS_FILE (default: the one without a role)")
    .option("--window <duration>", "how far back to look, 1m..14d, e.g. 30m, 1h, 2d", "1h")
    .option("--end <iso>", "end of the window, ISO 8601 (default: now, or the scenario's clock)")
    .option(
      "--scenario <file>",
      "run against a simulated account instead of AWS: a scenario YAML, or a shipped scenario's name (see alb-doctor scenarios)",
    )
    .addOption(
      new Option("--json", "print the report as JSON (the findings.md contract)").conflicts("blocks"),
    )
    .option("--blocks", "print the Slack message the bot would post (Block Kit JSON)")
    .addOption(
      new Option(
        "--builder-link",
        "print a Block Kit Builder link that shows the Slack message, instead of the JSON",
      ).conflicts(["json", "blocks"]),
    )
    .option("--concurrency <n>", "access-log objects fetched at once", parseConcurrency, 8)
    .addHelpText(
      "after",
      "\nExit codes: 0 healthy, 1 problems found, 2 incomplete, no data in the window (nothing to judge: never healthy) or usage error.\n" +
        "Examples:\n  alb-doctor check my-alb --window 30m\n  alb-doctor check my-alb --scenario scenarios/keepalive-race.yaml --json\n",
    )
    .action(async (ref: string, opts: CheckOptions) => {
      // Loaded only when a check runs: `--help` and the other subcommands do not pay for the SDK clients,
      // the accounts file's schema or the simulator.
      const [{ splitAccountRef }, { parseLbRef }, { openRuntime }, { renderReportText }] = await Promise.all([
        import("../accounts/ref.ts"),
        import("../aws/arn.ts"),
        import("./runtime.ts"),
        import("./report-text.ts"),
      ]);
      // Bad input fails here, before any AWS call or simulator start.
      const accountsFile = process.env.ACCOUNTS_FILE || undefined;
      parseLbRef(splitAccountRef(ref).lbRef);
      parseDuration(opts.window);
      parseEnd(opts.end, new Date());
      const runtime = await openRuntime({
        scenario: opts.scenario,
        // With an accounts file the region is the account's (checked against its list), not the simulator's.
        region: accountsFile ? undefined : opts.region,
        window: opts.window,
        concurrency: opts.concurrency,
        accountsFile,
      });
      try {
        const { lbRef, target } = await runtime.accounts.resolve(ref, {
          requester: await cliRequester(),
          account: opts.account,
          region: accountsFile ? opts.region : undefined,
        });
        const report = await runtime.diagnose(lbRef, { window: opts.window, end: opts.end, target });
        if (opts.json) io.out(JSON.stringify(report, null, 2) + "\n");
        else if (opts.blocks || opts.builderLink) io.out(await renderBlocksForCli(report, opts));
        else io.out(renderReportText(report, { color: io.color ?? false }));
        io.exitCode = exitCodeFor(report);
      } finally {
        await runtime.close();
      }
    });
}

async function renderBlocksForCli(report: Report, opts: CheckOptions): Promise<string> {
  const { renderBlocksJson, renderBuilderLink } = await import("./blocks.ts");
  return opts.builderLink ? renderBuilderLink(report) : renderBlocksJson(report);
}

/** Who runs the CLI, as the SourceIdentity of an assumed role ("cli-<login>"). */
export async function cliRequester(): Promise<string> {
  const { stsSafe } = await import("../accounts/assume.ts");
  let login = "unknown";
  try {
    login = userInfo().username;
  } catch {
    // no passwd entry (some containers): stay "unknown"
  }
  return stsSafe(`cli-${login}`);
}
