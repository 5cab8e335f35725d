/**
 * `alb-doctor sim FILE [--port N] [--live]`: serve a scenario as a simulated AWS account until Ctrl-C,
 * printing the endpoint and the environment other programs need.
 * `alb-doctor scenarios [--dir DIR] [--json]`: list the scenarios shipped in the repo.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { SIMULATOR_CREDENTIALS } from "../aws/clients.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { startSimulator } from "../sim/index.ts";
import type { CliIo } from "./io.ts";
import { SCENARIOS_DIR } from "./runtime.ts";

type Opts = Record<string, string | boolean | undefined>;

export function register(program: Command, io: CliIo): void {
  program
    .command("sim")
    .description("Serve a scenario as a simulated AWS account (ELBv2, EC2, CloudWatch, S3, STS) until Ctrl-C")
    .argument("<file>", "scenario YAML or JSON (see `alb-doctor scenarios`)")
    .option("--port <n>", "port to listen on (0 = any free port)", "4566")
    .option("--live", "replay on the wall clock: the scenario's `now` becomes the current time")
    .addHelpText("after", "\nExample:\n  alb-doctor sim scenarios/keepalive-race.yaml --port 4566 --live\n")
    .action(async (file: string, opts: Opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new AlbDoctorError("usage", `--port: expected 0..65535, got ${String(opts.port)}`);
      }
      const sim = await startSimulator({ file, port, live: Boolean(opts.live) });
      const w = sim.world;
      io.out(
        [
          `Simulating "${w.name}"${w.description ? `: ${w.description.trim().split("\n")[0]}` : ""}`,
          `  endpoint  ${sim.endpoint}`,
          `  clock     ${w.now.toISOString()}${opts.live ? " (live: shifted to the wall clock)" : ""}`,
          `  account   ${w.accountId} in ${w.region}`,
          ...w.accounts.map(
            (a) =>
              `  account   ${a.accountId} in ${a.region}${a.alias ? ` (${a.alias})` : ""}` +
              (a.roleName ? `, via AssumeRole of arn:aws:iam::${a.accountId}:role/${a.roleName}` : ""),
          ),
          ...w.loadBalancers.map((lb) => `  ALB       ${lb.LoadBalancerName}  ${lb.LoadBalancerArn}`),
          "",
          "Set in the shell of the program that should use it:",
          `  export AWS_ENDPOINT_URL=${sim.endpoint}`,
          `  export AWS_REGION=${w.region}`,
          `  export AWS_ACCESS_KEY_ID=${SIMULATOR_CREDENTIALS.accessKeyId}`,
          `  export AWS_SECRET_ACCESS_KEY=${SIMULATOR_CREDENTIALS.secretAccessKey}`,
          "",
          "Press Ctrl-C to stop; send SIGHUP to reset the account to the scenario.",
          "",
        ].join("\n"),
      );
      // SIGHUP puts the account back as the scenario describes it (after a demo's fixes, say).
      const onHangup = () => {
        try {
          sim.reload?.();
          io.out(`Reloaded ${file}: state, faults and call log reset.\n`);
        } catch (e) {
          io.err(`alb-doctor: reload failed, still serving the previous state: ${(e as Error).message}\n`);
        }
      };
      process.on("SIGHUP", onHangup);
      await untilStopped();
      process.off("SIGHUP", onHangup);
      await sim.close();
      io.out(`\nStopped after ${w.callLog.length} AWS calls.\n`);
    });

  program
    .command("scenarios")
    .description("List the scenarios shipped with alb-doctor (for `sim` and `check --scenario`)")
    .option("--dir <dir>", "directory to list", SCENARIOS_DIR)
    .option("--json", "print as JSON")
    .action((opts: Opts) => {
      const list = listScenarios(String(opts.dir));
      if (opts.json) {
        io.out(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        io.out(`No scenarios in ${String(opts.dir)}\n`);
        return;
      }
      const width = Math.max(...list.map((s) => s.name.length));
      for (const s of list) io.out(`${s.name.padEnd(width)}  ${s.description}\n`);
      io.out(
        `\n${list.length} scenarios in ${String(opts.dir)}; serve one with: alb-doctor sim ${join(String(opts.dir), list[0].file)}\n`,
      );
    });
}

export interface ScenarioListing {
  file: string;
  name: string;
  description: string;
}

/** Name and first description line of each scenario file (read as YAML only; `sim` validates fully). */
export function listScenarios(dir: string): ScenarioListing[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f));
  } catch (e) {
    throw new AlbDoctorError("usage", `cannot list scenarios in ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return files.sort().map((file) => {
    const base = file.replace(/\.(ya?ml|json)$/i, "");
    try {
      const doc = parseYaml(readFileSync(join(dir, file), "utf8")) as {
        name?: unknown;
        description?: unknown;
      } | null;
      const description = typeof doc?.description === "string" ? doc.description.trim().split("\n")[0] : "";
      return { file, name: typeof doc?.name === "string" ? doc.name : base, description };
    } catch (e) {
      return { file, name: base, description: `(unreadable: ${(e as Error).message.split("\n")[0]})` };
    }
  });
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
