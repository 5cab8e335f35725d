/** The worker-thread diagnoser gives the same report as the in-process one, and the same typed errors. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { isAlbDoctorError } from "../../src/domain/errors.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { createWorkerDiagnoser } from "../../src/slack/diagnose-worker.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

describe("worker diagnoser", () => {
  let sim: TestSim;
  let worker: ReturnType<typeof createWorkerDiagnoser>;
  beforeAll(async () => {
    sim = await startTestSim("scenarios/sg-blocks-alb-to-target.yaml");
    worker = createWorkerDiagnoser({
      region: sim.world.region,
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      defaultWindow: "1h",
    });
  });
  afterAll(async () => {
    await worker?.close();
    await sim?.close();
  });

  it("returns the in-process diagnoser's findings", async () => {
    const end = sim.world.now.toISOString();
    const local = createDiagnoser({
      aws: sim.clients,
      now: () => sim.world.now,
      defaultWindow: "1h",
      scanLogs: createLogScanner(sim.clients),
    });
    const [a, b] = await Promise.all([worker("billing-prod", { end }), local("billing-prod", { end })]);
    expect(a.findings.map((f) => f.id)).toEqual(b.findings.map((f) => f.id));
    expect(a.findings[0].id).toBe("sg-blocks-alb-to-target");
    expect(a.window).toEqual(b.window);
  });

  it("rebuilds AlbDoctorError with its code and details", async () => {
    const e = await worker("billing-prd", { end: sim.world.now.toISOString() }).catch((x: unknown) => x);
    expect(isAlbDoctorError(e, "not-found")).toBe(true);
    expect((e as { details?: { suggestions?: string[] } }).details?.suggestions).toContain("billing-prod");
  });

  it("settles a diagnosis still running when it is closed, and starts a fresh worker after", async () => {
    const other = createWorkerDiagnoser({
      region: sim.world.region,
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      defaultWindow: "1h",
    });
    const end = sim.world.now.toISOString();
    const running = other("billing-prod", { end }).catch((x: unknown) => x);
    await other.close();
    const e = await running;
    expect(isAlbDoctorError(e, "internal")).toBe(true);
    expect((e as Error).message).toBe("the diagnosis worker was stopped");
    expect((await other("billing-prod", { end })).findings[0].id).toBe("sg-blocks-alb-to-target");
    await other.close();
  });

  // Linux keeps a nice value per thread: /proc/self/task/<tid>/stat, field 19 (after the parenthesised name).
  const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  it.skipIf(!existsSync("/proc/self/task"))(
    "runs diagnoses at a lower CPU priority than the main thread",
    async () => {
      await worker("billing-prod", { end: sim.world.now.toISOString() });
      const nices = readdirSync("/proc/self/task").map((tid) =>
        niceOf(readFileSync(`/proc/self/task/${tid}/stat`, "utf8")),
      );
      expect(niceOf(readFileSync("/proc/thread-self/stat", "utf8"))).toBe(0);
      expect(nices).toContain(10);
    },
  );
});
