/**
 * One scenario file diagnosed end to end: the simulator serving it on a port of its own, the real SDK clients
 * against it, and the diagnoser the CLI uses, at the scenario's clock. The scenario libraries' tests
 * (test/e2e/scenarios.test.ts, test/scenarios/real.test.ts) run every file through this.
 */
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import type { Report } from "../../src/domain/report.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { startSimulator } from "../../src/sim/index.ts";

export interface DiagnosedScenario<E> {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  aws: AwsClients;
  report: Report;
  /** The file's `expect:` block. */
  expected: E;
  close(): Promise<void>;
}

/** Diagnoses the load balancer the file's `expect.loadBalancer` names (default: its first). */
export async function diagnoseScenarioFile<E extends object>(
  path: string,
  options: { logConcurrency: number },
): Promise<DiagnosedScenario<E>> {
  const sim = await startSimulator({ file: path, port: 0 });
  const expected = (sim.world as unknown as { expect: E }).expect;
  const aws = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: 4,
  });
  const close = async () => {
    aws.destroy();
    await sim.close();
  };
  try {
    const diagnose = createDiagnoser({
      aws,
      now: () => sim.world.now,
      defaultWindow: "1h",
      scanLogs: createLogScanner(aws, { concurrency: options.logConcurrency }),
    });
    const named = (expected as { loadBalancer?: string } | undefined)?.loadBalancer;
    const report = await diagnose(named ?? sim.world.loadBalancers[0].LoadBalancerName);
    return { sim, aws, report, expected, close };
  } catch (e) {
    await close();
    throw e;
  }
}
