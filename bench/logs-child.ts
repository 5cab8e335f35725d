/**
 * One measured run for bench/logs.bench.ts, in its own process so that its peak RSS is its own:
 *   gunzip FILES...   bare Node gunzip of the files at the given concurrency (the floor)
 *   analyze FILES...  the full analyzer (parse, classify, aggregate) over local files
 *   s3 ENDPOINT BUCKET PREFIX LB START END   the analyzer over S3 (the simulator)
 * Prints one JSON line: { wallMs, cpuMs, maxRssMB, bytes, lines }.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { analyzeFiles } from "../src/logs/files.ts";
import { forEachLimited } from "../src/logs/limit.ts";

const [mode, ...args] = process.argv.slice(2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** The bundled pool worker next to this bundled child; BENCH_WORKERS=0 parses on the main thread. */
const workerEntry = new URL("./pool-worker.mjs", import.meta.url);
const workers = process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let bytes = 0;
let lines = 0;

if (mode === "gunzip") {
  await forEachLimited(args, concurrency, async (path) => {
    const gunzip = createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(
      createGunzip({ chunkSize: 256 * 1024 }),
    );
    for await (const chunk of gunzip) bytes += (chunk as Buffer).length;
  });
} else if (mode === "analyze") {
  const s = await analyzeFiles(args, { idleTimeoutSeconds: 60, concurrency, workers, workerEntry });
  bytes = s.objects.bytes;
  lines = s.lines.total;
  if (s.objects.failed.length) throw new Error(JSON.stringify(s.objects.failed));
} else if (mode === "s3") {
  const [endpoint, bucket, prefix, lbResourceId, start, end] = args;
  // Loaded only here, so the SDK's memory is not counted in the local-file runs.
  const { createAwsClients, SIMULATOR_CREDENTIALS } = await import("../src/aws/clients.ts");
  const { analyzeWindow } = await import("../src/logs/analyze.ts");
  const aws = createAwsClients({ region: "us-east-1", endpoint, credentials: SIMULATOR_CREDENTIALS });
  const s = await analyzeWindow({
    s3: aws.s3,
    bucket,
    prefix,
    accountId: "123456789012",
    region: "us-east-1",
    lbResourceId,
    window: { start: new Date(start), end: new Date(end) },
    idleTimeoutSeconds: 60,
    concurrency,
    workers,
    workerEntry,
  });
  aws.destroy();
  bytes = s.objects.bytes;
  lines = s.lines.total;
  if (s.objects.failed.length || s.objects.listed === 0) throw new Error(JSON.stringify(s.objects));
} else {
  throw new Error(`unknown mode ${mode}`);
}
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    bytes,
    lines,
  }),
);
