/**
 * Start the simulator for a test: from a scenario file path, YAML/JSON text, a parsed scenario object,
 * or a ready World. Returns real SDK clients pointed at it (few attempts, so fault tests stay quick).
 *
 *   const sim = await startTestSim("test/fixtures/sim/basic.yaml");
 *   await sim.clients.elbv2.send(new DescribeLoadBalancersCommand({}));
 *   await sim.close();
 */
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { startSimulator } from "../../src/sim/index.ts";
import { loadScenarioObject } from "../../src/sim/scenario.ts";
import type { World } from "../../src/sim/world.ts";

export interface TestSim {
  endpoint: string;
  world: World;
  clients: AwsClients;
  close(): Promise<void>;
}

export interface TestSimOptions {
  /** SDK attempts per call (default 2: one retry). */
  maxAttempts?: number;
  live?: boolean;
  wallClock?: Date;
}

function isWorld(x: object): x is World {
  return "buckets" in x && (x as World).buckets instanceof Map && "callLog" in x;
}

export async function startTestSim(
  source: string | World | Record<string, unknown>,
  options: TestSimOptions = {},
): Promise<TestSim> {
  const load = { live: options.live, wallClock: options.wallClock };
  const sim =
    typeof source === "string"
      ? await startSimulator({ file: source, ...load })
      : await startSimulator({
          world: isWorld(source) ? source : loadScenarioObject(source, "<test scenario>", load),
        });
  const clients = createAwsClients({
    region: sim.world.region,
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 2,
  });
  return {
    endpoint: sim.endpoint,
    world: sim.world,
    clients,
    async close() {
      clients.destroy();
      await sim.close();
    },
  };
}
