/**
 * The worker side of diagnose-worker.ts: builds its own AWS clients and diagnoser from plain options and
 * answers `{ id, ref, options }` messages with `{ id, report }` or `{ id, error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createAwsClients, type AwsClients } from "../aws/clients.ts";
import { createDiagnoser } from "../services/diagnose.ts";
import { DEFAULT_INFLATE_LIMITS } from "../logs/stream.ts";
import { createLogScanner } from "../services/log-scanner.ts";
import type { DiagnoseOptions } from "../services/types.ts";
import type { WorkerDiagnoserOptions } from "./diagnose-worker.ts";

const options = workerData as WorkerDiagnoserOptions;
const aws = createAwsClients({
  region: options.region,
  endpoint: options.endpoint,
  credentials: options.credentials,
});
const scannerFor = (clients: AwsClients) =>
  createLogScanner(clients, {
    concurrency: options.logScanConcurrency,
    workers: options.logScanWorkers,
    inflate: {
      ...DEFAULT_INFLATE_LIMITS,
      maxBytes: options.logObjectMaxBytes ?? DEFAULT_INFLATE_LIMITS.maxBytes,
      maxRatio: options.logObjectMaxRatio ?? DEFAULT_INFLATE_LIMITS.maxRatio,
    },
  });
const diagnose = createDiagnoser({
  aws,
  now: () => new Date(),
  defaultWindow: options.defaultWindow,
  credentials: options.credentials,
  scanLogs: scannerFor(aws),
  scannerFor,
});

parentPort!.on("message", async (msg: { id: number; ref: string; options?: DiagnoseOptions }) => {
  try {
    const report = await diagnose(msg.ref, msg.options);
    parentPort!.postMessage({ id: msg.id, report });
  } catch (e) {
    const err = e as { name?: string; code?: unknown; message?: string; details?: unknown };
    parentPort!.postMessage({
      id: msg.id,
      error: {
        name: err?.name ?? "Error",
        code: typeof err?.code === "string" ? err.code : undefined,
        message: err?.message ?? String(e),
        details: err?.details,
      },
    });
  }
});
