/**
 * A gzip bomb is stopped, not read to the end: one object that inflates beyond the per-object cap (ratio
 * above a floor, or absolute size) is reported in `objects.failed` as skipped with the reason, and the rest
 * of the window is analyzed. Local files (calling thread and workers) and S3 bodies from the simulator
 * through the real SDK client (calling thread and the pool, whose worker stops reading early). The bomb is
 * made of repeated gzip members (1 GiB inflated from about 1 MiB), so building it takes milliseconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLine, rng } from "../../bench/generate-logs.ts";
import { analyzeFiles, analyzeWindow } from "../../src/logs/analyze.ts";
import { DEFAULT_INFLATE_LIMITS, inflateExceeded, type InflateLimits } from "../../src/logs/stream.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const ACCOUNT = "123456789012";
const LB = "app/my-alb/50dc6c495c0c9188";
const T0 = Date.parse("2026-03-15T14:00:00Z");
const MiB = 1024 * 1024;

/** `members` gzip members of 16 MiB of zeros each: 16 x members MiB inflated. */
function bomb(members: number): Buffer {
  const member = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

function logText(n: number, seed: number): string {
  const r = rng(seed);
  const o = { lbResourceId: LB, startMs: T0, seed };
  return `${Array.from({ length: n }, (_, i) => makeLine(r, o, i, 5 * 60_000)).join("\n")}\n`;
}

const dir = mkdtempSync(join(tmpdir(), "alb-logs-bomb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GIB_BOMB = bomb(64);
const GOOD = gzipSync(logText(2000, 7));

describe("inflateExceeded", () => {
  const l: InflateLimits = { maxBytes: 100 * MiB, maxRatio: 50, ratioFloorBytes: 10 * MiB };
  it("ignores the ratio below the floor and names the cap above it", () => {
    expect(inflateExceeded(9 * MiB, 1024, l)).toBeUndefined();
    expect(inflateExceeded(11 * MiB, 1 * MiB, l)).toBeUndefined();
    expect(inflateExceeded(11 * MiB, 100 * 1024, l)).toMatch(
      /^skipped: inflates more than 50x \(11 MiB from 100 KiB/,
    );
    expect(inflateExceeded(101 * MiB, 50 * MiB, l)).toMatch(/^skipped: inflates to more than 100 MiB/);
  });

  it("lets real access logs through: they compress far below the default ratio", () => {
    const text = Buffer.from(logText(20_000, 3));
    const ratio = text.length / gzipSync(text).length;
    expect(ratio).toBeLessThan(DEFAULT_INFLATE_LIMITS.maxRatio / 3);
  });
});

describe("local files", () => {
  const bombPath = join(dir, "bomb.log.gz");
  const goodPath = join(dir, "good.log.gz");
  beforeAll(() => {
    writeFileSync(bombPath, GIB_BOMB);
    writeFileSync(goodPath, GOOD);
  });

  it.each([0, 2])(
    "skips a 1 GiB bomb with the default cap and analyzes the rest (%i workers)",
    async (workers) => {
      const s = await analyzeFiles([bombPath, goodPath], { idleTimeoutSeconds: 60, workers });
      expect(s.objects.scanned).toBe(2);
      expect(s.objects.failed).toEqual([
        { key: bombPath, reason: expect.stringMatching(/^skipped: inflates more than 100x/) },
      ]);
      expect(s.lines.total).toBeGreaterThanOrEqual(2000);
      // Zeros are 1 MiB overlong lines: stopped near the 64 MiB floor, not after 1024 of them.
      expect(s.lines.malformed).toBeLessThan(100);
    },
  );

  it("applies the absolute cap whatever the ratio", async () => {
    const inflate = { maxBytes: 8 * MiB, maxRatio: 1e9, ratioFloorBytes: 0 };
    const s = await analyzeFiles([bombPath, goodPath], { idleTimeoutSeconds: 60, inflate });
    expect(s.objects.failed[0]?.reason).toBe("skipped: inflates to more than 8 MiB (the per-object cap)");
    expect(s.lines.total).toBeGreaterThanOrEqual(2000);
  });
});

describe("S3 bodies", () => {
  let sim: TestSim;
  const FOLDER = `AWSLogs/${ACCOUNT}/elasticloadbalancing/us-east-1/2026/03/15/`;
  const key = (hhmm: string, n: number) =>
    `${FOLDER}${ACCOUNT}_elasticloadbalancing_us-east-1_app.my-alb.50dc6c495c0c9188_20260315T${hhmm}Z_10.0.1.5_obj${n}.log.gz`;
  beforeAll(async () => {
    sim = await startTestSim({
      name: "bomb",
      region: "us-east-1",
      accountId: ACCOUNT,
      now: "2026-03-15T15:00:00Z",
      buckets: [{ Name: "alb-logs" }],
    });
    const bucket = sim.world.buckets.get("alb-logs")!;
    bucket.Objects.set(key("1405", 1), { Body: GIB_BOMB, LastModified: new Date(), ETag: '"b"' });
    bucket.Objects.set(key("1410", 2), { Body: GOOD, LastModified: new Date(), ETag: '"g"' });
  });
  afterAll(async () => sim?.close());

  it.each([0, 2])("skips the bomb and analyzes the other object (%i workers)", async (workers) => {
    const s = await analyzeWindow({
      s3: sim.clients.s3,
      bucket: "alb-logs",
      accountId: ACCOUNT,
      region: "us-east-1",
      lbResourceId: LB,
      window: { start: new Date(T0), end: new Date(T0 + 20 * 60_000) },
      idleTimeoutSeconds: 60,
      workers,
      signal: AbortSignal.timeout(60_000),
    });
    expect(s.objects.listed).toBe(2);
    expect(s.objects.failed).toEqual([
      { key: key("1405", 1), reason: expect.stringMatching(/^skipped: inflates/) },
    ]);
    expect(s.lines.total).toBeGreaterThanOrEqual(2000);
    expect(s.lines.malformed).toBeLessThan(100);
  });
});
