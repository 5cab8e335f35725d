/**
 * The worker pool (src/logs/pool.ts, scanner.ts): parsing log objects on worker threads must give the
 * same summary as parsing them on the calling thread, for local files and for S3 bodies read through
 * the real SDK client from the simulator; an abort stops a pooled scan with a "timeout" error, and a
 * worker that cannot start or dies makes scans fail with an "internal" error instead of hanging.
 *
 * Samples may differ in which lines were kept (workers finish in any order), so they compare by count
 * per class; failed objects compare sorted by key; durationMs is ignored.
 */
import { availableParallelism } from "node:os";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeLine, rng, writeLogFile } from "../../bench/generate-logs.ts";
import { isAlbDoctorError } from "../../src/domain/errors.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { analyzeFiles, analyzeWindow } from "../../src/logs/analyze.ts";
import { DEFAULT_CONCURRENCY } from "../../src/logs/limit.ts";
import { PARALLEL_MIN_BYTES, createScanner, workerCount } from "../../src/logs/scanner.ts";
import { ScanPool } from "../../src/logs/pool.ts";
import { spawnWorker } from "../../src/workers/spawn.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

const ACCOUNT = "123456789012";
const LB = "app/my-alb/50dc6c495c0c9188";
const T0 = Date.parse("2026-03-15T14:00:00Z");
const LINES_PER_OBJECT = 3000;

/** `n` generated lines of one 5-minute file starting at startMs, as text with a final newline. */
function logText(n: number, seed: number, startMs: number): string {
  const r = rng(seed);
  const o = { lbResourceId: LB, startMs, seed };
  return `${Array.from({ length: n }, (_, i) => makeLine(r, o, i, 5 * 60_000)).join("\n")}\n`;
}

/** A summary with what legitimately differs between runs taken out. */
function comparable(s: LogSummary) {
  return {
    ...s,
    durationMs: 0,
    objects: { ...s.objects, failed: [...s.objects.failed].sort((a, b) => (a.key < b.key ? -1 : 1)) },
    samples: Object.fromEntries(Object.entries(s.samples).map(([k, v]) => [k, v?.length])),
    malformedSamples: s.malformedSamples?.length ?? 0,
  };
}

/** Fails with "hung" rather than letting the test time out silently. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms (hung?)`)), ms);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const dir = mkdtempSync(join(tmpdir(), "alb-logs-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);

/** A worker module of our own, for the broken-worker tests. */
function workerModule(name: string, source: string): URL {
  writeFileSync(path(name), source);
  return pathToFileURL(path(name));
}

// ---------------------------------------------------------------------------------------------------
// Local files
// ---------------------------------------------------------------------------------------------------

describe("analyzeFiles: workers vs the calling thread", () => {
  const gz = [1, 2, 3, 4].map((i) => path(`gen-${i}.log.gz`));
  const plain = path("plain.log");
  const truncated = path("truncated.log.gz");
  const notGzip = path("text-named.log.gz");
  const empty = path("empty.log.gz");
  const missing = path("does-not-exist.log.gz");
  const directory = path("a-directory.log.gz");
  const all = [...gz, plain, truncated, notGzip, empty, missing, directory];

  beforeAll(async () => {
    await Promise.all(
      gz.map((p, i) =>
        writeLogFile(p, LINES_PER_OBJECT, { lbResourceId: LB, startMs: T0 + i * 300_000, seed: i + 1 }),
      ),
    );
    // A plain file with malformed lines, a CRLF line and a blank line among good ones.
    const good = logText(400, 50, T0).trimEnd().split("\n");
    good.splice(10, 0, "not a log line", "", `${good[11]}\r`);
    good.splice(200, 0, 'http 2026-03-15T14:21:00Z app/web/1 "unterminated');
    writeFileSync(plain, `${good.join("\n")}\n`);
    writeFileSync(truncated, gzipSync(logText(2000, 60, T0)).subarray(0, 40_000));
    writeFileSync(notGzip, logText(5, 70, T0));
    writeFileSync(empty, "");
    mkdirSync(directory);
  });

  it.each([
    ["no window", undefined],
    ["a window cutting the files", { start: new Date(T0 + 240_000), end: new Date(T0 + 900_000) }],
  ])("gives the same summary with 2 workers as with none (%s)", async (_name, window) => {
    const o = { idleTimeoutSeconds: 60, window };
    const inProcess = await analyzeFiles(all, { ...o, workers: 0 });
    const pooled = await within(20_000, analyzeFiles(all, { ...o, workers: 2 }));
    expect(comparable(pooled)).toEqual(comparable(inProcess));

    // ...and that summary is the expected one, not an empty one on both sides.
    expect(pooled.objects.listed).toBe(all.length);
    expect(pooled.objects.scanned).toBe(all.length - 1);
    expect(pooled.objects.failed.map((f) => f.key).sort()).toEqual(
      [empty, missing, notGzip, truncated, directory].sort(),
    );
    // A path that cannot be read is that path's failure, not the scan's.
    expect(pooled.objects.failed.find((f) => f.key === directory)?.reason).toMatch(/^cannot read: EISDIR/);
    expect(pooled.lines.total).toBeGreaterThan(4 * LINES_PER_OBJECT + 400);
    expect(pooled.lines.malformed).toBe(2);
    expect(pooled.malformedSamples).toHaveLength(2);
    if (window) expect(pooled.lines.inWindow).toBeLessThan(pooled.lines.total);
    else expect(pooled.lines.inWindow).toBe(pooled.lines.total - 2);
    expect(Object.keys(pooled.byClass).length).toBeGreaterThan(3);
  });

  it("works from inside a worker thread, as the bot's diagnosis worker runs it", async () => {
    const worker = spawnWorker(new URL("../fixtures/workers/nested-scan.ts", import.meta.url), {
      workerData: { paths: gz },
    });
    try {
      const nested = await within(
        30_000,
        new Promise<LogSummary>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
      );
      const direct = await analyzeFiles(gz, { idleTimeoutSeconds: 60, workers: 0 });
      expect(comparable(nested)).toEqual(comparable(direct));
      expect(nested.lines.total).toBe(4 * LINES_PER_OBJECT);
    } finally {
      await worker.terminate();
    }
  });

  it("merges the same counts whatever the concurrency", async () => {
    const one = await analyzeFiles(gz, { idleTimeoutSeconds: 60, workers: 2, concurrency: 1 });
    const many = await analyzeFiles(gz, { idleTimeoutSeconds: 60, workers: 3, concurrency: 8 });
    expect(comparable(many)).toEqual(comparable(one));
    expect(one.lines.total).toBe(4 * LINES_PER_OBJECT);
  });
});

// ---------------------------------------------------------------------------------------------------
// S3 through the simulator
// ---------------------------------------------------------------------------------------------------

const FOLDER = `prod/AWSLogs/${ACCOUNT}/elasticloadbalancing/us-east-1/2026/03/15/`;
const objectKey = (endHHMM: string, n: number) =>
  `${FOLDER}${ACCOUNT}_elasticloadbalancing_us-east-1_app.my-alb.50dc6c495c0c9188_20260315T${endHHMM}Z_10.0.1.5_obj${n}.log.gz`;

/** A bucket holding four generated objects (14:00-14:20) and one that is not gzip. */
async function simWithLogs(faults: Record<string, unknown>[] = []): Promise<TestSim> {
  const sim = await startTestSim({
    name: "pool-logs",
    region: "us-east-1",
    accountId: ACCOUNT,
    now: "2026-03-15T15:00:00Z",
    buckets: [{ Name: "alb-logs" }],
    faults,
  });
  const bucket = sim.world.buckets.get("alb-logs");
  if (!bucket) throw new Error("no bucket");
  ["1405", "1410", "1415", "1420"].forEach((hhmm, i) => {
    const Body = gzipSync(logText(LINES_PER_OBJECT, 100 + i, T0 + i * 300_000));
    bucket.Objects.set(objectKey(hhmm, i), { Body, LastModified: new Date(), ETag: `"e${i}"` });
  });
  bucket.Objects.set(objectKey("1410", 9), {
    Body: Buffer.from("plain text\n"),
    LastModified: new Date(),
    ETag: '"x"',
  });
  return sim;
}

function windowRequest(s3: S3Client) {
  return {
    s3,
    bucket: "alb-logs",
    prefix: "prod",
    accountId: ACCOUNT,
    region: "us-east-1",
    lbResourceId: LB,
    window: { start: new Date(T0), end: new Date(T0 + 20 * 60_000) },
    idleTimeoutSeconds: 60,
  };
}

/**
 * The simulator's S3 client, with GetObject bodies that call `onChunk` after each chunk they hand out:
 * the test fires its abort from there, while the scan is under way. `buffered`: each body is received
 * whole first and handed out in 16 KB chunks (so the abort meets only the scan, not the HTTP stream);
 * otherwise the SDK's live stream is passed through.
 */
function s3WithChunkHook(s3: S3Client, onChunk: (n: number) => void, buffered: boolean): S3Client {
  let chunks = 0;
  const send = async (command: unknown, options?: unknown) => {
    const res = await (s3.send as (c: unknown, o?: unknown) => Promise<Record<string, unknown>>)(
      command,
      options,
    );
    if (command instanceof GetObjectCommand) {
      let body = res.Body as AsyncIterable<Uint8Array>;
      if (buffered) {
        const parts: Uint8Array[] = [];
        for await (const chunk of body) parts.push(chunk);
        const all = Buffer.concat(parts);
        body = Array.from({ length: Math.ceil(all.length / 16384) }, (_, i) =>
          all.subarray(i * 16384, (i + 1) * 16384),
        ) as unknown as AsyncIterable<Uint8Array>;
      }
      res.Body = (async function* () {
        for await (const chunk of body) {
          yield chunk;
          onChunk(++chunks);
        }
      })();
    }
    return res;
  };
  return { send } as unknown as S3Client;
}

/** The error a promise rejects with (an Error saying "resolved" if it does not). */
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => new Error("resolved"),
    (e: unknown) => e,
  );

describe("analyzeWindow over S3 (simulator): workers vs the calling thread", () => {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("gives the same summary with 2 workers as with none", async () => {
    sim = await simWithLogs();
    const inProcess = await analyzeWindow({ ...windowRequest(sim.clients.s3), workers: 0 });
    const pooled = await within(20_000, analyzeWindow({ ...windowRequest(sim.clients.s3), workers: 2 }));
    expect(comparable(pooled)).toEqual(comparable(inProcess));
    expect(pooled.objects.listed).toBe(5);
    expect(pooled.objects.failed).toEqual([
      { key: objectKey("1410", 9), reason: expect.stringMatching(/not gzip/) },
    ]);
    expect(pooled.lines.total).toBe(4 * LINES_PER_OBJECT);
    expect(pooled.lines.inWindow).toBeGreaterThan(3 * LINES_PER_OBJECT);
  });

  it.each([
    [0, 1],
    [0, 4],
    [2, 1],
    [2, 4],
  ])(
    "an abort in the middle of the scan stops it with a timeout (workers: %i, concurrency: %i)",
    async (workers, concurrency) => {
      sim = await simWithLogs();
      const controller = new AbortController();
      let handedOut = 0;
      const s3 = s3WithChunkHook(
        sim.clients.s3,
        (n) => {
          handedOut = n;
          if (n === 5) controller.abort(new DOMException("the collector's deadline passed", "TimeoutError"));
        },
        true,
      );
      const started = Date.now();
      const err = await within(
        10_000,
        rejection(analyzeWindow({ ...windowRequest(s3), workers, concurrency, signal: controller.signal })),
      );
      expect(isAlbDoctorError(err, "timeout"), String(err)).toBe(true);
      // Mid-scan: ~50 chunks in all, the abort came after the 5th and little was read after it.
      expect(handedOut).toBeGreaterThanOrEqual(5);
      expect(handedOut).toBeLessThan(5 + 2 * concurrency);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  it("AbortSignal.timeout during a slow GetObject stops a pooled scan with a timeout, without waiting", async () => {
    sim = await simWithLogs([{ Service: "s3", Action: "GetObject", LatencyMs: 5000 }]);
    const started = Date.now();
    const err = await within(
      10_000,
      rejection(
        analyzeWindow({ ...windowRequest(sim.clients.s3), workers: 2, signal: AbortSignal.timeout(300) }),
      ),
    );
    expect(isAlbDoctorError(err, "timeout"), String(err)).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

// ---------------------------------------------------------------------------------------------------
// Scanner: how many workers, and that they do the parsing
// ---------------------------------------------------------------------------------------------------

describe("workerCount", () => {
  const cores = availableParallelism();
  const MB = 1024 * 1024;
  it.each([
    // requested, objects, bytes, expected
    [0, 10, 1000 * MB, 0],
    [2, 10, 0, 2],
    [8, 3, 0, 3],
    [3, 0, 0, 0],
    [-1, 5, 0, 0],
    [undefined, 1, 1000 * MB, 0],
    [undefined, 0, 0, 0],
    [undefined, 5, PARALLEL_MIN_BYTES - 1, 0],
    [undefined, 2, PARALLEL_MIN_BYTES, Math.min(cores, 2)],
    [undefined, 3, 100 * MB, Math.min(cores, 3)],
    [undefined, 100, 1000 * MB, Math.min(cores, 4)],
  ])("requested %s, %i objects, %i bytes -> %i workers", (requested, objects, bytes, expected) => {
    expect(workerCount(requested, objects, bytes)).toBe(expected);
  });

  it("stays on the calling thread below 8 MB compressed", () => {
    expect(PARALLEL_MIN_BYTES).toBe(8 * 1024 * 1024);
  });
});

describe("createScanner", () => {
  const file = path("scanner.log.gz");
  beforeAll(() => writeFileSync(file, gzipSync(logText(LINES_PER_OBJECT, 5, T0))));

  it("parses on the calling thread with 0 workers", async () => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    const scanner = createScanner(agg, 0);
    expect(scanner.workers).toBe(0);
    expect(scanner.inFlight(undefined)).toBe(DEFAULT_CONCURRENCY);
    expect(scanner.inFlight(3)).toBe(3);
    await scanner.scanFile(file, false);
    expect(agg.total).toBe(LINES_PER_OBJECT); // counted here, right away
    await scanner.finish();
    await scanner.close();
    expect(agg.total).toBe(LINES_PER_OBJECT);
  });

  it("parses on worker threads with 2 workers: the caller's aggregator sees nothing until finish() merges", async () => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    const scanner = createScanner(agg, 2);
    try {
      expect(scanner.workers).toBe(2);
      // Two objects per worker at most: more would only buffer inflated data.
      expect(scanner.inFlight(undefined)).toBe(4);
      expect(scanner.inFlight(1)).toBe(1);
      const results = await within(
        15_000,
        Promise.all([scanner.scanFile(file, false), scanner.scanFile(file, false)]),
      );
      expect(results).toEqual([{}, {}]);
      expect(agg.total).toBe(0); // the lines were counted elsewhere
      await within(15_000, scanner.finish());
      expect(agg.total).toBe(2 * LINES_PER_OBJECT);
      expect(agg.malformed).toBe(0);
    } finally {
      await scanner.close();
    }
  });

  it("a stream scanned by a worker counts the same as on the calling thread", async () => {
    const body = gzipSync(logText(LINES_PER_OBJECT, 6, T0));
    async function* chunks() {
      for (let i = 0; i < body.length; i += 1000) yield body.subarray(i, i + 1000);
    }
    const here = new LogAggregator({ idleTimeoutSeconds: 60 });
    await createScanner(here, 0).scanStream(chunks(), false);
    const there = new LogAggregator({ idleTimeoutSeconds: 60 });
    const scanner = createScanner(there, 1);
    try {
      await within(15_000, scanner.scanStream(chunks(), false));
      await within(15_000, scanner.finish());
    } finally {
      await scanner.close();
    }
    const base = {
      enabled: true,
      window: { start: "", end: "" },
      objects: { listed: 0, scanned: 0, bytes: 0, failed: [] },
    };
    expect(there.summary(base)).toEqual(here.summary(base));
  });
});

// ---------------------------------------------------------------------------------------------------
// Broken workers
// ---------------------------------------------------------------------------------------------------

describe("a broken worker makes scans fail with an internal error, not hang", () => {
  const file = path("broken.log.gz");
  beforeAll(() => writeFileSync(file, gzipSync(logText(100, 8, T0))));

  const entries: [string, () => URL, RegExp][] = [
    ["a worker module that does not exist", () => new URL("file:///nonexistent/x.mjs"), /worker/],
    [
      "a worker module that throws as it loads",
      () => workerModule("throws.mjs", 'throw new Error("boom while loading");\n'),
      /boom while loading/,
    ],
    [
      "a worker that exits on its first message",
      () =>
        workerModule(
          "exits.mjs",
          'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n',
        ),
      /exited \(code 3\)/,
    ],
  ];

  it.each(entries)("%s: scanFile", async (_name, entry, message) => {
    const scanner = createScanner(new LogAggregator({ idleTimeoutSeconds: 60 }), 2, { workerEntry: entry() });
    try {
      const err = await within(
        10_000,
        scanner.scanFile(file, false).then(
          () => new Error("resolved"),
          (e: unknown) => e,
        ),
      );
      expect(isAlbDoctorError(err, "internal"), String(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    } finally {
      await scanner.close();
    }
  });

  it.each(entries)("%s: analyzeFiles", async (_name, entry) => {
    const err = await within(
      10_000,
      analyzeFiles([file, file, file], { idleTimeoutSeconds: 60, workers: 2, workerEntry: entry() }).then(
        () => new Error("resolved"),
        (e: unknown) => e,
      ),
    );
    expect(isAlbDoctorError(err, "internal"), String(err)).toBe(true);
  });

  it("finish() on a pool whose worker died rejects with the internal error too", async () => {
    const scanner = createScanner(new LogAggregator({ idleTimeoutSeconds: 60 }), 1, {
      workerEntry: workerModule(
        "exits-2.mjs",
        'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(4));\n',
      ),
    });
    try {
      await scanner.scanFile(file, false).catch(() => undefined);
      const err = await within(
        10_000,
        scanner.finish().then(
          () => new Error("resolved"),
          (e: unknown) => e,
        ),
      );
      expect(isAlbDoctorError(err, "internal"), String(err)).toBe(true);
    } finally {
      await scanner.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Known bugs
// ---------------------------------------------------------------------------------------------------

/** Collects the process's unhandled rejections while fn runs (and a little after). */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (e: unknown) => void seen.push(e);
  process.on("unhandledRejection", onRejection);
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  return seen;
}

/** Bugs these tests found in an earlier version of the pool, kept as regressions. */
describe("pool failures and aborts (regressions)", () => {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("an abort while the SDK streams S3 bodies stops a pooled scan with a timeout, and nothing rejects unhandled", async () => {
    // Was: AlbDoctorError internal "log analysis failed: aborted" (the SDK's torn-down body stream
    // fails with a plain Error before the signal is looked at; also happens with workers: 0), and the
    // pool's `done` promise of the forwarded scan rejects with the abort reason while nothing awaits it.
    sim = await simWithLogs();
    const controller = new AbortController();
    const s3 = s3WithChunkHook(
      sim.clients.s3,
      (n) => n === 2 && controller.abort(new DOMException("deadline", "TimeoutError")),
      false,
    );
    let err: unknown;
    const unhandled = await unhandledDuring(async () => {
      err = await rejection(
        analyzeWindow({ ...windowRequest(s3), workers: 2, concurrency: 1, signal: controller.signal }),
      );
    });
    expect(isAlbDoctorError(err, "timeout"), String(err)).toBe(true);
    expect(unhandled.map(String)).toEqual([]);
  });

  it("a scan started after the pool broke rejects with the internal error (not a TypeError)", async () => {
    // Was: scanFile threw TypeError "Cannot read properties of undefined (reading 'slot')"
    // synchronously, scanStream rejected with it, and each left Promise.reject(broken) unhandled.
    const file = path("late.log.gz");
    writeFileSync(file, gzipSync(logText(10, 9, T0)));
    const scanner = createScanner(new LogAggregator({ idleTimeoutSeconds: 60 }), 1, {
      workerEntry: new URL("file:///nonexistent/x.mjs"),
    });
    const unhandled = await unhandledDuring(async () => {
      await rejection(scanner.scanFile(file, false)); // the pool breaks here
      const late = await rejection(Promise.resolve().then(() => scanner.scanFile(file, false)));
      expect(isAlbDoctorError(late, "internal"), String(late)).toBe(true);
      const lateStream = await rejection(scanner.scanStream([new Uint8Array([0x1f, 0x8b])] as never, false));
      expect(isAlbDoctorError(lateStream, "internal"), String(lateStream)).toBe(true);
    });
    await scanner.close();
    expect(unhandled.map(String)).toEqual([]);
  });

  it("a worker dying while a stream is forwarded fails that scan without an unhandled rejection", async () => {
    // Was: the scan rejected with internal "a log-scan worker exited (code 5)" as it should, and the
    // same error was also reported as an unhandled rejection (a crash under Node's default mode).
    const entry = workerModule(
      "exit-on-chunk.mjs",
      'import { parentPort } from "node:worker_threads";\n' +
        'parentPort.on("message", (m) => { if (m.t === "chunk") setTimeout(() => process.exit(5), 10); });\n',
    );
    const scanner = createScanner(new LogAggregator({ idleTimeoutSeconds: 60 }), 1, { workerEntry: entry });
    async function* slow() {
      for (let i = 0; i < 3; i++) {
        yield new Uint8Array([0x1f, 0x8b, 0, 0]);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    let err: unknown;
    const unhandled = await unhandledDuring(async () => {
      err = await rejection(scanner.scanStream(slow(), false));
    });
    await scanner.close();
    expect(isAlbDoctorError(err, "internal"), String(err)).toBe(true);
    expect(unhandled.map(String)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// A pool that breaks while a stream waits for acks
// ---------------------------------------------------------------------------------------------------

describe("ScanPool: a stream waiting for acks when the pool breaks", () => {
  it("rejects with the pool's reason instead of waiting forever for an ack that cannot come", async () => {
    // A worker that takes every chunk and acknowledges none: the stream's window fills and it waits.
    const entry = workerModule(
      "silent-worker.mjs",
      `import { parentPort } from "node:worker_threads"; parentPort.on("message", () => {});`,
    );
    const pool = new ScanPool({ workers: 1, aggregate: { idleTimeoutSeconds: 60 }, entry });
    let handedOut = 0;
    let waiting!: () => void;
    const windowFull = new Promise<void>((r) => (waiting = r));
    async function* endless() {
      for (;;) {
        handedOut++;
        if (handedOut === 5) waiting(); // 4 chunks unacknowledged: the 5th waits for an ack
        yield new Uint8Array(16);
      }
    }
    const scan = rejection(pool.scanStream(endless(), false));
    await within(10_000, windowFull);
    await pool.close(new Error("the collector's deadline passed"));
    const err = await within(5_000, scan);
    expect(String(err)).toContain("the collector's deadline passed");
    expect(handedOut).toBe(5);
  });
});
