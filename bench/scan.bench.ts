/**
 * The fleet scan at size: 200 ALBs across 4 simulated accounts (src/sim/fleet.ts), through the real SDK
 * clients and AssumeRole, with the scan's default concurrency. Prints the time and the API calls per service.
 *   npx tsx bench/scan.bench.ts [accounts] [albsPerAccount] [concurrency]
 */
import { createAccounts } from "../src/accounts/index.ts";
import { createAwsClients, SIMULATOR_CREDENTIALS } from "../src/aws/clients.ts";
import { scanFleet } from "../src/scan/fleet.ts";
import { accountScopes } from "../src/scan/scopes.ts";
import { fleetAccountsYaml, fleetScenario } from "../src/sim/fleet.ts";
import { startSimulator } from "../src/sim/index.ts";
import { loadScenarioObject } from "../src/sim/scenario.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [accountsN = 4, perAccount = 50, concurrency = 8] = process.argv.slice(2).map(Number);
const options = { accounts: accountsN, albsPerAccount: perAccount };
const sim = await startSimulator({ world: loadScenarioObject(fleetScenario(options), "<fleet>") });
const aws = createAwsClients({
  region: "us-east-1",
  endpoint: sim.endpoint,
  credentials: SIMULATOR_CREDENTIALS,
});
const file = join(mkdtempSync(join(tmpdir(), "scan-bench-")), "accounts.yaml");
writeFileSync(file, fleetAccountsYaml(options));
const accounts = createAccounts({ file, aws, credentials: SIMULATOR_CREDENTIALS });
const started = performance.now();
const scopes = await accountScopes(accounts, aws, { requester: "bench" });
const result = await scanFleet(scopes, { now: sim.world.now, concurrency });
const ms = performance.now() - started;
const calls = [sim.world, ...sim.world.accounts.map((a) => a.world)].flatMap((w) => w.callLog);
const byService: Record<string, number> = {};
for (const c of calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
console.log(
  JSON.stringify({
    albs: result.entries.length,
    accounts: accountsN,
    concurrency,
    ms: Math.round(ms),
    apiCalls: calls.length,
    callsPerAlb: +(calls.length / Math.max(1, result.entries.length)).toFixed(1),
    byService,
    failed: result.failed.length,
    withErrors: result.entries.filter((e) => e.errors.length).length,
  }),
);
accounts.close();
aws.destroy();
await sim.close();
