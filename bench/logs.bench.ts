/**
 * `npm run bench:logs`: the access-log analyzer against the tools people use today.
 * Generates FILES (default 8) gzip files of LINES (default 150,000) realistic lines (~700 MB uncompressed;
 * cached in the temp dir between runs), then measures, interleaved, ROUNDS times each:
 *   (a) zcat FILES | awk '$9 == 502 || $9 == 504'
 *   (b) a bare Node.js gunzip of the same files at the same concurrency (the floor)
 *   (c) the full analyzer (parse, classify, aggregate), in a child process so its peak RSS is its own,
 *       with its default worker threads and again on one thread
 * and the analyzer over 4x the files (RSS flatness), and over S3 through the simulator when it serves S3.
 * Prints a Markdown section for docs/benchmarks.md.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeLogFile } from "./generate-logs.ts";

const FILES = Number(process.env.BENCH_FILES ?? 8);
const LINES = Number(process.env.BENCH_LINES ?? 150_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LB = "app/web/50dc6c495c0c9188";
const START = Date.UTC(2026, 10, 26, 7, 0);
const here = dirname(fileURLToPath(import.meta.url));
const dir = join(tmpdir(), `alb-doctor-bench-logs-${LINES}`);

interface Run {
  wallMs: number;
  cpuMs?: number;
  maxRssMB?: number;
  bytes?: number;
  lines?: number;
}

function keyName(i: number): string {
  const end = new Date(START + (i + 1) * 5 * 60_000);
  const stamp = end.toISOString().replace(/[-:]/g, "").slice(0, 13) + "Z";
  return `123456789012_elasticloadbalancing_us-east-1_${LB.replaceAll("/", ".")}_${stamp}_10.0.1.${10 + i}_bench${i}.log.gz`;
}

async function generate(): Promise<{ files: string[]; uncompressed: number }> {
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, "manifest.json");
  const sizes: Record<string, number> = existsSync(manifest)
    ? JSON.parse(readFileSync(manifest, "utf8"))
    : {};
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const path = join(dir, keyName(i));
    if (!existsSync(path) || !sizes[path]) {
      process.stderr.write(`generating ${path}\n`);
      sizes[path] = await writeLogFile(path, LINES, {
        lbResourceId: LB,
        startMs: START + i * 5 * 60_000,
        seed: i + 1,
      });
      writeFileSync(manifest, JSON.stringify(sizes));
    }
    files.push(path);
  }
  return { files, uncompressed: files.reduce((a, f) => a + sizes[f], 0) };
}

/**
 * The child runs as one plain-JS bundle (esbuild, already installed as tsx's compiler): with `--import tsx`
 * the loader's own compile time and memory would be counted in the measured process.
 */
async function bundleChild(): Promise<string> {
  const { build } = await import("esbuild");
  const common = {
    bundle: true,
    platform: "node" as const,
    format: "esm" as const,
    target: "node20",
    logLevel: "error" as const,
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  };
  const outfile = join(dir, "logs-child.mjs");
  await build({ ...common, entryPoints: [join(here, "logs-child.ts")], outfile });
  // The scan pool's worker module, next to the child, which hands it to the analyzer (BENCH_WORKER_ENTRY).
  await build({
    ...common,
    entryPoints: [join(here, "..", "src/logs/pool-worker.ts")],
    outfile: join(dir, "pool-worker.mjs"),
  });
  return outfile;
}

function child(mode: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [childJs, mode, ...args], {
    encoding: "utf8",
    env: { ...process.env, BENCH_CONCURRENCY: String(CONCURRENCY), ...env },
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as Run;
}

function awk(files: string[]): Run & { matches: number } {
  const t0 = performance.now();
  // `times` prints the CPU time of the shell's children (zcat, awk, wc) once the pipeline is done.
  const script = `zcat "$@" | awk '$9 == 502 || $9 == 504' | wc -l; times`;
  const out = execFileSync("bash", ["-c", script, "bash", ...files], { encoding: "utf8" }).split("\n");
  const secs = (t = "") => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  const [user, sys] = (out[2] ?? "").trim().split(/\s+/);
  return {
    wallMs: Math.round(performance.now() - t0),
    cpuMs: Math.round((secs(user) + secs(sys)) * 1000),
    matches: Number(out[0].trim()),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);

const { files, uncompressed } = await generate();
const childJs = await bundleChild();
const compressed = files.reduce((a, f) => a + readFileSync(f).length, 0);
const runs = { a: [] as Run[], b: [] as Run[], c: [] as Run[], c1: [] as Run[], c32: [] as Run[] };
let awkMatches = 0;
const files32 = [...files, ...files, ...files, ...files];
for (let round = 0; round < ROUNDS; round++) {
  process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
  const a = awk(files);
  awkMatches = a.matches;
  runs.a.push(a);
  runs.b.push(child("gunzip", files));
  runs.c.push(child("analyze", files));
  runs.c1.push(child("analyze", files, { BENCH_WORKERS: "0" }));
  runs.c32.push(child("analyze", files32));
}

let s3: Run | undefined;
let s3One: Run | undefined;
let s3Note = "";
try {
  s3 = await runS3(files);
  s3One = await runS3(files, { BENCH_WORKERS: "0" });
} catch (e) {
  s3Note = `not measured: ${(e as Error).message.split("\n")[0]}`;
}

/** Like child(), but without blocking this process's event loop (the simulator serving S3 runs here). */
function childAsync(mode: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [childJs, mode, ...args], {
      env: { ...process.env, BENCH_CONCURRENCY: String(CONCURRENCY), ...env },
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop() as string) as Run)
        : reject(new Error(`${mode} failed: ${err}`)),
    );
  });
}

async function runS3(paths: string[], env: Record<string, string> = {}): Promise<Run> {
  const { startS3Simulator } = await import("./logs-sim.ts");
  const sim = await startS3Simulator(paths, keyName);
  try {
    const start = new Date(START).toISOString();
    const end = new Date(START + FILES * 5 * 60_000).toISOString();
    return await childAsync("s3", [sim.endpoint, sim.bucket, sim.prefix, LB, start, end], env);
  } finally {
    await sim.close();
  }
}

// Check the analyzer counts what awk counts.
const verify = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "-e",
    `import("${join(here, "..", "src/logs/analyze.ts")}").then(async (m) => { const s = await m.analyzeFiles(${JSON.stringify(files)}, { idleTimeoutSeconds: 60 }); console.log((s.byStatus["502"] ?? 0) + (s.byStatus["504"] ?? 0)); })`,
  ],
  { encoding: "utf8" },
);
const analyzerMatches = Number(verify.stdout.trim());

const cpuModel =
  readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? "?";
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const A = median(runs.a.map((r) => r.wallMs));
const B = median(runs.b.map((r) => r.wallMs));
const C = median(runs.c.map((r) => r.wallMs));
const C32 = median(runs.c32.map((r) => r.wallMs));
const rss = (rs: Run[]) => Math.max(...rs.map((r) => r.maxRssMB ?? 0));
const row = (name: string, rs: Run[], bytes: number, extra = "") => {
  const w = median(rs.map((r) => r.wallMs));
  const cpu = rs[0].cpuMs === undefined ? "-" : String(median(rs.map((r) => r.cpuMs as number)));
  const m = rs[0].maxRssMB === undefined ? "-" : String(rss(rs));
  return `| ${name} | ${w} | ${rs.map((r) => r.wallMs).join(" / ")} | ${mbps(bytes, w)} | ${cpu} | ${m} | ${extra} |`;
};

console.log(`## Access-log analyzer

Command: \`npm run bench:logs\` (BENCH_FILES=${FILES} BENCH_LINES=${LINES} BENCH_ROUNDS=${ROUNDS} BENCH_CONCURRENCY=${CONCURRENCY})
Machine: ${cpus().length} CPUs (\`nproc\` ${execFileSync("nproc", { encoding: "utf8" }).trim()}), ${cpuModel}, Node ${process.version}; load average at the end ${load}.
Data: ${FILES} files x ${LINES} lines = ${(uncompressed / 1e6).toFixed(0)} MB uncompressed (${(compressed / 1e6).toFixed(0)} MB gzip), generated by bench/generate-logs.ts.
Times are wall-clock ms, median of ${ROUNDS} interleaved rounds (each round listed); MB/s of uncompressed data; CPU = user+sys ms of the measured work in the child (load-independent, unlike wall time).

| run | median ms | rounds ms | MB/s | CPU ms | peak RSS MB | notes |
|---|---|---|---|---|---|---|
${row("(a) zcat \\| awk '$9 == 502 \\|\\| $9 == 504'", runs.a, uncompressed, `${awkMatches} lines matched`)}
${row("(b) Node gunzip only (floor)", runs.b, uncompressed)}
${row(`(c) analyzer, ${FILES} files`, runs.c, uncompressed, `502+504 counted: ${analyzerMatches} (awk: ${awkMatches})`)}
${row(`(c) analyzer, ${FILES} files, one thread (--workers 0)`, runs.c1, uncompressed)}
${row(`(c) analyzer, ${files32.length} files`, runs.c32, uncompressed * 4)}
${s3 ? row("(c) analyzer over S3 (simulator in the benchmark process)", [s3], uncompressed) : `| (c) analyzer over S3 (simulator) | - | - | - | - | - | ${s3Note} |`}
${s3One ? row("(c) analyzer over S3, one thread (--workers 0)", [s3One], uncompressed) : ""}

Goals: (c) >= 3x faster than (a): ${(A / C).toFixed(2)}x ${A / C >= 3 ? "MET" : "MISSED"}; (c) <= 2x (b): ${(C / B).toFixed(2)}x ${C / B <= 2 ? "MET" : "MISSED"}; peak RSS <= 200 MB for ${FILES} and ${files32.length} files: ${rss(runs.c)} / ${rss(runs.c32)} MB ${Math.max(rss(runs.c), rss(runs.c32)) <= 200 ? "MET" : "MISSED"} (${files32.length} files took ${(C32 / C).toFixed(2)}x the time of ${FILES}).
`);
