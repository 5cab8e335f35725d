/**
 * What a CLI command runs against: the real AWS account (default credential chain, AWS_ENDPOINT_URL if set),
 * or a scenario served in-process by the simulator (`--scenario FILE`), on the scenario's clock.
 */
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../aws/clients.ts";
import { type Accounts, createAccounts } from "../accounts/index.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { scenarioFile } from "./scenario-file.ts";
import { createLogScanner } from "../services/log-scanner.ts";
import { createDiagnoser } from "../services/diagnose.ts";
import type { Diagnoser } from "../services/types.ts";

export { SCENARIOS_DIR, scenarioFile } from "./scenario-file.ts";

export interface Runtime {
  aws: AwsClients;
  diagnose: Diagnoser;
  accounts: Accounts;
  now: () => Date;
  close(): Promise<void>;
}

export async function openRuntime(options: {
  scenario?: string;
  region?: string;
  window?: string;
  concurrency?: number;
  /** The accounts file (ACCOUNTS_FILE); absent: the credentials' own account. */
  accountsFile?: string;
}): Promise<Runtime> {
  const sim = options.scenario ? await startScenario(options.scenario, options.region) : undefined;
  const aws = sim
    ? createAwsClients({
        region: sim.world.region,
        endpoint: sim.endpoint,
        credentials: SIMULATOR_CREDENTIALS,
        maxAttempts: 4,
      })
    : createAwsClients({ region: options.region });
  const now = sim ? () => sim.world.now : () => new Date();
  const credentials = sim ? SIMULATOR_CREDENTIALS : undefined;
  const scannerFor = (clients: AwsClients) =>
    createLogScanner(clients, { concurrency: options.concurrency ?? 8 });
  const accounts = createAccounts({ file: options.accountsFile, aws, credentials });
  return {
    aws,
    now,
    accounts,
    diagnose: createDiagnoser({
      aws,
      now,
      defaultWindow: options.window ?? "1h",
      credentials,
      scanLogs: scannerFor(aws),
      scannerFor,
    }),
    async close() {
      accounts.close();
      aws.destroy();
      await sim?.close();
    },
  };
}

/** The scenario served in-process; a --region other than the simulated account's is refused. */
async function startScenario(scenario: string, region: string | undefined) {
  // The simulator is loaded only for --scenario: a check of a real account does not pay for it.
  const { startSimulator } = await import("../sim/index.ts");
  const sim = await startSimulator({ file: scenarioFile(scenario), port: 0 });
  if (region && region !== sim.world.region) {
    await sim.close();
    throw new AlbDoctorError(
      "wrong-region",
      `${scenario}: the simulated account is in ${sim.world.region}, not ${region}: drop --region or pass --region ${sim.world.region}`,
    );
  }
  return sim;
}
