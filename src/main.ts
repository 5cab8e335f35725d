/**
 * `npm start`: the Slack bot. Reads .env when present, validates the configuration (a bad or missing variable
 * stops the start with a message naming it, exit code 2), builds the dependencies, starts the Bolt app, and
 * shuts down gracefully on SIGTERM/SIGINT: stop accepting, let running diagnoses finish (bounded), close
 * the store. Process-level guards (src/process-guards.ts) log an unhandled rejection and keep running, and
 * log an uncaught exception before exiting.
 */
import { existsSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createAccounts } from "./accounts/index.ts";
import { createAwsClients, SIMULATOR_CREDENTIALS } from "./aws/clients.ts";
import { loadConfig, requireSlack, type Config } from "./config.ts";
import { isAlbDoctorError } from "./domain/errors.ts";
import { installProcessGuards } from "./process-guards.ts";
import { assembleBot } from "./bot.ts";
import type { SlackApp } from "./slack/app.ts";
import { createWorkerDiagnoser } from "./slack/diagnose-worker.ts";
import { createLogger } from "./slack/logger.ts";
import { createStore } from "./store/index.ts";

/** How long a shutdown waits for running diagnoses before closing anyway. */
const DRAIN_MS = 25_000;
/** How long a signal during start-up waits for the start to finish before the process ends anyway. */
const START_GRACE_MS = 2_000;

export async function startBot(
  env: NodeJS.ProcessEnv = process.env,
  options: { processGuards?: boolean } = {},
): Promise<{ slack: SlackApp; stop(): Promise<void> }> {
  const config = loadConfig(env);
  requireSlack(config);
  const logger = createLogger(config.LOG_LEVEL);
  if (options.processGuards) installProcessGuards(logger);
  const store = createStore(config, logger);
  const credentials = simulatorCredentials(config, env);
  const aws = createAwsClients({
    region: config.AWS_REGION,
    endpoint: config.AWS_ENDPOINT_URL,
    credentials,
  });
  const now = () => new Date();
  // Diagnoses run in a worker thread, so that their CPU work (log parsing, rule evaluation) never delays
  // the acks that Slack expects within 3 seconds. The main thread keeps its own AWS clients for /readyz
  // and /alb status.
  const diagnose = createWorkerDiagnoser({
    region: aws.region,
    endpoint: config.AWS_ENDPOINT_URL,
    credentials,
    defaultWindow: config.DEFAULT_WINDOW,
    logScanConcurrency: config.LOG_SCAN_CONCURRENCY,
    logScanWorkers: config.LOG_SCAN_WORKERS,
    logObjectMaxBytes: config.LOG_OBJECT_MAX_MB * 1024 * 1024,
    logObjectMaxRatio: config.LOG_OBJECT_MAX_RATIO,
  });
  const accounts = createAccounts({ file: config.ACCOUNTS_FILE, aws, credentials });
  const slack = assembleBot({ config, logger, store, aws, diagnose, now, accounts });
  await slack.start();
  return {
    slack,
    async stop() {
      logger.info("shutting down: finishing running diagnoses");
      try {
        await slack.stop({ drainMs: DRAIN_MS });
      } finally {
        await diagnose.close().catch(() => {});
        await store.close().catch((e: unknown) => logger.warn({ err: e }, "store close failed"));
        aws.destroy();
        logger.info("stopped");
      }
    },
  };
}

/** A local simulator endpoint accepts any credentials; real endpoints use the default chain. */
function simulatorCredentials(config: Config, env: NodeJS.ProcessEnv) {
  if (!config.AWS_ENDPOINT_URL || env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE) return undefined;
  const host = new URL(config.AWS_ENDPOINT_URL).hostname;
  return ["localhost", "127.0.0.1", "::1", "[::1]"].includes(host) ? SIMULATOR_CREDENTIALS : undefined;
}

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  // Signals are handled from the first moment, start-up included (see onSignal).
  const starting = startBot(process.env, { processGuards: true });
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: stop waiting
    stopping = true;
    process.stderr.write(`alb-doctor: ${signal} received, shutting down\n`);
    // A bot that is up stops gracefully. One still starting (Socket Mode can retry its connection to Slack
    // for ever) has accepted no work yet: it gets a moment to come up, then the process just ends.
    const tooLate = setTimeout(() => {
      process.stderr.write("alb-doctor: stopped before start-up finished\n");
      process.exit(0);
    }, START_GRACE_MS);
    starting
      .then((bot) => {
        clearTimeout(tooLate);
        return bot.stop();
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  try {
    await starting;
  } catch (e) {
    if (isAlbDoctorError(e, "config")) {
      process.stderr.write(`alb-doctor: ${e.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    process.stderr.write(`alb-doctor: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

// Run when started as the program (`node dist/src/main.js`, `tsx src/main.ts`), not when imported by a test.
if (startedAsProgram()) void main();

function startedAsProgram(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? "")).href;
  } catch {
    return false; // no script path (node -e, a REPL)
  }
}
