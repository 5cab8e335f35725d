/** `alb-doctor check REF`: the diagnosis for one load balancer, as JSON (--json), Slack blocks (--blocks) or text. */
import type { Command } from "commander";
import type { Report } from "../domain/report.ts";
import type { CliIo } from "./io.ts";
import { renderReportText } from "./report-text.ts";
import { openRuntime } from "./runtime.ts";

export function exitCodeFor(report: Report): number {
  return report.status === "healthy" ? 0 : report.status === "problems-found" ? 1 : 2;
}

export function register(program: Command, io: CliIo): void {
  program
    .command("check")
    .description("Diagnose the 502/504s of one ALB: root cause, evidence, confidence and fixes")
    .argument("<ref>", "load balancer name, ARN, app/NAME/ID or DNS name")
    .option("--region <region>", "AWS region (default: AWS_REGION, or the scenario's)")
    .option("--window <duration>", "how far back to look, e.g. 30m, 1h, 2d", "1h")
    .option("--end <iso>", "end of the window (default: now, or the scenario's clock)")
    .option("--scenario <file>", "run against a simulated account (scenario YAML) instead of AWS")
    .option("--json", "print the report as JSON (the findings.md contract)")
    .option("--blocks", "print the Slack message (Block Kit JSON) and a Block Kit Builder link")
    .option("--concurrency <n>", "access-log objects fetched at once", "8")
    .addHelpText(
      "after",
      "\nExit codes: 0 healthy, 1 problems found, 2 incomplete or usage error.\n" +
        "Examples:\n  alb-doctor check my-alb --window 30m\n  alb-doctor check my-alb --scenario scenarios/keepalive-race.yaml --json\n",
    )
    .action(async (ref: string, opts: Record<string, string | boolean | undefined>) => {
      const runtime = await openRuntime({
        scenario: opts.scenario as string | undefined,
        region: opts.region as string | undefined,
        window: opts.window as string,
        concurrency: Number(opts.concurrency) || 8,
      });
      try {
        const report = await runtime.diagnose(ref, {
          window: opts.window as string,
          end: opts.end as string | undefined,
        });
        if (opts.json) io.out(JSON.stringify(report, null, 2) + "\n");
        else if (opts.blocks) io.out(await renderBlocksForCli(report));
        else io.out(renderReportText(report, { color: io.isTTY && !process.env.NO_COLOR }));
        io.exitCode = exitCodeFor(report);
      } finally {
        await runtime.close();
      }
    });
}

async function renderBlocksForCli(report: Report): Promise<string> {
  const { renderBlocksWithLink } = await import("./blocks.ts");
  return renderBlocksWithLink(report);
}
