/**
 * One window of one LB's access logs -> LogSummary: list the window's objects, stream them through the
 * aggregator several at a time, and say what could not be read.
 */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { LogSummary } from "../domain/log-summary.ts";
import { LogAggregator } from "./aggregate.ts";
import { forEachLimited, stopIfAborted } from "./limit.ts";
import { s3Error } from "./s3-errors.ts";
import { createScanner, workerCount, type ScannerOptions } from "./scanner.ts";
import { listWindowObjects, type LogLocation } from "./window.ts";

export interface AnalyzeWindowOptions extends Omit<LogLocation, "bucket">, ScannerOptions {
  s3: S3Client;
  /** undefined when access logging is disabled. */
  bucket: string | undefined;
  window: { start: Date; end: Date };
  idleTimeoutSeconds: number;
  /** Objects fetched and parsed at once. */
  concurrency?: number;
  /** Aborts listing and reading (e.g. the collector's deadline); the scan then rejects with the reason. */
  signal?: AbortSignal;
}

export async function analyzeWindow(o: AnalyzeWindowOptions): Promise<LogSummary> {
  const started = Date.now();
  const startMs = o.window.start.getTime();
  const endMs = o.window.end.getTime();
  const agg = new LogAggregator({ window: { startMs, endMs }, idleTimeoutSeconds: o.idleTimeoutSeconds });
  const windowText = { start: o.window.start.toISOString(), end: o.window.end.toISOString() };
  if (!o.bucket) {
    return agg.summary({ enabled: false, window: windowText, objects: emptyObjects() });
  }
  const bucket = o.bucket;
  const signal = o.signal;
  const objects = await listWindowObjects(o.s3, { ...o, bucket }, { startMs, endMs }, signal);
  const failed: { key: string; reason: string }[] = [];
  let bytes = 0;
  let scanned = 0;
  const totalSize = objects.reduce((a, x) => a + x.size, 0);
  const scanner = createScanner(agg, workerCount(o.workers, objects.length, totalSize), o);
  const stop = () => void scanner.close(signal?.reason);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    await forEachLimited(objects, scanner.inFlight(o.concurrency), async (obj) => {
      let body: AsyncIterable<Uint8Array>;
      signal?.throwIfAborted();
      try {
        const res = await o.s3.send(new GetObjectCommand({ Bucket: bucket, Key: obj.key }), {
          abortSignal: signal,
        });
        body = res.Body as AsyncIterable<Uint8Array>;
      } catch (e) {
        signal?.throwIfAborted();
        const err = s3Error(
          e,
          "GetObject",
          `s3:GetObject on ${bucket}/${o.prefix ? `${o.prefix}/` : ""}AWSLogs/*`,
        );
        if (err.code === "access-denied") throw err;
        failed.push({ key: obj.key, reason: err.message });
        return;
      }
      let r: { failure?: string };
      try {
        r = await scanner.scanStream(
          counted(body, (n) => (bytes += n), signal),
          false,
        );
      } catch (e) {
        // An abort tears the body down with a plain Error("aborted"): report the abort, not that.
        signal?.throwIfAborted();
        throw e;
      }
      scanned++;
      if (r.failure) failed.push({ key: obj.key, reason: r.failure });
    });
    stopIfAborted(signal);
    await scanner.finish();
  } finally {
    signal?.removeEventListener("abort", stop);
    await scanner.close();
  }
  return agg.summary({
    enabled: true,
    bucket,
    prefix: o.prefix,
    window: windowText,
    objects: { listed: objects.length, scanned, bytes, failed },
    durationMs: Date.now() - started,
  });
}

function emptyObjects(): LogSummary["objects"] {
  return { listed: 0, scanned: 0, bytes: 0, failed: [] };
}

async function* counted(
  body: AsyncIterable<Uint8Array>,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    signal?.throwIfAborted();
    onBytes(chunk.length);
    yield chunk;
  }
}

export { analyzeFiles, type AnalyzeFilesOptions } from "./files.ts";
export { DEFAULT_CONCURRENCY, forEachLimited } from "./limit.ts";
