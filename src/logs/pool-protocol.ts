/** Messages between the scan pool (pool.ts) and its workers (pool-worker.ts). */
import type { AggregateOptions, AggregateState } from "./aggregate.ts";
import type { InflateLimits } from "./stream.ts";

export type ToWorker =
  | { t: "file"; id: number; path: string; allowPlain: boolean }
  | { t: "open"; id: number; allowPlain: boolean }
  | { t: "chunk"; id: number; data: Uint8Array }
  | { t: "end"; id: number }
  /** The source failed (an S3 read error, an abort): the scan of `id` stops with this message. */
  | { t: "abort"; id: number; message: string }
  | { t: "state" };

export type FromWorker =
  /** A scan ended: failure is a bad object (counted, not fatal); error is anything else. */
  | { t: "done"; id: number; failure?: string; error?: string }
  /** One chunk of `id` was taken by the parser: the pool may send another. */
  | { t: "ack"; id: number }
  | { t: "state"; state: AggregateState };

export interface PoolWorkerData {
  options: AggregateOptions;
  inflate?: InflateLimits;
}
