#!/usr/bin/env node
// The installed `alb-doctor` command: the compiled CLI in dist/ (`npm ci` builds it through the `prepare`
// script; `npm run build` rebuilds it after a change to the sources).
import { existsSync } from "node:fs";

const entry = new URL("../dist/src/cli/bin.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("alb-doctor: not built yet: run `npm run build` in the alb-doctor directory\n");
  process.exit(2);
}
await import(entry.href);
