/**
 * The simulated AWS account as one call: load a scenario (or take a World), serve it over HTTP with every
 * registered wire handler, and hand back the endpoint for AWS_ENDPOINT_URL / the SDK's `endpoint`.
 */
import type { ServiceHandler } from "./contract.ts";
import type { World } from "./world.ts";
import { loadScenario } from "./scenario.ts";
import { startSimServer } from "./server.ts";
import { serviceHandlers } from "./services/index.ts";

export interface StartSimulatorOptions {
  world?: World;
  /** A scenario file (or YAML/JSON text) to load when `world` is not given. */
  file?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: "127.0.0.1";
  /** Replay the scenario on the wall clock (scenarios.md `--live`). */
  live?: boolean;
  wallClock?: Date;
  /** Override the handler set (tests). */
  handlers?: ServiceHandler[];
}

export interface RunningSimulator {
  endpoint: string;
  port: number;
  /** The served World; mutated in place by Modify calls, and by reload(). */
  world: World;
  close(): Promise<void>;
  /** Reload the scenario file: state, faults and the call log start over. Only when started from a file. */
  reload?(): void;
}

export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const { file } = options;
  const load = (): World => {
    if (!file) throw new Error("startSimulator: give `world` or `file`");
    return loadScenario(file, { live: options.live, wallClock: options.wallClock });
  };
  const world = options.world ?? load();
  const server = await startSimServer({
    world: () => world,
    handlers: options.handlers ?? serviceHandlers,
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
  });
  return {
    endpoint: server.endpoint,
    port: server.port,
    world,
    close: () => server.close(),
    ...(file && !options.world
      ? {
          reload() {
            // In place, so everyone holding `world` sees the reloaded account.
            // Sessions from AssumeRole outlive a reload, as credentials outlive a change in the account.
            const fresh = load();
            for (const a of fresh.accounts) a.world.sessions = world.sessions;
            Object.assign(world, fresh, { callLog: [], sessions: world.sessions });
          },
        }
      : {}),
  };
}

export { loadScenario, loadScenarioObject, loadScenarioText } from "./scenario.ts";
export type { World } from "./world.ts";
