/**
 * Local .log / .log.gz files (logs someone already downloaded) -> LogSummary. Kept apart from the S3 path
 * so that reading files loads no AWS SDK.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { LogSummary } from "../domain/log-summary.ts";
import { LogAggregator } from "./aggregate.ts";
import { DEFAULT_CONCURRENCY, forEachLimited } from "./limit.ts";
import { scanObject } from "./stream.ts";

export interface AnalyzeFilesOptions {
  idleTimeoutSeconds: number;
  /** Only lines in this window are counted; all lines when absent. */
  window?: { start: Date; end: Date };
  concurrency?: number;
}

/** Local .log / .log.gz files (already downloaded logs). A missing or unreadable file is a failure, not fatal. */
export async function analyzeFiles(paths: string[], o: AnalyzeFilesOptions): Promise<LogSummary> {
  const started = Date.now();
  const w = o.window ? { startMs: o.window.start.getTime(), endMs: o.window.end.getTime() } : undefined;
  const agg = new LogAggregator({ window: w, idleTimeoutSeconds: o.idleTimeoutSeconds });
  const failed: { key: string; reason: string }[] = [];
  let bytes = 0;
  let scanned = 0;
  await forEachLimited(paths, o.concurrency ?? DEFAULT_CONCURRENCY, async (path) => {
    try {
      // Read the size first: `bytes += await ...` would read `bytes` before the await and lose updates.
      const size = (await stat(path)).size;
      bytes += size;
    } catch (e) {
      failed.push({ key: path, reason: (e as Error).message });
      return;
    }
    const r = await scanObject(
      createReadStream(path, { highWaterMark: 256 * 1024 }),
      agg,
      !path.endsWith(".gz"),
    );
    scanned++;
    if (r.failure) failed.push({ key: path, reason: r.failure });
  });
  const times = o.window ?? { start: new Date(NaN), end: new Date(NaN) };
  return agg.summary({
    enabled: true,
    window: { start: isoOrEmpty(times.start), end: isoOrEmpty(times.end) },
    objects: { listed: paths.length, scanned, bytes, failed },
    durationMs: Date.now() - started,
  });
}

function isoOrEmpty(d: Date): string {
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}
