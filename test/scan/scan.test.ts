/**
 * The fleet scan through the real SDK clients against a generated two-account fleet with known risks:
 * ranking (the broken ALBs first, the clean ones last with no risk), the accounts' roles, and throttled
 * APIs retried rather than failing.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import { createAccounts } from "../../src/accounts/index.ts";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { scanFleet } from "../../src/scan/fleet.ts";
import { accountScopes } from "../../src/scan/scopes.ts";
import { fleetAccountsYaml, fleetRiskOf, fleetScenario } from "../../src/sim/fleet.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { writeAccountsFile } from "../accounts/fixture.ts";

const FLEET = { accounts: 2, albsPerAccount: 5 };

describe("alb-doctor scan", () => {
  let sim: TestSim;
  beforeAll(async () => {
    const scenario = fleetScenario(FLEET) as { accounts: Record<string, unknown>[] };
    // Every DescribeTargetHealth and the listing of the second account are throttled a few times first.
    scenario.accounts[0].faults = [
      { Service: "elbv2", Action: "DescribeTargetHealth", Error: "Throttling", Times: 3 },
      { Service: "elbv2", Action: "DescribeLoadBalancers", Error: "Throttling", Times: 2 },
    ];
    sim = await startTestSim(scenario, { maxAttempts: 6 });
  });
  afterAll(async () => sim?.close());

  it(
    "ranks every ALB of both accounts by its known risk, retrying throttled calls",
    { timeout: 120_000 },
    async () => {
      const accounts = createAccounts({
        file: writeAccountsFile(fleetAccountsYaml(FLEET)),
        aws: sim.clients,
        credentials: SIMULATOR_CREDENTIALS,
      });
      const scopes = await accountScopes(accounts, sim.clients, { requester: "U0ALICE" });
      const result = await scanFleet(scopes, { now: sim.world.now, concurrency: 3 });
      accounts.close();
      expect(result.failed).toEqual([]);
      expect(result.entries).toHaveLength(10);
      expect(result.entries.every((e) => e.errors.length === 0)).toBe(true);
      const byName = new Map(result.entries.map((e) => [e.name, e]));
      for (let a = 0; a < 2; a++)
        for (let i = 0; i < 5; i++) {
          const e = byName.get(`a${a}-alb-${i}`)!;
          expect(e.account).toBe(`fleet-${a}`);
          const ids = e.risks.map((r) => r.id);
          const risk = fleetRiskOf(i);
          if (risk === "none") expect(e.score).toBe(0);
          else expect(ids).toContain("idle-timeout-vs-keepalive");
          if (risk === "sg-blocks") expect(ids).toContain("sg-blocks-alb-to-target");
          if (risk === "empty") expect(ids).toContain("empty-target-group");
          if (risk === "hc-port") expect(ids).toContain("health-check-other-port");
          if (risk === "unhealthy") expect(ids).toContain("no-healthy-targets");
        }
      // Ranked: scores never rise down the list, and the clean ALBs come last.
      const scores = result.entries.map((e) => e.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      expect(
        result.entries.slice(-2).every((e) => fleetRiskOf(Number(e.name.split("-").pop())) === "none"),
      ).toBe(true);
      expect(result.entries[0].risks.some((r) => r.level === "high")).toBe(true);
      // The throttled calls were retried (the faults were used up), no log was downloaded.
      const second = sim.world.accounts[0].world;
      expect(second.callLog.filter((c) => c.action === "DescribeTargetHealth").length).toBeGreaterThan(5);
      expect([...sim.world.callLog, ...second.callLog].some((c) => c.service === "s3")).toBe(false);
    },
  );
});

describe("alb-doctor scan (CLI)", () => {
  it(
    "without an accounts file scans the own account; --json is the ranking; exit 1 when risks exist",
    { timeout: 120_000 },
    async () => {
      const saved = process.env.ACCOUNTS_FILE;
      delete process.env.ACCOUNTS_FILE;
      const scenario = join(dirname(writeAccountsFile("")), "fleet.yaml");
      writeFileSync(scenario, stringify(fleetScenario(FLEET)));
      const io = captureIo();
      const code = await main(["node", "alb-doctor", "scan", "--scenario", scenario, "--json"], io);
      if (saved !== undefined) process.env.ACCOUNTS_FILE = saved;
      expect(io.stderr).toBe("");
      expect(code).toBe(1);
      const out = JSON.parse(io.stdout) as { entries: { name: string; score: number }[] };
      expect(out.entries.map((e) => e.name).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `a0-alb-${i}`));
      expect(out.entries.at(-1)).toMatchObject({ name: "a0-alb-0", score: 0 });
    },
  );
});
