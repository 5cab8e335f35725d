/**
 * Local .log / .log.gz files (logs someone already downloaded) -> LogSummary. Kept apart from the S3 path
 * so that reading files loads no AWS SDK.
 */
import { stat } from "node:fs/promises";
import type { LogSummary } from "../domain/log-summary.ts";
import { LogAggregator } from "./aggregate.ts";
import { forEachLimited } from "./limit.ts";
import { createScanner, workerCount, type ScannerOptions } from "./scanner.ts";

export interface AnalyzeFilesOptions extends ScannerOptions {
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
  const sizes = new Map<string, number>();
  for (const path of paths) {
    try {
      sizes.set(path, (await stat(path)).size);
    } catch (e) {
      failed.push({ key: path, reason: (e as Error).message });
    }
  }
  const readable = paths.filter((p) => sizes.has(p));
  const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const scanner = createScanner(agg, workerCount(o.workers, readable.length, bytes), o);
  let scanned = 0;
  try {
    await forEachLimited(readable, scanner.inFlight(o.concurrency), async (path) => {
      const r = await scanner.scanFile(path, !path.endsWith(".gz"));
      scanned++;
      if (r.failure) failed.push({ key: path, reason: r.failure });
    });
    await scanner.finish();
  } finally {
    await scanner.close();
  }
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
