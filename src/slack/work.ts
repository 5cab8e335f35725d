/**
 * In-process work of one running app: single-flight diagnoses (a second `/alb check` of the same load
 * balancer and window joins the running one), a bound on diagnoses running at once (a burst of checks
 * queues instead of starving the event loop that must ack new requests within 3 s), and the set of in-flight
 * promises that a graceful shutdown waits for. One instance per app, created by createSlackApp.
 */
export class Work {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly queue: (() => void)[] = [];
  private active = 0;
  private closed = false;
  readonly maxConcurrent: number;

  constructor(options: { maxConcurrent?: number } = {}) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
  }

  /** Runs `fn` when fewer than maxConcurrent limited runs are active; otherwise waits its turn (FIFO). */
  async limit<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxConcurrent) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  /** Limited runs waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** False once shutdown began: new work is refused. */
  get accepting(): boolean {
    return !this.closed;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /**
   * Runs `fn` unless a run with the same key is in flight, in which case its promise is shared.
   * `joined` tells the caller it did not start the work.
   */
  singleFlight<T>(key: string, fn: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.running.get(key) as Promise<T> | undefined;
    if (existing) return { promise: existing, joined: true };
    const promise = this.track(fn()).finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return { promise, joined: false };
  }

  /** Remembers `p` until it settles, so that drain() can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const forget = () => this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Stops accepting and waits for in-flight work, at most `timeoutMs`. True when everything finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const all = Promise.allSettled([...this.inFlight]).then(() => true as const);
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
