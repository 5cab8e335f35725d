/** `alb-doctor audit`: the remediation audit log (plans, approvals, changes with AWS request ids, undos). */
import type { Command } from "commander";
import { AlbDoctorError } from "../domain/errors.ts";
import { terminalText } from "../domain/text.ts";
import type { AuditEntry } from "../store/store.ts";
import type { CliIo } from "./io.ts";

export function register(program: Command, io: CliIo): void {
  program
    .command("audit")
    .description("Show the remediation audit log, newest first (reads the store of REDIS_URL)")
    .option("--json", "print the entries as JSON")
    .option("--limit <n>", "how many entries", "50")
    .option("--lb <ref>", "only entries of this load balancer name, resource (ARN, sg-...) or plan id")
    .addHelpText(
      "after",
      "\nExit codes: 0 printed, 2 usage or configuration error, or the store cannot be read.\n" +
        "\nThe bot's audit log lives in Redis (REDIS_URL, REDIS_KEY_PREFIX). Without REDIS_URL there is no shared\nlog to read: the embedded store only lives inside the bot's process.\n",
    )
    .action(async (opts: { json?: boolean; limit: string; lb?: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new AlbDoctorError(
          "usage",
          `--limit must be a whole number from 1 to 10000, not "${opts.limit}"`,
        );
      // Configuration schema and store (ioredis) load only when the log is read.
      const [{ loadConfig }, { createStore }] = await Promise.all([
        import("../config.ts"),
        import("../store/index.ts"),
      ]);
      const config = loadConfig();
      if (!config.REDIS_URL)
        throw new AlbDoctorError(
          "usage",
          "REDIS_URL is not set: the audit log is kept in the bot's Redis; set REDIS_URL (and REDIS_KEY_PREFIX) to read it",
        );
      const store = createStore(config);
      try {
        const entries = await store.readAudit({ limit, resource: opts.lb });
        if (opts.json) io.out(JSON.stringify(entries, null, 2) + "\n");
        else if (!entries.length) io.out("No audit entries.\n");
        else io.out(entries.map(formatEntry).join("\n") + "\n");
        io.exitCode = 0;
      } finally {
        await store.close();
      }
    });
}

export function formatEntry(e: AuditEntry): string {
  const parts = [e.at, e.event.padEnd(19), e.fixId.padEnd(24), e.loadBalancer, `by ${e.actor}`];
  const change = changeOf(e.before, e.after);
  if (change) parts.push(change);
  if (e.awsRequestId) parts.push(`request ${e.awsRequestId}`);
  if (e.detail) parts.push(`- ${e.detail}`);
  parts.push(`[${e.planId}]`);
  return terminalText(parts.join("  "), { inline: true });
}

function changeOf(before: unknown, after: unknown): string {
  const flat = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (!flat(before) || !flat(after)) return "";
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${String(before[k] ?? "(unset)")} -> ${String(after[k] ?? "(unset)")}`)
    .join(", ");
}
