import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";

const dir = mkdtempSync(join(tmpdir(), "alb-logs-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const docLog = fileURLToPath(new URL("../fixtures/logs/aws-doc-examples.log", import.meta.url));
const docText = readFileSync(docLog, "utf8");

async function run(...args: string[]) {
  const io = captureIo();
  const code = await main(["node", "alb-doctor", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe("alb-doctor logs parse --jsonl", () => {
  it("prints one JSON object per line with its 1-based line number, and reports bad lines on stderr", async () => {
    const lines = docText.trimEnd().split("\n");
    const mixed = [lines[0], "garbage here", "", lines[6]].join("\n") + "\n";
    const path = join(dir, "mixed.log.gz");
    writeFileSync(path, gzipSync(mixed));
    const r = await run("logs", "parse", path, "--jsonl");
    const objects = r.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(objects.map((o) => o.line)).toEqual([1, 4]);
    expect(objects[1]).toMatchObject({
      elb_status_code: 502,
      target_status_code: null,
      error_reason: "LambdaInvalidResponse",
    });
    expect(Object.keys(objects[0])[0]).toBe("line");
    expect(r.err).toContain(`${path}:2: expected at least 18 fields`);
    expect(r.err).toMatch(/3 lines, 1 could not be parsed/);
    expect(r.code).toBe(1);
  });
});

describe("alb-doctor logs --files", () => {
  it("summarizes local files as JSON", async () => {
    const r = await run("logs", "--files", docLog, "--json");
    const s = JSON.parse(r.out) as LogSummary;
    expect(s.lines.total).toBe(13);
    expect(s.byClass).toEqual({ "lambda-error": 1, "elb-5xx-other": 1, "waf-error": 1, "auth-error": 1 });
    expect(s.byErrorReason).toMatchObject({ LambdaInvalidResponse: 1, WAFConnectionError: 1 });
    expect(r.code).toBe(0);
  });

  it("prints a readable summary", async () => {
    const r = await run("logs", "--files", docLog, "--idle-timeout", "120");
    expect(r.out).toContain("Errors by cause:");
    expect(r.out).toMatch(/1 +lambda-error +Lambda target error/);
    expect(r.out).toContain("idle timeout of 120 s");
  });

  it("says why when no file could be read, instead of an empty summary", async () => {
    const r = await run("logs", "--files", "/nonexistent/a.log.gz");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^alb-doctor: \/nonexistent\/a\.log\.gz: .*ENOENT/);
  });

  it("refuses to run without a load balancer or files", async () => {
    const r = await run("logs");
    expect(r.code).toBe(2);
    expect(r.err).toContain("give a load balancer");
  });
});
