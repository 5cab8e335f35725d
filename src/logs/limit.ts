/** Bounded concurrency for reading log objects, with typed errors. */
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";

/** Objects read at once by default: enough to keep gunzip and parsing busy, few enough for flat memory. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Throws the scan's own timeout error when `signal` has fired. Outside forEachLimited (listing, the final
 * check) a raw AbortError would otherwise escape as an untyped error.
 */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw new AlbDoctorError("timeout", "the access-log scan was stopped before it finished", {
    cause: signal.reason,
  });
}

/** Runs fn over items with at most `limit` in flight; the first AlbDoctorError stops the run. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let stop: unknown;
  const worker = async () => {
    while (stop === undefined && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        stop ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (stop !== undefined) {
    if (isAlbDoctorError(stop)) throw stop;
    const name = (stop as Error)?.name;
    if (name === "AbortError" || name === "TimeoutError") {
      throw new AlbDoctorError("timeout", "the access-log scan was stopped before it finished", {
        cause: stop,
      });
    }
    throw new AlbDoctorError("internal", `log analysis failed: ${(stop as Error)?.message ?? String(stop)}`, {
      cause: stop,
    });
  }
}
