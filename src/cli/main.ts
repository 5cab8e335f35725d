/**
 * The `alb-doctor` command line. Each subcommand lives in its own module under src/cli/ and exports
 * `register(program, io)`; this file only composes them. `main` returns the exit code:
 * 0 healthy / ok, 1 problems found, 2 incomplete, no data in the window or usage error. Every error is one line on stderr starting
 * `alb-doctor:` (a scenario file with several problems gets one line per problem), never a stack trace
 * unless ALB_DOCTOR_DEBUG is set.
 */
import { Command, CommanderError } from "commander";
import { isAlbDoctorError } from "../domain/errors.ts";
import { terminalText } from "../domain/text.ts";
import type { CliIo } from "./io.ts";
import { processIo } from "./io.ts";
import { register as registerAudit } from "./audit.ts";
import { register as registerCheck } from "./check.ts";
import { register as registerLogs } from "./logs.ts";
import { register as registerScan } from "./scan.ts";
import { register as registerSim } from "./sim.ts";

type Registrar = (program: Command, io: CliIo) => void;

const registrars: Registrar[] = [
  registerCheck,
  registerScan,
  // subcommands add themselves here, one line each
  registerLogs,
  registerSim,
  registerAudit,
];

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command("alb-doctor")
    .description("Find out why an AWS Application Load Balancer answers 502/504, and fix the cause safely.")
    .version("0.1.0")
    .exitOverride()
    // Commander's own error text is rewritten into one `alb-doctor:` line in the catch below.
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {} });
  for (const register of registrars) register(program, io);
  program.addHelpText(
    "after",
    "\nTry it on a simulated account (no AWS needed):\n" +
      "  alb-doctor scenarios\n  alb-doctor check shop-prod --scenario scenarios/keepalive-race.yaml\n" +
      "\nExit codes (every command: 2 for a usage error, see each command's --help):\n" +
      "  check       0 healthy, 1 problems found, 2 incomplete or no data in the window (never healthy)\n" +
      "  scan        0 no latent risk, 1 risks found, 2 an account or region could not be listed\n" +
      "  logs        0 analyzed, 2 an object unreadable or lines malformed (logs parse: 1 malformed, 2 a file failed)\n" +
      "  sim         0 stopped by Ctrl-C/SIGTERM, 2 the scenario does not load\n" +
      "  scenarios   0 listed, 2 the directory cannot be read\n" +
      "  audit       0 printed, 2 configuration or store error\n",
  );
  const args = argv.slice(2);
  const commands = program.commands.map((c) => c.name());
  if (args.length === 0) {
    io.err(`alb-doctor: no command given: one of ${commands.join(", ")}; see alb-doctor --help\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv);
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      const command = args.find((a) => commands.includes(a));
      io.err(
        `alb-doctor: ${commanderMessage(e.message)}; see alb-doctor ${command ? command + " " : ""}--help\n`,
      );
      return 2;
    }
    for (const line of errorLines(e)) io.err(`alb-doctor: ${terminalText(line, { inline: true })}\n`);
    if (process.env.ALB_DOCTOR_DEBUG && e instanceof Error && e.stack) io.err(e.stack + "\n");
    return 2;
  }
}

/** "error: unknown option '--x'\n(Did you mean --json?)" -> "unknown option '--x' (did you mean --json?)" */
function commanderMessage(message: string): string {
  return message
    .replace(/^error:\s*/, "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ")
    .replace("(Did you mean", "(did you mean");
}

/** The lines to show for an error: scenario problems one per line, otherwise the first line of the message. */
function errorLines(e: unknown): string[] {
  if (!isAlbDoctorError(e)) {
    const message = e instanceof Error ? e.message : String(e);
    return [`unexpected error: ${firstLine(message)} (set ALB_DOCTOR_DEBUG=1 for the stack trace)`];
  }
  if (Array.isArray(e.details?.problems)) return e.message.split("\n").filter((l) => l.trim());
  if (e.code === "config") {
    // "invalid configuration:\n  VAR: reason" -> one line per variable, each naming it and the reason.
    const [head, ...rest] = e.message
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return rest.length ? rest.map((l) => `${head!.replace(/:$/, "")}: ${l}`) : [firstLine(e.message)];
  }
  return [firstLine(e.message)];
}

function firstLine(message: string): string {
  const line = message.split("\n").find((l) => l.trim()) ?? "";
  return line.trim().replace(/:$/, "") || "(no message)";
}
