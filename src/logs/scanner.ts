/**
 * Where log objects are parsed: on this thread into the caller's aggregator, or over a pool of worker
 * threads whose partial aggregates are merged into it at the end. Small inputs stay on this thread:
 * starting workers costs more than parsing a few megabytes.
 */
import { availableParallelism } from "node:os";
import type { LogAggregator } from "./aggregate.ts";
import { DEFAULT_CONCURRENCY } from "./limit.ts";
import { OBJECTS_PER_WORKER, ScanPool, type ScanResult } from "./pool.ts";
import { scanFile, scanObject, type InflateLimits } from "./stream.ts";

/** Below this many compressed bytes in all, parsing stays on the calling thread. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
/** More workers than this gain little: gunzip, on libuv's pool, needs cores too. */
const MAX_WORKERS = 4;

export interface Scanner {
  scanFile(path: string, allowPlain: boolean): Promise<ScanResult>;
  scanStream(source: AsyncIterable<Uint8Array>, allowPlain: boolean): Promise<ScanResult>;
  /** Merges what the workers counted into the aggregator and stops them. */
  finish(): Promise<void>;
  /** Stops everything; scans still running reject with `reason`. */
  close(reason?: Error): Promise<void>;
  readonly workers: number;
  /** Objects to have in flight, given the caller's concurrency (undefined: the default). */
  inFlight(requested: number | undefined): number;
}

export interface ScannerOptions {
  /** Worker threads; 0 parses on this thread; undefined decides from the input's size. */
  workers?: number;
  /** The pool's worker module (the bundled benchmark passes its JavaScript build). */
  workerEntry?: URL;
  /** What one object may inflate to (stream.ts's defaults when absent). */
  inflate?: InflateLimits;
}

/** How many workers to use for `objects` objects of `bytes` compressed bytes in all. */
export function workerCount(requested: number | undefined, objects: number, bytes: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, objects));
  if (objects < 2 || bytes < PARALLEL_MIN_BYTES) return 0;
  return Math.min(availableParallelism(), objects, MAX_WORKERS);
}

export function createScanner(agg: LogAggregator, workers: number, o: ScannerOptions = {}): Scanner {
  if (workers <= 0) {
    return {
      workers: 0,
      inFlight: (requested) => requested ?? DEFAULT_CONCURRENCY,
      scanFile: (path, allowPlain) => scanFile(path, agg, allowPlain, o.inflate),
      scanStream: (source, allowPlain) => scanObject(source, agg, allowPlain, o.inflate),
      finish: async () => undefined,
      close: async () => undefined,
    };
  }
  const pool = new ScanPool({ workers, aggregate: agg.options, entry: o.workerEntry, inflate: o.inflate });
  return {
    workers: pool.size,
    // More objects in flight than the workers parse at once would only buffer inflated data.
    inFlight: (requested) => Math.min(requested ?? DEFAULT_CONCURRENCY, pool.size * OBJECTS_PER_WORKER),
    scanFile: (path, allowPlain) => pool.scanFile(path, allowPlain),
    scanStream: (source, allowPlain) => pool.scanStream(source, allowPlain),
    finish: async () => {
      try {
        for (const state of await pool.states()) agg.merge(state);
      } finally {
        await pool.close();
      }
    },
    close: (reason) => pool.close(reason),
  };
}
