/** `alb-doctor scan`: every ALB in scope ranked by latent risk from configuration alone (src/scan). */
import type { Command } from "commander";
import type { ScanResult } from "../scan/fleet.ts";
import { terminalText } from "../domain/text.ts";
import { cliRequester } from "./check.ts";
import type { CliIo } from "./io.ts";

interface ScanCliOptions {
  account: string[];
  region: string[];
  json?: boolean;
  scenario?: string;
  concurrency: string;
}

const collect = (v: string, all: string[]) => [...all, v];

export function register(program: Command, io: CliIo): void {
  program
    .command("scan")
    .description("Rank every ALB in scope by latent 502/504 risk, from configuration and metrics only")
    .option("--account <alias>", "an account of ACCOUNTS_FILE (repeatable; default: all)", collect, [])
    .option("--region <region>", "a region (repeatable; default: each account's regions)", collect, [])
    .option("--json", "print the ranking as JSON")
    .option("--scenario <file>", "run against a simulated account (a scenario YAML)")
    .option("--concurrency <n>", "ALBs collected at once", "8")
    .action(async (opts: ScanCliOptions) => {
      // Loaded on use: `--help` and the other subcommands need none of the scan's AWS clients.
      const [{ openRuntime }, { accountScopes }, { scanFleet }] = await Promise.all([
        import("./runtime.ts"),
        import("../scan/scopes.ts"),
        import("../scan/fleet.ts"),
      ]);
      const accountsFile = process.env.ACCOUNTS_FILE || undefined;
      const runtime = await openRuntime({ scenario: opts.scenario, accountsFile });
      try {
        const scopes = await accountScopes(runtime.accounts, runtime.aws, {
          accounts: opts.account,
          regions: opts.region,
          requester: await cliRequester(),
        });
        const result = await scanFleet(scopes, {
          now: runtime.now(),
          concurrency: Math.max(1, Math.min(64, Number(opts.concurrency) || 8)),
        });
        io.out(opts.json ? JSON.stringify(result, null, 2) + "\n" : renderScanText(result));
        io.exitCode = result.failed.length ? 2 : result.entries.some((e) => e.score > 0) ? 1 : 0;
      } finally {
        await runtime.close();
      }
    });
}

export function renderScanText(result: ScanResult): string {
  const lines = [
    `${result.entries.length} ALBs, ranked by latent risk (${Math.round(result.durationMs)} ms)`,
  ];
  for (const e of result.entries) {
    const where = [e.account, e.region].filter(Boolean).join("/");
    lines.push(`${String(e.score).padStart(3)}  ${terminalText(`${where}/${e.name}`)}`);
    for (const r of e.risks) lines.push(`       ${r.level.padEnd(6)} ${terminalText(r.detail)}`);
    for (const err of e.errors) lines.push(`       could not read: ${terminalText(err)}`);
  }
  for (const f of result.failed)
    lines.push(
      `could not list ${terminalText([f.account, f.region].filter(Boolean).join("/"))}: ${terminalText(f.error)}`,
    );
  return lines.join("\n") + "\n";
}
