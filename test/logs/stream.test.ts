/** Bad input never stops the scan: each bad object or line is counted and named, the rest is analyzed. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../src/logs/analyze.ts";
import { decode, splitLines, MAX_LINE_BYTES, type LineSink } from "../../src/logs/stream.ts";

const dir = mkdtempSync(join(tmpdir(), "alb-logs-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = (n: number, status = "502 -", times = "-1 -1 -1") =>
  Array.from(
    { length: n },
    (_, i) =>
      `http 2026-03-15T14:21:${String(i % 60).padStart(2, "0")}.000000Z app/web/1 1.2.3.4:5 10.0.0.1:80 ${times} ${status} 1 2 "GET http://h:80/x/${i} HTTP/1.1" "ua" - - arn:tg "Root=1" "-" "-" 0 2026-03-15T14:21:00.000000Z "forward" "-" "-" "-" "-" "-" "-"`,
  ).join("\n") + "\n";

function file(name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

function collector(): LineSink & { lines: string[]; malformed: number } {
  const c = {
    lines: [] as string[],
    malformed: 0,
    addLine(buf: Buffer, s: number, e: number) {
      c.lines.push(buf.toString("utf8", s, e));
      return null;
    },
    addMalformed() {
      c.malformed++;
    },
  };
  return c;
}

describe("splitLines", () => {
  it("joins lines across chunk boundaries, handles CRLF and a last line without newline", async () => {
    const c = collector();
    await splitLines(chunks("ab", "c\nde", "f\r\n\ng", "h"), c);
    expect(c.lines).toEqual(["abc", "def\r", "", "gh"]);
  });

  it("counts an overlong line as malformed and goes on with the next", async () => {
    const c = collector();
    const huge = "x".repeat(MAX_LINE_BYTES + 10);
    await splitLines(chunks("first\n", huge.slice(0, 600_000), huge.slice(600_000), "\nlast\n"), c);
    expect(c.lines).toEqual(["first", "last"]);
    expect(c.malformed).toBe(1);
  });
});

describe("decode", () => {
  it("gunzips multi-member gzip (concatenated files)", async () => {
    const data = Buffer.concat([gzipSync("a\n"), gzipSync("b\n")]);
    const out: Buffer[] = [];
    for await (const c of decode(chunks(data.subarray(0, 1), data.subarray(1)), false)) out.push(c);
    expect(Buffer.concat(out).toString()).toBe("a\nb\n");
  });
});

describe("analyzeFiles with bad input", () => {
  const gz = file("ok.log.gz", gzipSync(good(50)));
  const plain = file("ok.log", good(10, "200 200", "0.001 0.002 0.000"));
  const truncated = file("truncated.log.gz", gzipSync(good(2000)).subarray(0, 3000));
  const notGzip = file("text-named.log.gz", good(5));
  const empty = file("empty.log.gz", "");
  const binary = file(
    "binary.log.gz",
    gzipSync(
      Buffer.concat([
        Buffer.from(good(3)),
        Buffer.from([0, 1, 2, 0xff, 0xfe, 0x22, 10]),
        Buffer.from(good(2)),
      ]),
    ),
  );
  const unbalanced = file(
    "unbalanced.log",
    `${good(1)}http 2026-03-15T14:21:00Z app/web/1 "unterminated\n${good(1)}`,
  );
  const missing = join(dir, "does-not-exist.log.gz");

  it("counts each bad object with its key and reason, and analyzes the rest", async () => {
    const s = await analyzeFiles([gz, plain, truncated, notGzip, empty, binary, unbalanced, missing], {
      idleTimeoutSeconds: 60,
      concurrency: 3,
    });
    const failed = Object.fromEntries(s.objects.failed.map((f) => [f.key.split("/").pop(), f.reason]));
    expect(Object.keys(failed).sort()).toEqual(
      ["does-not-exist.log.gz", "empty.log.gz", "text-named.log.gz", "truncated.log.gz"].sort(),
    );
    expect(failed["truncated.log.gz"]).toMatch(/gzip/);
    expect(failed["text-named.log.gz"]).toMatch(/not gzip/);
    expect(failed["empty.log.gz"]).toMatch(/empty/);
    expect(failed["does-not-exist.log.gz"]).toMatch(/ENOENT/);
    // binary line and unbalanced-quote line are malformed lines, not failed objects
    expect(s.lines.malformed).toBe(2);
    // the truncated object's complete lines before the cut still count
    const truncatedLines = s.lines.total - (50 + 10 + 5 + 2 + 2);
    expect(truncatedLines).toBeGreaterThan(0);
    expect(s.byStatus["200"]).toBe(10);
    expect(s.byClass["elb-502-target-closed"]).toBe(s.byStatus["502"]);
    expect(s.objects.listed).toBe(8);
    const sizes = [gz, plain, truncated, notGzip, empty, binary, unbalanced].map((p) => statSync(p).size);
    expect(s.objects.bytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(s.objects.scanned).toBe(7);
  });
});
