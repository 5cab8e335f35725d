/**
 * Spreads log objects over worker threads, each with its own aggregator, so that parsing uses every core
 * (gunzip already runs on libuv's thread pool). Local files are read by the worker itself; other sources
 * (S3 bodies) are read here, where the S3 client lives, and forwarded chunk by chunk with a small window of
 * unacknowledged chunks per object, so memory stays flat however fast S3 answers. At the end, the
 * workers' partial aggregates are merged into the caller's.
 */
import type { Worker } from "node:worker_threads";
import { AlbDoctorError } from "../domain/errors.ts";
import { spawnWorker } from "../workers/spawn.ts";
import type { AggregateOptions, AggregateState } from "./aggregate.ts";
import type { FromWorker, PoolWorkerData, ToWorker } from "./pool-protocol.ts";
import type { InflateLimits } from "./stream.ts";

/** Chunks of one object in flight to a worker before the pool waits for the parser to take them. */
const WINDOW = 4;

/**
 * A worker's heap. Its aggregator is bounded and its chunks live outside the heap, so the old generation
 * never needs much (the cap turns a leak into an error instead of a swapping host); the young generation
 * keeps V8's usual size, as smaller ones cost more in collections than they save in memory.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };

/** Objects one worker parses at once: one being parsed while the next one's gunzip runs ahead. */
export const OBJECTS_PER_WORKER = 2;

export interface ScanPoolOptions {
  workers: number;
  aggregate: AggregateOptions;
  /** The worker module; the bundled benchmark passes its own JavaScript build. */
  entry?: URL;
  inflate?: InflateLimits;
}

interface Slot {
  worker: Worker;
  running: number;
}

interface Scan {
  slot: Slot;
  unacked: number;
  /** The worker finished with this object early (a bad object): stop reading its source. */
  finished?: boolean;
  onAck?: () => void;
  resolve: (r: { failure?: string }) => void;
  reject: (e: unknown) => void;
}

export type ScanResult = { failure?: string };

export class ScanPool {
  private readonly slots: Slot[];
  private readonly scans = new Map<number, Scan>();
  private readonly stateWaiters = new Map<
    Worker,
    { resolve: (s: AggregateState) => void; reject: (e: unknown) => void }
  >();
  private seq = 0;
  private broken: Error | undefined;

  constructor(o: ScanPoolOptions) {
    const entry = o.entry ?? new URL("./pool-worker.ts", import.meta.url);
    const workerData: PoolWorkerData = { options: o.aggregate, inflate: o.inflate };
    this.slots = Array.from({ length: Math.max(1, o.workers) }, () => {
      const worker = spawnWorker(entry, { workerData, resourceLimits: WORKER_LIMITS });
      const slot: Slot = { worker, running: 0 };
      worker.on("message", (m: FromWorker) => this.onMessage(worker, m));
      worker.on("error", (e) =>
        this.fail(new AlbDoctorError("internal", `a log-scan worker failed: ${e.message}`, { cause: e })),
      );
      worker.on("exit", (code) => {
        if (!this.broken)
          this.fail(new AlbDoctorError("internal", `a log-scan worker exited (code ${code})`));
      });
      return slot;
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** A local file, read by the worker. */
  scanFile(path: string, allowPlain: boolean): Promise<ScanResult> {
    if (this.broken) return Promise.reject(this.broken);
    const [id, scan, done] = this.begin();
    this.post(scan.slot, { t: "file", id, path, allowPlain });
    return done;
  }

  /** Any byte source (an S3 body), forwarded to a worker as it is read. */
  async scanStream(source: AsyncIterable<Uint8Array>, allowPlain: boolean): Promise<ScanResult> {
    if (this.broken) throw this.broken;
    const [id, scan, done] = this.begin();
    this.post(scan.slot, { t: "open", id, allowPlain });
    try {
      for await (const chunk of source) {
        if (this.broken) throw this.broken;
        // A broken pool wakes this wait once and never acks again: waiting on would hang the scan.
        while (scan.unacked >= WINDOW && !scan.finished && !this.broken)
          await new Promise<void>((r) => (scan.onAck = r));
        if (this.broken) throw this.broken;
        // The worker is done with it (a gzip bomb, corrupt data): no more acks come; stop reading.
        if (scan.finished) break;
        // A copy of exactly the chunk's bytes, transferred: the source's own buffer may be shared.
        const data = new Uint8Array(chunk);
        scan.unacked++;
        this.post(scan.slot, { t: "chunk", id, data }, [data.buffer]);
      }
    } catch (e) {
      this.post(scan.slot, { t: "abort", id, message: (e as Error)?.message ?? String(e) });
      await done.catch(() => undefined);
      throw e;
    }
    this.post(scan.slot, { t: "end", id });
    return done;
  }

  /** Every worker's partial aggregate (call once all scans are done). */
  async states(): Promise<AggregateState[]> {
    if (this.broken) throw this.broken;
    return Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<AggregateState>((resolve, reject) => {
            this.stateWaiters.set(slot.worker, { resolve, reject });
            this.post(slot, { t: "state" });
          }),
      ),
    );
  }

  /** Stops the workers; scans still running reject with `reason`. */
  async close(reason?: Error): Promise<void> {
    this.fail(reason ?? new AlbDoctorError("internal", "the log-scan pool was closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Registers a scan on the least busy worker (the pool must not be broken). */
  private begin(): [number, Scan, Promise<ScanResult>] {
    const id = ++this.seq;
    const slot = this.slots.reduce((a, b) => (b.running < a.running ? b : a));
    slot.running++;
    let scan!: Scan;
    const done = new Promise<ScanResult>((resolve, reject) => {
      scan = { slot, unacked: 0, resolve, reject };
    });
    this.scans.set(id, scan);
    // The pool may break while the caller is still reading its source and not yet awaiting `done`; the
    // caller sees the failure when it does, so an early rejection is not an unhandled one.
    done.catch(() => undefined);
    return [id, scan, done];
  }

  private post(slot: Slot, m: ToWorker, transfer?: ArrayBuffer[]): void {
    if (!this.broken) slot.worker.postMessage(m, transfer);
  }

  private onMessage(worker: Worker, m: FromWorker): void {
    if (m.t === "state") {
      this.stateWaiters.get(worker)?.resolve(m.state);
      this.stateWaiters.delete(worker);
      return;
    }
    const scan = this.scans.get(m.id);
    if (!scan) return;
    if (m.t === "ack") {
      scan.unacked--;
      scan.onAck?.();
      scan.onAck = undefined;
      return;
    }
    this.scans.delete(m.id);
    scan.slot.running--;
    scan.finished = true;
    scan.onAck?.();
    scan.onAck = undefined;
    if (m.error !== undefined) scan.reject(new Error(m.error));
    else scan.resolve({ failure: m.failure });
  }

  private fail(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const scan of this.scans.values()) {
      scan.reject(e);
      scan.onAck?.();
    }
    this.scans.clear();
    for (const w of this.stateWaiters.values()) w.reject(e);
    this.stateWaiters.clear();
  }
}
