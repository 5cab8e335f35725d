/**
 * An empty window and the clock that placed it, end to end: the real SDK clients against the simulator over
 * HTTP. The simulated account dates its answers by its own clock (the Date header, as AWS does), so a diagnosis
 * whose window came from another clock (a scenario served without --live, a machine clock that is off) says so;
 * the same recorded incident replayed with --live has its data where the window looks.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { startSimulator } from "../../src/sim/index.ts";

const HEALTHY = join(import.meta.dirname, "../../scenarios/healthy.yaml");
const DAY = 86_400_000;
const SLOW = { timeout: 120_000 };

let open: { sim: Awaited<ReturnType<typeof startSimulator>>; aws: AwsClients }[] = [];
afterEach(async () => {
  for (const { sim, aws } of open) {
    aws.destroy();
    await sim.close();
  }
  open = [];
});

async function account(options: { live?: boolean; wallClock?: Date } = {}) {
  const sim = await startSimulator({ file: HEALTHY, port: 0, ...options });
  const aws = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: 2,
  });
  open.push({ sim, aws });
  return { sim, aws };
}

const diagnoser = (aws: AwsClients, now: () => Date) =>
  createDiagnoser({ aws, now, defaultWindow: "1h", scanLogs: createLogScanner(aws, { concurrency: 2 }) });

describe("an empty window and the clock", () => {
  it(
    "a recorded account read with a clock a month later: no-data, and the account's own clock is named",
    SLOW,
    async () => {
      const { sim, aws } = await account();
      const recorded = sim.world.now.getTime();
      // The bot's clock, not the scenario's: what happens when `alb-doctor sim FILE` runs without --live.
      const report = await diagnoser(aws, () => new Date(recorded + 30 * DAY))("cms-prod");
      expect(report.status).toBe("no-data");
      expect(report.noData?.detail).toContain(new Date(recorded + 30 * DAY).toISOString().slice(0, 16));
      expect(report.noData?.clock).toContain("2026-03-25T12:0");
      expect(report.noData?.clock).toContain("30 days behind the clock that set this window");
      expect(report.noData?.clock).toContain("--live");
    },
  );

  it(
    "the same account replayed with --live has its traffic in the window: healthy, no clock note",
    SLOW,
    async () => {
      const { aws } = await account({ live: true });
      const report = await diagnoser(aws, () => new Date())("cms-prod");
      expect(report.status).toBe("healthy");
      expect(report.noData).toBeUndefined();
      expect(report.figures?.requests).toBeGreaterThan(10_000);
    },
  );

  it(
    "an --end after the account's present: no-data, and it says the window ends in the future",
    SLOW,
    async () => {
      const { sim, aws } = await account();
      const now = () => sim.world.now;
      const end = new Date(sim.world.now.getTime() + 3 * 3_600_000).toISOString();
      const report = await diagnoser(aws, now)("cms-prod", { end });
      expect(report.status).toBe("no-data");
      expect(report.noData?.clock).toMatch(/^The window ends 3 hours in the future/);
    },
  );

  it(
    "an earlier quiet window on the account's own clock: no-data without a clock warning",
    SLOW,
    async () => {
      const { sim, aws } = await account();
      const end = new Date(sim.world.now.getTime() - 7 * DAY).toISOString();
      const report = await diagnoser(aws, () => sim.world.now)("cms-prod", { end });
      expect(report.status).toBe("no-data");
      expect(report.noData?.clock).toBeUndefined();
    },
  );
});
