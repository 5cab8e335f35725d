/**
 * `alb-doctor sim FILE [--port N] [--live]`: serve a scenario as a simulated AWS account until Ctrl-C,
 * printing the endpoint and the environment other programs need.
 * `alb-doctor scenarios [--dir DIR] [--json]`: list the scenarios shipped in the repo.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { SIMULATOR_CREDENTIALS } from "../aws/sim-credentials.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { CliIo } from "./io.ts";
import { SCENARIOS_DIR, scenarioFile } from "./scenario-file.ts";

type Opts = Record<string, string | boolean | undefined>;

export function register(program: Command, io: CliIo): void {
  program
    .command("sim")
    .description("Serve a scenario as a simulated AWS account (ELBv2, EC2, CloudWatch, S3, STS) until Ctrl-C")
    .argument("[file]", "scenario YAML or JSON, or a shipped scenario's name (see `alb-doctor scenarios`)")
    .option("--scenario <file>", "the same as the file argument (as `check` and `logs` take it)")
    .option("--port <n>", "port to listen on (0 = any free port)", "4566")
    .option("--live", "replay on the wall clock: the scenario's `now` becomes the current time")
    .addHelpText(
      "after",
      "\nExit codes: 0 stopped by Ctrl-C/SIGTERM, 2 usage error or a scenario that does not load.\n" +
        "Example:\n  alb-doctor sim keepalive-race --port 4566 --live\n",
    )
    .action(async (given: string | undefined, opts: Opts) => {
      if (given && opts.scenario && given !== opts.scenario)
        throw new AlbDoctorError("usage", "give the scenario once: as the file argument or as --scenario");
      const named = given ?? (typeof opts.scenario === "string" ? opts.scenario : undefined);
      if (!named) throw new AlbDoctorError("usage", "missing the scenario: alb-doctor sim FILE|NAME");
      const file = scenarioFile(named);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new AlbDoctorError("usage", `--port: expected 0..65535, got ${String(opts.port)}`);
      }
      const { startSimulator } = await import("../sim/index.ts");
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
          // AWS CLI v1 and some SDKs read only AWS_DEFAULT_REGION.
          `  export AWS_DEFAULT_REGION=${w.region}`,
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
    .addHelpText("after", "\nExit codes: 0 listed, 2 the directory cannot be read.\n")
    .action(async (opts: Opts) => {
      const list = await listScenarios(String(opts.dir));
      if (opts.json) {
        io.out(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        io.out(`No scenarios in ${String(opts.dir)}\n`);
        return;
      }
      const width = Math.max(...list.map((s) => s.name.length));
      for (const s of list) {
        io.out(`${s.name.padEnd(width)}  ${s.description}\n`);
        const lbs = s.loadBalancers.length ? s.loadBalancers.join(", ") : "(none)";
        io.out(
          `${"".padEnd(width)}  load balancers: ${lbs}; root cause: ${s.rootCause ?? "(not declared)"}\n`,
        );
      }
      io.out(
        `\n${list.length} scenarios in ${String(opts.dir)}; serve one with: alb-doctor sim ${join(String(opts.dir), list[0].file)}\n`,
      );
    });
}

export interface ScenarioListing {
  file: string;
  name: string;
  description: string;
  /** The load balancers to check (`alb-doctor check NAME --scenario FILE`). */
  loadBalancers: string[];
  /** The root cause the scenario declares in its expect block (healthy scenarios: "healthy"). */
  rootCause?: string;
}

/** Name, first description line, load balancers and declared root cause of each scenario file (read as
 * YAML only; `sim` validates fully). */
export async function listScenarios(dir: string): Promise<ScenarioListing[]> {
  const { parse: parseYaml } = await import("yaml");
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
        loadBalancers?: unknown;
        expect?: { rootCause?: unknown; status?: unknown };
      } | null;
      const description = typeof doc?.description === "string" ? doc.description.trim().split("\n")[0] : "";
      const loadBalancers = (Array.isArray(doc?.loadBalancers) ? doc.loadBalancers : [])
        .map((lb: { LoadBalancerName?: unknown } | null) => lb?.LoadBalancerName)
        .filter((n): n is string => typeof n === "string");
      const declared = doc?.expect?.rootCause;
      const rootCause =
        typeof declared === "string"
          ? declared
          : doc?.expect?.status === "healthy"
            ? "none (healthy)"
            : undefined;
      return {
        file,
        name: typeof doc?.name === "string" ? doc.name : base,
        description,
        loadBalancers,
        rootCause,
      };
    } catch (e) {
      const description = `(unreadable: ${(e as Error).message.split("\n")[0]})`;
      return { file, name: base, description, loadBalancers: [] };
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
