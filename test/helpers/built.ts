/**
 * The compiled package for tests that run it as a user does (`node dist/...`, `npm start`): dist/ is rebuilt
 * first when a source file is newer than the last build, so such a test never runs yesterday's code.
 * Type errors are `npm run typecheck`'s business; this build only emits (tsc --noCheck). Test files run in
 * parallel, so one build at a time, behind a lock directory; the others wait for it and re-check.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, rmdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

export const ROOT = resolve(import.meta.dirname, "../..");
/** The compiled CLI entry, as bin/alb-doctor.js loads it. */
export const BUILT_CLI = join(ROOT, "dist/src/cli/bin.js");
export const BUILT_BOT = join(ROOT, "dist/src/main.js");
/** The same CLI from source (tsx), for tests about behaviour rather than the package: no build needed. */
export const SOURCE_CLI_ARGS = [
  "--import",
  pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href,
  join(ROOT, "src/cli/bin.ts"),
];

const STAMP = join(ROOT, "dist/.built");
const LOCK = join(ROOT, "dist/.building");
const INPUTS = ["src", "commands", "package.json", "tsconfig.json", "tsconfig.build.json"];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

function stale(): boolean {
  try {
    return Math.max(...INPUTS.map((p) => newest(join(ROOT, p)))) > statSync(STAMP).mtimeMs;
  } catch {
    return true; // never built
  }
}

export async function ensureBuilt(): Promise<void> {
  while (stale()) {
    mkdirSync(join(ROOT, "dist"), { recursive: true });
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is building; a lock left by a killed run (older than any build) is taken over.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 600_000) rmdirSync(LOCK);
      else await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      const started = Date.now();
      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.build.json", "--noCheck"], {
        cwd: ROOT,
      });
      // Stamped with the start time: a source saved during the build makes the next call build again.
      writeFileSync(STAMP, "");
      utimesSync(STAMP, new Date(started), new Date(started));
    } finally {
      rmdirSync(LOCK);
    }
  }
}
