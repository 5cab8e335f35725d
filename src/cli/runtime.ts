/**
 * What a CLI command runs against: the real AWS account (default credential chain, AWS_ENDPOINT_URL if set),
 * or a scenario served in-process by the simulator (`--scenario FILE`), on the scenario's clock.
 */
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../aws/clients.ts";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AlbDoctorError } from "../domain/errors.ts";
import { createLogScanner } from "../services/log-scanner.ts";
import { createDiagnoser } from "../services/diagnose.ts";
import type { Diagnoser } from "../services/types.ts";
import { startSimulator } from "../sim/index.ts";

export interface Runtime {
  aws: AwsClients;
  diagnose: Diagnoser;
  now: () => Date;
  close(): Promise<void>;
}

export async function openRuntime(options: {
  scenario?: string;
  region?: string;
  window?: string;
  concurrency?: number;
}): Promise<Runtime> {
  if (options.scenario) {
    const sim = await startSimulator({ file: scenarioFile(options.scenario), port: 0 });
    if (options.region && options.region !== sim.world.region) {
      await sim.close();
      throw new AlbDoctorError(
        "wrong-region",
        `${options.scenario}: the simulated account is in ${sim.world.region}, not ${options.region}: drop --region or pass --region ${sim.world.region}`,
      );
    }
    const aws = createAwsClients({
      region: sim.world.region,
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 4,
    });
    const now = () => sim.world.now;
    return {
      aws,
      now,
      diagnose: makeDiagnoser(aws, now, options),
      async close() {
        aws.destroy();
        await sim.close();
      },
    };
  }
  const aws = createAwsClients({ region: options.region });
  const now = () => new Date();
  return {
    aws,
    now,
    diagnose: makeDiagnoser(aws, now, options),
    async close() {
      aws.destroy();
    },
  };
}

function makeDiagnoser(aws: AwsClients, now: () => Date, options: { window?: string; concurrency?: number }) {
  return createDiagnoser({
    aws,
    now,
    defaultWindow: options.window ?? "1h",
    scanLogs: createLogScanner(aws, { concurrency: options.concurrency ?? 8 }),
  });
}

const SHIPPED_SCENARIOS = fileURLToPath(new URL("../../scenarios/", import.meta.url));

/** `--scenario keepalive-race` means the shipped scenarios/keepalive-race.yaml when no such file is here. */
export function scenarioFile(given: string): string {
  if (existsSync(given) || /[\\/]|\.(ya?ml|json)$/i.test(given)) return given;
  const shipped = `${SHIPPED_SCENARIOS}${given}.yaml`;
  return existsSync(shipped) ? shipped : given;
}
