/**
 * A scan-pool worker: one LogAggregator for everything this thread is given, fed by local files it reads
 * itself or by chunks the pool forwards (S3 bodies, read on the main thread where the S3 client lives).
 */
import { parentPort, workerData } from "node:worker_threads";
import { LogAggregator } from "./aggregate.ts";
import type { FromWorker, PoolWorkerData, ToWorker } from "./pool-protocol.ts";
import { scanFile, scanObject } from "./stream.ts";

const port = parentPort!;
const { options, inflate } = workerData as PoolWorkerData;
const agg = new LogAggregator(options);
const send = (m: FromWorker) => port.postMessage(m);

/** Chunks forwarded for one object, consumed by the parser as an async iterable. */
class Inbox {
  private readonly queue: (Uint8Array | Error | null)[] = [];
  private wake: (() => void) | null = null;
  constructor(private readonly id: number) {}

  push(item: Uint8Array | Error | null): void {
    this.queue.push(item);
    this.wake?.();
    this.wake = null;
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
      const item = this.queue.shift()!;
      if (item === null) return;
      if (item instanceof Error) throw item;
      send({ t: "ack", id: this.id });
      yield item;
    }
  }
}

const inboxes = new Map<number, Inbox>();

async function run(id: number, scan: () => Promise<{ failure?: string }>) {
  try {
    const r = await scan();
    send({ t: "done", id, failure: r.failure });
  } catch (e) {
    send({ t: "done", id, error: (e as Error)?.message ?? String(e) });
  } finally {
    inboxes.delete(id);
  }
}

port.on("message", (m: ToWorker) => {
  switch (m.t) {
    case "file":
      void run(m.id, () => scanFile(m.path, agg, m.allowPlain, inflate));
      break;
    case "open": {
      const inbox = new Inbox(m.id);
      inboxes.set(m.id, inbox);
      void run(m.id, () => scanObject(inbox.chunks(), agg, m.allowPlain, inflate));
      break;
    }
    case "chunk":
      inboxes.get(m.id)?.push(m.data);
      break;
    case "end":
      inboxes.get(m.id)?.push(null);
      break;
    case "abort":
      inboxes.get(m.id)?.push(new Error(m.message));
      break;
    case "state":
      send({ t: "state", state: agg.state() });
      break;
  }
});
