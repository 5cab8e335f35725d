/**
 * The package's root directory (the one holding package.json), found from this module's own location, so
 * that shipped files (scenarios/) are found the same way from src/ under tsx and from dist/src/ once
 * compiled: a path relative to the module would point into dist/ there.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && isOurs(manifest)) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`alb-doctor's package.json not found above ${import.meta.url}`);
    dir = parent;
  }
}

/** A path inside the package, e.g. packagePath("scenarios"). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** dist/ has no package.json of its own, but a stray one (a test fixture, say) must not be taken for ours. */
function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "alb-doctor";
  } catch {
    return false;
  }
}
