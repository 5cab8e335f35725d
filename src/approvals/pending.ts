/**
 * Store writes that must land after AWS changed: the audit entries of an execution and the plan's final state.
 * `run` tries the steps in order at once; when the store is unavailable it keeps the remaining steps in memory
 * and retries them with a capped exponential backoff until they land, in order, each step at most once.
 * A process that dies with writes queued leaves its plan "executing" under a lease: the reconciler covers that.
 */
import type { Logger } from "pino";
import { isAlbDoctorError } from "../domain/errors.ts";

/** One write; returning false stops the remaining steps (the execution was taken over by someone else). */
export type Step = () => Promise<unknown>;

interface Job {
  label: string;
  steps: Step[];
  attempt: number;
}

export interface PendingWritesOptions {
  logger?: Logger;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export function createPendingWrites(options: PendingWritesOptions = {}) {
  const minDelayMs = options.minDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const jobs = new Set<Job>();
  const timers = new Set<NodeJS.Timeout>();
  const idleWaiters = new Set<() => void>();
  let closed = false;

  const settleIdle = () => {
    if (jobs.size) return;
    for (const w of idleWaiters) w();
    idleWaiters.clear();
  };

  /** Runs the steps from the first one not done; true when every step landed (or one said stop). */
  const advance = async (job: Job): Promise<boolean> => {
    while (job.steps.length) {
      try {
        const result = await job.steps[0]();
        job.steps.shift();
        if (result === false) {
          options.logger?.warn({ what: job.label }, "stopped writing: the execution was taken over");
          job.steps.length = 0;
        }
      } catch (e) {
        if (isAlbDoctorError(e, "store-unavailable")) return false;
        // Not a store outage: retrying cannot help. Say so loudly and give up on this write only.
        options.logger?.error({ err: String(e), what: job.label }, "a write after an AWS change failed");
        job.steps.shift();
      }
    }
    return true;
  };

  const schedule = (job: Job) => {
    if (closed) return;
    const delay = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(job.attempt, 20));
    job.attempt++;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void advance(job).then((done) => {
        if (!done) return schedule(job);
        jobs.delete(job);
        options.logger?.info({ what: job.label, attempts: job.attempt }, "pending writes landed");
        settleIdle();
      });
    }, delay);
    // Never keeps a process alive on its own (the bot's server does).
    timer.unref();
    timers.add(timer);
  };

  return {
    /** True when all steps landed now; false when the rest is queued and retried in the background. */
    async run(label: string, steps: Step[]): Promise<boolean> {
      const job: Job = { label, steps: [...steps], attempt: 0 };
      if (await advance(job)) return true;
      options.logger?.error(
        { what: label, left: job.steps.length },
        "the store is unavailable after an AWS change: retrying the audit and final state until they land",
      );
      jobs.add(job);
      schedule(job);
      return false;
    },
    get size() {
      return jobs.size;
    },
    /** Resolves true once nothing is queued, false after `timeoutMs`. */
    idle(timeoutMs: number): Promise<boolean> {
      if (!jobs.size) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          idleWaiters.delete(waiter);
          resolve(false);
        }, timeoutMs);
        idleWaiters.add(waiter);
      });
    },
    /** Stops retrying (shutdown); what is still queued is left to the reconciler. */
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type PendingWrites = ReturnType<typeof createPendingWrites>;
