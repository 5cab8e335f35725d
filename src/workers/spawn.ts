/**
 * Starting a worker thread on one of the project's modules. Callers name the entry beside their own module
 * (`new URL("./x.ts", import.meta.url)`); compiled, that module lives in dist/ next to x.js and no x.ts, so
 * the entry that exists is taken: the compiled sibling in dist/, the TypeScript file under tsx and vitest.
 * A TypeScript entry registers tsx's ESM hooks itself first, because Node 20 does not apply --import hooks
 * to worker threads (tsx is a dev dependency: only source checkouts start .ts workers). A bundled
 * JavaScript entry (the benchmarks) is imported as it is.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export interface SpawnOptions extends Pick<WorkerOptions, "workerData" | "resourceLimits"> {
  /** A nice value for the thread (Linux: per thread), set before the entry loads. */
  nice?: number;
}

function tsxApiUrl(): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const exportsMap = JSON.parse(readFileSync(join(tsxDir, "package.json"), "utf8")).exports;
  return pathToFileURL(join(tsxDir, exportsMap["./esm/api"].import.default)).href;
}

function bootstrapSource(entry: URL, nice?: number): string {
  const lines: string[] = [];
  // Lower this thread's CPU priority before anything else runs on it.
  if (nice !== undefined) lines.push(`try { require("node:os").setPriority(${nice}); } catch {}`);
  const load = `import(${JSON.stringify(entry.href)})`;
  if (entry.pathname.endsWith(".ts")) {
    lines.push(`import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return ${load}; });`);
  } else {
    lines.push(`${load};`);
  }
  return lines.join(" ");
}

/** The entry file that exists: as given, else its .js/.ts sibling (compiled vs source). */
export function resolveEntry(entry: URL): URL {
  if (entry.protocol !== "file:" || existsSync(fileURLToPath(entry))) return entry;
  const swapped = entry.pathname.endsWith(".ts")
    ? new URL(entry.href.replace(/\.ts$/, ".js"))
    : entry.pathname.endsWith(".js")
      ? new URL(entry.href.replace(/\.js$/, ".ts"))
      : entry;
  return existsSync(fileURLToPath(swapped)) ? swapped : entry;
}

export function spawnWorker(entry: URL, options: SpawnOptions = {}): Worker {
  return new Worker(bootstrapSource(resolveEntry(entry), options.nice), {
    eval: true,
    workerData: options.workerData,
    resourceLimits: options.resourceLimits,
  });
}
