/**
 * The `alb-doctor` command line. Each subcommand lives in its own module under src/cli/ and exports
 * `register(program, io)`; this file only composes them. `main` returns the exit code:
 * 0 healthy / ok, 1 problems found, 2 incomplete or usage error.
 */
import { Command, CommanderError } from "commander";
import { isAlbDoctorError } from "../domain/errors.ts";
import type { CliIo } from "./io.ts";
import { processIo } from "./io.ts";
import { register as registerAudit } from "./audit.ts";
import { register as registerCheck } from "./check.ts";
import { register as registerLogs } from "./logs.ts";
import { register as registerSim } from "./sim.ts";

type Registrar = (program: Command, io: CliIo) => void;

const registrars: Registrar[] = [
  registerCheck,
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
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  for (const register of registrars) register(program, io);
  try {
    await program.parseAsync(argv);
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isAlbDoctorError(e)) {
      io.err(`alb-doctor: ${e.message}\n`);
      return 2;
    }
    io.err(`alb-doctor: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
