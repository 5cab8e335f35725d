/**
 * The package as a user runs it: the compiled CLI (`node dist/src/cli/bin.js`, which bin/alb-doctor.js
 * loads), built from the current sources first. It must run from dist/ alone: shipped scenarios found from
 * the package root, workers started from their compiled files.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/domain/report.ts";
import { BUILT_CLI, ROOT, ensureBuilt } from "../helpers/built.ts";

const BIN = `${ROOT}/bin/alb-doctor.js`;
const exec = promisify(execFile);

/** Runs a script; resolves with the exit code and output whatever the code (execFile rejects on non-zero). */
async function run(script: string, ...args: string[]) {
  const env = { ...process.env, NO_COLOR: "1" };
  try {
    const r = await exec(process.execPath, [script, ...args], { cwd: ROOT, env, maxBuffer: 16 << 20 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}
const built = (...args: string[]) => run(BUILT_CLI, ...args);

describe("the built CLI (node dist/...)", { timeout: 240_000 }, () => {
  beforeAll(() => ensureBuilt(), 240_000);

  it("--help prints the usage and the exit codes, exit 0", async () => {
    const r = await built("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: alb-doctor /);
    for (const command of ["check", "logs", "sim", "scenarios", "audit"])
      expect(r.out).toMatch(new RegExp(`^Exit codes[^]*\\n  ${command} +0 `, "m"));
    expect(r.err).toBe("");
  });

  it("bin/alb-doctor.js is the same CLI", async () => {
    const r = await run(BIN, "--version");
    expect(r).toEqual({ code: 0, out: "0.1.0\n", err: "" });
  });

  it("scenarios lists the shipped scenarios from the package root, not from dist/", async () => {
    const r = await built("scenarios", "--json");
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { file: string }[];
    expect(list.map((s) => s.file)).toContain("keepalive-race.yaml");
  });

  it("check --scenario NAME prints the report, exit 1 for problems found, nothing on stderr", async () => {
    const r = await built("check", "shop-prod", "--scenario", "keepalive-race", "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.status).toBe("problems-found");
    expect(report.findings[0].id).toBe("keepalive-race");
  });

  it("check --blocks prints pure JSON (what `| jq` reads)", async () => {
    const r = await built("check", "shop-prod", "--scenario", "keepalive-race", "--blocks");
    expect(r.code).toBe(1);
    const message = JSON.parse(r.out) as { blocks: unknown[]; text: string };
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(message.text).toContain("shop-prod");
  });

  it("stops quietly when its reader closes the pipe (alb-doctor scenarios | head -1)", async () => {
    const child = spawn(process.execPath, [BUILT_CLI, "scenarios"], {
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

  it("a usage error is one alb-doctor: line on stderr, exit 2", async () => {
    const r = await built("check", "shop-prod", "--window", "5x");
    expect(r.code).toBe(2);
    expect(r.err).toBe('alb-doctor: "5x" is not a window: use a number and a unit, e.g. 30m, 1h, 2d\n');
  });
});
