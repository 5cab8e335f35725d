/**
 * Bytes of one log object -> decompressed chunks -> lines, as streams: one object never needs to be in
 * memory whole, and one bad object (truncated gzip, not gzip, empty, a gzip bomb) is reported, not fatal.
 */
import { createReadStream } from "node:fs";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";

/** Where lines go (the aggregator, or the `parse --jsonl` printer). */
export interface LineSink {
  addLine(buf: Buffer, start: number, end: number): string | null;
  addMalformed(sample: string): void;
}

/** A line longer than this is garbage (user agents are capped at 8 KB); it is counted and skipped. */
export const MAX_LINE_BYTES = 1024 * 1024;

export class ObjectError extends Error {}

/**
 * What one gzip object may inflate to. ALB access logs compress about 10-20x; a gzip bomb, about 1000x.
 * The ratio is checked only above `ratioFloorBytes` (a small object is harmless whatever its ratio), the
 * absolute cap always. An object over either is stopped there and reported as skipped.
 */
export interface InflateLimits {
  /** Decompressed bytes one object may produce. */
  maxBytes: number;
  /** Decompressed bytes per compressed byte read so far. */
  maxRatio: number;
  ratioFloorBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_INFLATE_LIMITS: InflateLimits = {
  maxBytes: 4096 * MiB,
  maxRatio: 100,
  ratioFloorBytes: 64 * MiB,
};

/** Why `out` decompressed bytes from `read` compressed ones is over the limits, or undefined. */
export function inflateExceeded(out: number, read: number, l: InflateLimits): string | undefined {
  if (out > l.maxBytes)
    return `skipped: inflates to more than ${Math.round(l.maxBytes / MiB)} MiB (the per-object cap)`;
  if (out > l.ratioFloorBytes && out > l.maxRatio * read)
    return (
      `skipped: inflates more than ${l.maxRatio}x (${Math.round(out / MiB)} MiB from ` +
      `${Math.max(1, Math.round(read / 1024))} KiB read): a gzip bomb or not an access log`
    );
  return undefined;
}

/**
 * Gunzips `source` if it starts with the gzip magic bytes. Otherwise the object is plain text when
 * `allowPlain`, else an ObjectError ("not gzip data"). An empty object is an ObjectError too.
 */
export async function* decode(
  source: AsyncIterable<Buffer | Uint8Array>,
  allowPlain: boolean,
  limits: InflateLimits = DEFAULT_INFLATE_LIMITS,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  // Read until the two magic bytes are known (chunks of 1 byte are legal).
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) break;
    head = Buffer.concat([head, r.value]);
  }
  if (head.length === 0) throw new ObjectError("empty object (0 bytes)");
  let read = head.length;
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        read += r.value.length;
        yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      }
    } finally {
      // Stopped early (a bomb, corrupt data): close the source too (an S3 body's socket).
      await it.return?.();
    }
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    if (!allowPlain) throw new ObjectError("not gzip data (no gzip header)");
    yield* all();
    return;
  }
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(Readable.from(all()), gunzip, () => {});
  let out = 0;
  try {
    for await (const chunk of gunzip) {
      out += (chunk as Buffer).length;
      const over = inflateExceeded(out, read, limits);
      if (over) throw new ObjectError(over);
      yield chunk as Buffer;
    }
  } catch (e) {
    if (e instanceof ObjectError) throw e;
    // Only zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR: corrupt or truncated data) make a bad object;
    // anything else (the source failing, an abort) is passed on.
    const code = (e as { code?: string })?.code;
    if (typeof code !== "string" || !code.startsWith("Z_")) throw e;
    throw new ObjectError(`gzip: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Splits chunks into lines (LF or CRLF) and hands each to sink. Returns the number of lines.
 * A final line without a newline is still a line; an overlong line is counted as malformed.
 */
export async function splitLines(chunks: AsyncIterable<Buffer>, sink: LineSink): Promise<number> {
  // Only the partial line at a chunk's end is carried over (and joined with the next chunk's first line),
  // so chunks are never copied whole.
  let rest: Buffer | null = null;
  let skipping = false;
  let lines = 0;
  for await (const buf of chunks) {
    let pos = 0;
    if (rest !== null) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        rest = Buffer.concat([rest, buf]);
        if (rest.length > MAX_LINE_BYTES) {
          lines++;
          sink.addMalformed(rest.toString("utf8", 0, 2000));
          rest = null;
          skipping = true;
        }
        continue;
      }
      const joined: Buffer = Buffer.concat([rest, buf.subarray(0, nl)]);
      rest = null;
      lines++;
      if (joined.length > MAX_LINE_BYTES) sink.addMalformed(joined.toString("utf8", 0, 2000));
      else sink.addLine(joined, 0, joined.length);
      pos = nl + 1;
    }
    let nl: number;
    while ((nl = buf.indexOf(0x0a, pos)) >= 0) {
      if (skipping) skipping = false;
      else {
        // Empty lines are passed on too, so that line numbers stay right.
        lines++;
        sink.addLine(buf, pos, nl);
      }
      pos = nl + 1;
    }
    if (pos < buf.length && !skipping) {
      if (buf.length - pos > MAX_LINE_BYTES) {
        lines++;
        sink.addMalformed(buf.toString("utf8", pos, pos + 2000));
        skipping = true;
      } else rest = Buffer.from(buf.subarray(pos));
    }
  }
  if (rest !== null && rest.length > 0) {
    lines++;
    sink.addLine(rest, 0, rest.length);
  }
  return lines;
}

/** decode + splitLines, turning a bad object into a failure reason rather than an exception. */
export async function scanObject(
  source: AsyncIterable<Buffer | Uint8Array>,
  sink: LineSink,
  allowPlain: boolean,
  limits?: InflateLimits,
): Promise<{ failure?: string }> {
  try {
    await splitLines(decode(source, allowPlain, limits), sink);
    return {};
  } catch (e) {
    if (e instanceof ObjectError) return { failure: e.message };
    throw e;
  }
}

/**
 * A local file through scanObject. A file that cannot be read (a directory, no permission, gone since it
 * was listed) is a failure of that file, not of the scan.
 */
export async function scanFile(
  path: string,
  sink: LineSink,
  allowPlain: boolean,
  limits?: InflateLimits,
): Promise<{ failure?: string }> {
  try {
    return await scanObject(createReadStream(path, { highWaterMark: 256 * 1024 }), sink, allowPlain, limits);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      return { failure: `cannot read: ${(e as Error).message}` };
    }
    throw e;
  }
}
