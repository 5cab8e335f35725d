/** The installed entry point: `node bin/alb-doctor.js` runs the TypeScript CLI with no build step. */
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/domain/report.ts";

const BIN = fileURLToPath(new URL("../../bin/alb-doctor.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const exec = promisify(execFile);

/** Runs the bin; resolves with the exit code and output whatever the code (execFile rejects on non-zero). */
async function bin(...args: string[]) {
  const env = { ...process.env, NO_COLOR: "1" };
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: ROOT, env, maxBuffer: 16 << 20 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe("bin/alb-doctor.js", { timeout: 180_000 }, () => {
  it("stops quietly when its reader closes the pipe (alb-doctor scenarios | head -1)", async () => {
    const child = spawn(process.execPath, [BIN, "scenarios"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it("--help prints the usage, exit 0", async () => {
    const r = await bin("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: alb-doctor /);
    expect(r.err).toBe("");
  });

  it("check --json on a scenario prints the report, exit 1 for problems found, nothing on stderr", async () => {
    const r = await bin("check", "shop-prod", "--scenario", "scenarios/keepalive-race.yaml", "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.status).toBe("problems-found");
    expect(report.findings[0].id).toBe("keepalive-race");
  });

  it("a usage error is one alb-doctor: line on stderr, exit 2", async () => {
    const r = await bin("check", "shop-prod", "--window", "5x");
    expect(r.code).toBe(2);
    expect(r.err).toBe('alb-doctor: "5x" is not a window: use a number and a unit, e.g. 30m, 1h, 2d\n');
  });
});
