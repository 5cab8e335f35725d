/**
 * A Diagnoser that runs in a worker thread. The diagnosis parses access logs and evaluates rules, CPU work
 * that would otherwise share the event loop with the Bolt listeners, and acks must leave within Slack's
 * 3 seconds even while a burst of diagnoses runs. The worker builds its own AWS clients from plain options;
 * reports and errors (AlbDoctorError code, message, details) come back as structured clones.
 */
import type { Worker } from "node:worker_threads";
import type { AwsCredentialIdentity } from "@smithy/types";
import { AlbDoctorError, type ErrorCode } from "../domain/errors.ts";
import type { Report } from "../domain/report.ts";
import type { Diagnoser } from "../services/types.ts";
import { spawnWorker } from "../workers/spawn.ts";

export interface WorkerDiagnoserOptions {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  defaultWindow: string;
  logScanConcurrency?: number;
  logScanWorkers?: number;
  /** What one access-log object may inflate to (src/logs/stream.ts's defaults when absent). */
  logObjectMaxBytes?: number;
  logObjectMaxRatio?: number;
}

/** Nice value of the diagnosis thread: lower priority than the bot's main thread (0), so that diagnoses give
 * way to the main thread, whose acks Slack expects within 3 seconds. */
const WORKER_NICE = 10;

interface Reply {
  id: number;
  report?: Report;
  error?: { name: string; code?: string; message: string; details?: Record<string, unknown> };
}

export function createWorkerDiagnoser(
  options: WorkerDiagnoserOptions,
): Diagnoser & { close(): Promise<void> } {
  let worker: Worker | undefined;
  let seq = 0;
  const pending = new Map<number, { resolve: (r: Report) => void; reject: (e: unknown) => void }>();

  const failAll = (e: unknown) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = undefined; // the next diagnosis starts a fresh worker
  };

  const start = () => {
    const w = spawnWorker(new URL("./diagnose-worker-entry.ts", import.meta.url), {
      workerData: options,
      nice: WORKER_NICE,
    });
    w.on("message", (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.report) p.resolve(reply.report);
      else p.reject(toError(reply.error));
    });
    w.on("error", (e) =>
      failAll(new AlbDoctorError("internal", "the diagnosis worker failed", { cause: e })),
    );
    w.on("exit", (code) => {
      if (worker === w) failAll(new AlbDoctorError("internal", `the diagnosis worker exited (code ${code})`));
    });
    w.unref();
    return w;
  };

  const diagnose = (async (ref, opts = {}) => {
    worker ??= start();
    const id = ++seq;
    const { onResolved: _ignored, ...plain } = opts; // callbacks cannot cross threads
    return new Promise<Report>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker!.postMessage({ id, ref, options: plain });
    });
  }) as Diagnoser & { close(): Promise<void> };
  diagnose.close = async () => {
    const w = worker;
    // Diagnoses still waiting would otherwise never settle: the exit handler ignores a worker closed on purpose.
    failAll(new AlbDoctorError("internal", "the diagnosis worker was stopped"));
    if (w) await w.terminate();
  };
  return diagnose;
}

function toError(e: Reply["error"]): Error {
  if (!e) return new AlbDoctorError("internal", "the diagnosis worker answered nothing");
  if (e.name === "AlbDoctorError" && e.code)
    return new AlbDoctorError(e.code as ErrorCode, e.message, { details: e.details });
  return new AlbDoctorError("internal", e.message);
}
