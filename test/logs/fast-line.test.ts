/**
 * Differential tests of the fast line reader (src/logs/fast-line.ts) against the general path the
 * aggregator falls back to (tokenize + checkShape + time + checkNumbers + viewFromTokens, as in
 * LogAggregator.readGeneral). The contract: whenever the fast reader ACCEPTS a line, the general path
 * accepts it too and fills every LineView field identically (numbers with Object.is, byte ranges by the
 * bytes they point to, ABSENT as such). Declining is always allowed; a floor on acceptance keeps the
 * fast path from silently declining everything.
 *
 * Lines come from the AWS documentation examples (test/fixtures/logs), lines hand-typed in other tests,
 * the peer-conformance corpus (../shared/conformance/alb-logs, read at run time, never copied here), the
 * benchmark generator and the simulator's traffic generator, and seeded random mutations of all of them.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeLine, rng } from "../../bench/generate-logs.ts";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { FastLineReader } from "../../src/logs/fast-line.ts";
import { TOKEN } from "../../src/logs/fields.ts";
import { ABSENT, LineView, viewFromTokens } from "../../src/logs/line-view.ts";
import { TIME_REASON, checkNumbers, checkShape, parseLine } from "../../src/logs/parse.ts";
import { pathPattern, urlPath } from "../../src/logs/path-pattern.ts";
import { LineTokens, isoAt, tokenize } from "../../src/logs/tokens.ts";
import { ERROR_KINDS, generateAccessLogLines } from "../../src/sim/loggen/index.ts";
import { loadScenario } from "../../src/sim/scenario.ts";

// ---------------------------------------------------------------------------------------------------
// Line sources
// ---------------------------------------------------------------------------------------------------

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");

const DOC_LINES = readFileSync(join(repoRoot, "test/fixtures/logs/aws-doc-examples.log"), "utf8")
  .trimEnd()
  .split("\n");

const conformanceFile = join(repoRoot, "..", "shared", "conformance", "alb-logs", "real-lines.log");
const CONFORMANCE_LINES = existsSync(conformanceFile)
  ? readFileSync(conformanceFile, "utf8").split("\n").filter(Boolean)
  : [];
if (CONFORMANCE_LINES.length === 0) console.warn(`fast-line: ${conformanceFile} not found, skipping it`);

/** Lines hand-typed in other tests and fixtures of this repository (aggregate, parse, stream, s3-window, sim). */
const REPO_LINES = [
  'https 2026-03-15T14:21:30.000000Z app/web/1 1.2.3.4:5000 10.0.0.1:8080 0.001 0.200 0.000 200 200 10 20 "GET https://h:443/api/users/42?x=1 HTTP/1.1" "ua" - - arn:tg/a "Root=1" "-" "-" 1 2026-03-15T14:21:30.000000Z "forward" "-" "-" "-" "-" "-" "-"',
  'https 2026-03-15T14:21:30.000000Z app/web/1 1.2.3.4:5000 - -1 -1 -1 503 - 10 20 "GET https://h:443/orders/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f HTTP/1.1" "ua" - - arn:tg/a "Root=1" "-" "-" 1 2026-03-15T14:21:30.000000Z "forward" "-" "-" "-" "-" "-" "-"',
  'https 2026-03-15T14:21:30.000000Z app/web/1 1.2.3.4:5000 - 0.001 0.200 0.000 502 - 10 20 "GET https://h:443/api/users/42?x=1 HTTP/1.1" "ua" - - arn:tg/a "Root=1" "-" "-" 1 2026-03-15T14:21:30.000000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-"',
  'http 2024-01-01T00:00:00.000000Z app/a/1 10.0.0.9:1234 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET http://h:80/ HTTP/1.1" "ua" - - arn:tg "Root=1"',
  'http 2024-01-01T00:00:00.000000Z app/a/1 10.0.0.9:1234 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET http://h:80/ HTTP/1.1" "ua" - - arn:tg "Root=1" "-" "-" 0 2024-01-01T00:00:00.000000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1 "h" "/u" "OK" 100.51.96.60 "a b"',
  'https 2026-03-15T23:31:40.123Z app/my-alb/50dc6c495c0c9188 203.0.113.9:51234 10.0.2.100:8080 -1 -1 -1 502 - 120 512 "GET https://api.example.com:443/v1/orders/17 HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-1" "api.example.com" "-" 0 2026-03-15T23:31:40.123Z "forward" "-" "-" "10.0.2.100:8080" "-" "-" "-" TID_1',
  'http 2026-03-15T14:21:07.000000Z app/web/1 1.2.3.4:5 10.0.0.1:80 -1 -1 -1 502 - 1 2 "GET http://h:80/x/7 HTTP/1.1" "ua" - - arn:tg "Root=1" "-" "-" 0 2026-03-15T14:21:00.000000Z "forward" "-" "-" "-" "-" "-" "-"',
  'https 2026-03-15T14:21:07.123456Z app/my-alb/50dc6c495c0c9188 203.0.113.9:51234 10.0.2.100:8080 0.000 0.004 0.000 200 200 120 512 "GET https://api.example.com:443/v1/orders HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-65f45a23-0123456789abcdef01234567" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/abc" 0 2026-03-15T14:21:07.119000Z "forward" "-" "-" "10.0.2.100:8080" "200" "-" "-" TID_1',
];

const GEN = {
  lbResourceId: "app/my-alb/50dc6c495c0c9188",
  startMs: Date.parse("2026-03-15T14:00:00Z"),
  seed: 7,
};
function generatedLines(n: number, seed: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => makeLine(r, { ...GEN, seed }, i, 5 * 60_000));
}
const GENERATED = generatedLines(5000, 7);

/** The simulator's traffic generator on the basic scenario, with every error kind it knows. */
function simLines(): string[] {
  const world = loadScenario(join(repoRoot, "test/fixtures/sim/basic.yaml"));
  const lb = world.loadBalancers.find((l) => l.LoadBalancerName === "my-alb");
  if (!lb) throw new Error("basic.yaml has no my-alb");
  return generateAccessLogLines(
    {
      RequestsPerMinute: 200,
      Seed: "fast-line-test",
      Errors: ERROR_KINDS.map((Kind) => ({ Kind, Rate: 0.05 })),
    },
    {
      lb,
      targetGroups: world.targetGroups,
      listeners: world.listeners.filter((l) => l.LoadBalancerArn === lb.LoadBalancerArn),
      instances: world.instances,
      networkInterfaces: world.networkInterfaces,
      start: new Date("2026-03-15T14:20:00Z"),
      end: new Date("2026-03-15T14:25:00Z"),
    },
  );
}
const SIM_LINES = simLines();

/** Conformance lines the fast reader declines (1-based), and why; the general path reads them all. */
const CONFORMANCE_DECLINED: Record<
  number,
  "older format" | "run of spaces" | "quote not followed by a space"
> = {
  20: "quote not followed by a space",
  58: "older format",
  59: "older format",
  69: "older format",
  70: "run of spaces",
  71: "older format",
  72: "older format",
  73: "older format",
  74: "older format",
  75: "older format",
  78: "older format",
  91: "older format",
  92: "older format",
  93: "older format",
  94: "older format",
};

// ---------------------------------------------------------------------------------------------------
// The two paths, and the comparison
// ---------------------------------------------------------------------------------------------------

/** What the aggregator tokenizes (nothing after error_reason). */
const NEEDED_TOKENS = TOKEN.errorReason + 1;

/** LogAggregator.readGeneral, step for step: the view, or why the line is malformed. */
function readGeneral(buf: Buffer, start: number, end: number): LineView | string {
  const t = new LineTokens();
  let reason = tokenize(buf, start, end, t, NEEDED_TOKENS) ?? checkShape(t);
  if (reason === null) reason = Number.isNaN(isoAt(t, TOKEN.time)) ? TIME_REASON : checkNumbers(t);
  if (reason !== null) return reason;
  const v = new LineView();
  viewFromTokens(t, v);
  return v;
}

const NUMBER_FIELDS = [
  "timeMs",
  "status",
  "targetStatus",
  "requestProcessingTime",
  "targetProcessingTime",
  "createdMs",
] as const;
const RANGE_FIELDS = [
  ["type", "typeStart", "typeEnd"],
  ["client", "clientStart", "clientEnd"],
  ["target", "targetStart", "targetEnd"],
  ["targetGroup", "targetGroupStart", "targetGroupEnd"],
  ["url", "urlStart", "urlEnd"],
  ["userAgent", "userAgentStart", "userAgentEnd"],
  ["actions", "actionsStart", "actionsEnd"],
  ["errorReason", "errorReasonStart", "errorReasonEnd"],
] as const;

type Snapshot = Record<string, number | string | null>;

/** The view's values: numbers as they are, ranges as their bytes (latin1), null for ABSENT. */
function snapshot(v: LineView): Snapshot {
  const out: Snapshot = {};
  for (const f of NUMBER_FIELDS) out[f] = v[f];
  for (const [name, s, e] of RANGE_FIELDS) {
    const start = v[s];
    const end = v[e];
    if (start === ABSENT) out[name] = end === ABSENT ? null : `<inconsistent: end ${end}>`;
    else out[name] = v.buf.toString("latin1", start, end);
  }
  return out;
}

function differences(fast: Snapshot, general: Snapshot): string[] {
  return Object.keys(general)
    .filter((k) => !Object.is(fast[k], general[k]))
    .map(
      (k) => `${k}: fast ${JSON.stringify(fast[k])} (${fast[k]}) vs general ${JSON.stringify(general[k])}`,
    );
}

/** Garbage in every field, so a field the fast reader forgets to set shows up as a difference. */
function poison(v: LineView): void {
  v.buf = Buffer.from("POISONED-VIEW");
  for (const f of NUMBER_FIELDS) v[f] = 424242;
  for (const [, s, e] of RANGE_FIELDS) {
    v[s] = 0;
    v[e] = 8;
  }
}

/**
 * Runs lines through one fast reader (reused, as in the aggregator: its time caches carry over from line
 * to line) and the general path, counting acceptances and collecting contract violations.
 */
class Differential {
  readonly fast = new FastLineReader();
  readonly view = new LineView();
  accepted = 0;
  declined = 0;
  readonly violations: string[] = [];

  /** buf[start, end) is the line. Returns whether the fast reader accepted it. */
  check(buf: Buffer, start: number, end: number, label: string): boolean {
    poison(this.view);
    if (!this.fast.read(buf, start, end, this.view)) {
      this.declined++;
      return false;
    }
    this.accepted++;
    const general = readGeneral(buf, start, end);
    const line = JSON.stringify(buf.toString("latin1", start, end));
    if (typeof general === "string") {
      this.violations.push(`${label}: fast accepted, general rejected (${general}): ${line}`);
    } else {
      const diff = differences(snapshot(this.view), snapshot(general));
      if (diff.length) this.violations.push(`${label}: ${diff.join("; ")}: ${line}`);
    }
    return true;
  }

  checkLine(line: string | Buffer, label: string): boolean {
    const b = typeof line === "string" ? Buffer.from(line, "utf8") : line;
    return this.check(b, 0, b.length, label);
  }
}

// ---------------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------------

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** Bytes that are inserted or substituted; the ones the readers treat specially, and then some. */
const PIECES: ((r: Rand) => Buffer)[] = [
  () => Buffer.from(" "),
  () => Buffer.from("  "),
  () => Buffer.from('"'),
  () => Buffer.from("\\"),
  () => Buffer.from('\\"'),
  () => Buffer.from("-"),
  () => Buffer.from("."),
  (r) => Buffer.from(String(int(r, 10))),
  (r) => Buffer.from(pick(r, ["a", "Z", "T", "x", "e"])),
  () => Buffer.from("\t"),
  () => Buffer.from([0xff]),
  // newline-free garbage
  (r) =>
    Buffer.from(
      Array.from({ length: 1 + int(r, 8) }, () =>
        pick(r, [0, 1, 0x7f, 0xc3, 0x80, 0x20, 0x22, 0x5c, 0x2d, 0x2e, 0x3a, 0x41]),
      ),
    ),
];

/** Where fields start and end in the line ([from, to) including quotes), or null when it does not tokenize. */
function fieldSpans(line: Buffer): [number, number][] | null {
  const t = new LineTokens();
  if (tokenize(line, 0, line.length, t) !== null) return null;
  return Array.from({ length: t.count }, (_, i) =>
    t.flags[i] ? [t.starts[i] - 1, t.ends[i] + 1] : [t.starts[i], t.ends[i]],
  );
}

/** A position: half the time uniform, half the time at or next to a field boundary (where bugs live). */
function position(r: Rand, line: Buffer, spans: [number, number][] | null): number {
  if (spans === null || spans.length === 0 || r() < 0.5) return int(r, line.length + 1);
  const [s, e] = pick(r, spans);
  const p = (r() < 0.5 ? s : e) + int(r, 3) - 1;
  return Math.max(0, Math.min(line.length, p));
}

const MUTATIONS: ((r: Rand, line: Buffer) => Buffer)[] = [
  // insert a piece
  (r, line) => {
    const p = position(r, line, fieldSpans(line));
    return Buffer.concat([line.subarray(0, p), pick(r, PIECES)(r), line.subarray(p)]);
  },
  // delete a byte
  (r, line) => {
    const p = Math.min(position(r, line, fieldSpans(line)), line.length - 1);
    return Buffer.concat([line.subarray(0, p), line.subarray(p + 1)]);
  },
  // replace a byte with a piece
  (r, line) => {
    const p = Math.min(position(r, line, fieldSpans(line)), line.length - 1);
    return Buffer.concat([line.subarray(0, p), pick(r, PIECES)(r), line.subarray(p + 1)]);
  },
  // truncate
  (r, line) => line.subarray(0, position(r, line, fieldSpans(line))),
  // duplicate a field
  (r, line) => {
    const spans = fieldSpans(line);
    if (!spans) return line;
    const [s, e] = pick(r, spans);
    return Buffer.concat([line.subarray(0, e), Buffer.from(" "), line.subarray(s, e), line.subarray(e)]);
  },
  // drop a field (and the space before it)
  (r, line) => {
    const spans = fieldSpans(line);
    if (!spans) return line;
    const [s, e] = pick(r, spans);
    return Buffer.concat([line.subarray(0, Math.max(0, s - 1)), line.subarray(e)]);
  },
];

function mutate(r: Rand, line: Buffer): Buffer {
  const n = r() < 0.7 ? 1 : r() < 0.66 ? 2 : 3;
  let out = line;
  for (let i = 0; i < n; i++) out = pick(r, MUTATIONS)(r, out);
  return out;
}

/**
 * The line inside a larger buffer, as the aggregator sees it in a chunk: bytes before start and after
 * end that the readers must not look at (a space, a quote, a digit right after the line's end...).
 */
function embed(r: Rand, line: Buffer): { buf: Buffer; start: number; end: number } {
  const before = Buffer.from(Array.from({ length: int(r, 4) }, () => pick(r, [0x0a, 0x20, 0x22, 0x31])));
  const after = Buffer.from(
    Array.from({ length: 1 + int(r, 4) }, () => pick(r, [0x20, 0x22, 0x30, 0x2e, 0x5a, 0x0a, 0x0d])),
  );
  return {
    buf: Buffer.concat([before, line, after]),
    start: before.length,
    end: before.length + line.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe("fast reader vs general path: corpus lines", () => {
  const corpora: [string, string[]][] = [
    ["AWS documentation examples", DOC_LINES],
    ["lines typed in other tests", REPO_LINES],
    ["peer-conformance lines", CONFORMANCE_LINES],
    ["bench generator (5,000)", GENERATED],
    ["simulator generator", SIM_LINES],
  ];

  it.each(corpora)("%s: every accepted line reads the same on both paths", (_name, lines) => {
    const d = new Differential();
    lines.forEach((l, i) => d.checkLine(l, `line ${i + 1}`));
    expect(d.violations).toEqual([]);
    expect(d.accepted + d.declined).toBe(lines.length);
  });

  it("every fixture and generated line is also a valid line for the general path", () => {
    const all = [...DOC_LINES, ...REPO_LINES, ...GENERATED.slice(0, 500), ...SIM_LINES.slice(0, 500)];
    expect(all.map((l) => parseLine(l)).filter((p) => !p.ok)).toEqual([]);
  });
});

describe("fast reader acceptance floor", () => {
  it("accepts 100% of the bench generator's lines", () => {
    const d = new Differential();
    GENERATED.forEach((l, i) => d.checkLine(l, `gen ${i}`));
    expect(d.declined).toBe(0);
    expect(d.accepted).toBe(GENERATED.length);
  });

  it("accepts 100% of the simulator generator's lines (every error kind)", () => {
    expect(SIM_LINES.length).toBeGreaterThan(900);
    const d = new Differential();
    SIM_LINES.forEach((l, i) => d.checkLine(l, `sim ${i}`));
    expect(d.declined).toBe(0);
  });

  // All 13 AWS doc examples are in the current format with every field up to error_reason.
  it.each(DOC_LINES.map((l, i) => [i + 1, l] as const))(
    "accepts AWS documentation example %i",
    (_n, line) => {
      const d = new Differential();
      expect(d.checkLine(line, "doc")).toBe(true);
      expect(d.violations).toEqual([]);
    },
  );

  it.skipIf(CONFORMANCE_LINES.length === 0)(
    "accepts every conformance line except the irregular ones, each declined for a reason that holds",
    () => {
      const d = new Differential();
      const declined = CONFORMANCE_LINES.flatMap((l, i) => (d.checkLine(l, `conf ${i + 1}`) ? [] : [i + 1]));
      expect(declined).toEqual(Object.keys(CONFORMANCE_DECLINED).map(Number));
      for (const [n, why] of Object.entries(CONFORMANCE_DECLINED)) {
        const text = CONFORMANCE_LINES[Number(n) - 1];
        const t = new LineTokens();
        tokenize(Buffer.from(text), 0, Buffer.byteLength(text), t);
        const holds =
          why === "older format"
            ? t.count < NEEDED_TOKENS
            : why === "run of spaces"
              ? text.includes("  ")
              : text.includes('"-"1');
        expect({ line: n, why, holds }).toEqual({ line: n, why, holds: true });
      }
    },
  );
});

describe("fast reader vs general path: mutation fuzzing (seeded)", () => {
  const BASES = [...DOC_LINES, ...REPO_LINES, ...SIM_LINES.slice(0, 80)];
  BASES.push(...GENERATED.slice(0, 300 - BASES.length));

  it("holds the contract on 6,000 mutants of 300 lines, inside and outside larger buffers", () => {
    expect(BASES).toHaveLength(300);
    const r = rng(20260315);
    const d = new Differential();
    let n = 0;
    for (const [b, base] of BASES.entries()) {
      const bytes = Buffer.from(base, "utf8");
      for (let k = 0; k < 20; k++, n++) {
        const m = mutate(r, bytes);
        if (k % 2 === 0) d.check(m, 0, m.length, `base ${b} mutant ${k}`);
        else {
          const { buf, start, end } = embed(r, m);
          d.check(buf, start, end, `base ${b} mutant ${k} (embedded)`);
        }
      }
    }
    console.info(`fast-line fuzz: ${n} mutants, fast accepted ${d.accepted}, declined ${d.declined}`);
    expect(d.violations.slice(0, 20)).toEqual([]);
    // The fuzz means something only if both outcomes are common.
    expect(d.accepted).toBeGreaterThan(500);
    expect(d.declined).toBeGreaterThan(500);
  });

  it.skipIf(CONFORMANCE_LINES.length === 0)("holds the contract on mutants of the conformance lines", () => {
    const r = rng(98);
    const d = new Differential();
    for (const [b, base] of CONFORMANCE_LINES.entries()) {
      const bytes = Buffer.from(base, "utf8");
      for (let k = 0; k < 20; k++) {
        const m = mutate(r, bytes);
        d.check(m, 0, m.length, `conformance ${b + 1} mutant ${k}`);
      }
    }
    expect(d.violations.slice(0, 20)).toEqual([]);
    expect(d.accepted).toBeGreaterThan(100);
  });
});

/** A line from parts, the way AWS writes it (fields up to conn_trace_id). */
function line(
  o: Partial<
    Record<"type" | "time" | "target" | "times" | "status" | "ua" | "created" | "reason" | "request", string>
  > = {},
) {
  return (
    `${o.type ?? "https"} ${o.time ?? "2026-03-15T14:21:30.123456Z"} app/web/50dc6c495c0c9188 198.51.100.7:5000 ` +
    `${o.target ?? "10.0.0.1:8080"} ${o.times ?? "0.001 0.200 0.000"} ${o.status ?? "200 200"} 10 20 ` +
    `"${o.request ?? "GET https://h:443/api/users/42?x=1 HTTP/1.1"}" "${o.ua ?? "curl/8.0"}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ` +
    `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-1" "h" "-" 1 ` +
    `${o.created ?? "2026-03-15T14:21:30.000000Z"} "forward" "-" "${o.reason ?? "-"}" "10.0.0.1:8080" "200" "-" "-" TID_1`
  );
}

describe("fast reader: targeted cases", () => {
  it.each([
    // [name, line, fast reader accepts, general path accepts, expected view values]
    ["a plain line", line(), true, true, { status: 200, targetStatus: 200, target: "10.0.0.1:8080" }],
    ["an escaped quote in the user agent", line({ ua: 'say \\"hi\\"' }), false, true, {}],
    ["an escaped quote followed by a space in the user agent", line({ ua: 'a\\" b' }), false, true, {}],
    ["a timing ending in a dot", line({ times: "0.001 0. 0.000" }), false, false, {}],
    [
      "a timing starting with a dot",
      line({ times: ".5 0.200 0.000" }),
      true,
      true,
      { requestProcessingTime: 0.5 },
    ],
    ["an escaped backslash ending the user agent", line({ ua: "x\\\\" }), false, true, {}],
    [
      "9-digit fractional seconds",
      line({ time: "2026-03-15T14:21:30.123456789Z" }),
      true,
      true,
      { timeMs: Date.parse("2026-03-15T14:21:30Z") + 123.456789 },
    ],
    [
      "no fraction",
      line({ time: "2026-03-15T14:21:30Z" }),
      true,
      true,
      { timeMs: Date.parse("2026-03-15T14:21:30Z") },
    ],
    ['request_creation_time "-"', line({ created: "-" }), true, true, { createdMs: NaN }],
    [
      "a 9-digit request_creation_time",
      line({ created: "2026-03-15T14:21:29.500000001Z" }),
      true,
      true,
      { createdMs: Date.parse("2026-03-15T14:21:29Z") + 500.000001 },
    ],
    [
      'IPv6 target "[2001:db8::1]:443"',
      line({ target: "[2001:db8::1]:443" }),
      true,
      true,
      { target: "[2001:db8::1]:443" },
    ],
    ["bare IPv6 target", line({ target: "2001:db8::1:443" }), true, true, { target: "2001:db8::1:443" }],
    ['status "-"', line({ status: "- -" }), true, true, { status: 0, targetStatus: NaN }],
    ['target "-"', line({ target: "-", status: "503 -" }), true, true, { target: "-", status: 503 }],
    [
      "negative timings -1",
      line({ times: "-1 -1 -1", status: "502 -" }),
      true,
      true,
      { requestProcessingTime: -1, targetProcessingTime: -1, targetStatus: NaN },
    ],
    [
      'timings "-"',
      line({ times: "- - -" }),
      true,
      true,
      { requestProcessingTime: NaN, targetProcessingTime: NaN },
    ],
    [
      "an error_reason",
      line({ reason: "LambdaUnhandled", status: "502 -" }),
      true,
      true,
      { errorReason: "LambdaUnhandled" },
    ],
    ['a malformed request "- - -"', line({ request: "- - -" }), true, true, { url: "- -" }],
    ['an empty request ""', line({ request: "" }), true, true, {}],
    ["a request without a space", line({ request: "GARBAGE" }), true, true, { url: "E" }],
    ["a non-ASCII URL", line({ request: "GET https://h:443/caf\u00e9/1 HTTP/1.1" }), true, true, {}],
    ["a run of two spaces", line().replace(" 10 20 ", "  10 20 "), false, true, {}],
    ["a tab between fields", line().replace(" 10 20 ", "\t10 20 "), false, false, {}],
    ["a status that is not a number", line({ status: "2x0 200" }), false, false, {}],
    ["a time with no Z", line({ time: "2026-03-15T14:21:30.123456" }), false, false, {}],
    ["a quoted time", line({ time: '"2026-03-15T14:21:30.123456Z"' }), false, true, {}],
    ["an unknown type of 9 letters", line({ type: "httpsssss" }), false, false, {}],
    [
      "the oldest format, stopping after trace_id",
      'http 2024-01-01T00:00:00.000000Z app/a/1 10.0.0.9:1234 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET http://h:80/ HTTP/1.1" "ua" - - arn:tg "Root=1"',
      false,
      true,
      {},
    ],
    [
      "a line stopping after redirect_url",
      line().slice(0, line().indexOf(' "-" "10.0.0.1')),
      false,
      true,
      {},
    ],
    [
      "a line stopping right after error_reason",
      line().slice(0, line().indexOf(' "10.0.0.1:8080" "200"')),
      true,
      true,
      { errorReason: "-" },
    ],
  ] as const)("%s", (_name, text, accepts, generalAccepts, values) => {
    const d = new Differential();
    expect(d.checkLine(text, "case")).toBe(accepts);
    expect(d.violations).toEqual([]);
    const general = readGeneral(Buffer.from(text), 0, Buffer.byteLength(text));
    expect(typeof general !== "string", typeof general === "string" ? general : "accepted").toBe(
      generalAccepts,
    );
    if (accepts) {
      const snap = snapshot(d.view);
      for (const [k, v] of Object.entries(values)) {
        if (typeof v === "number" && typeof snap[k] === "number" && !Number.isNaN(v))
          expect(snap[k], k).toBeCloseTo(v, 3);
        else expect(snap[k], k).toEqual(v);
      }
    }
  });

  it.each([
    ["an escaped quote in the user agent", line({ ua: 'say \\"hi\\"' })],
    [
      "the oldest format (stops after trace_id)",
      'http 2024-01-01T00:00:00.000000Z app/a/1 10.0.0.9:1234 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET http://h:80/ HTTP/1.1" "ua" - - arn:tg "Root=1"',
    ],
    ["a run of two spaces", line().replace(" 10 20 ", "  10 20 ")],
  ])("declined but valid: %s goes to the general path and is counted", (_name, text) => {
    expect(new FastLineReader().read(Buffer.from(text), 0, Buffer.byteLength(text), new LineView())).toBe(
      false,
    );
    expect(typeof readGeneral(Buffer.from(text), 0, Buffer.byteLength(text))).not.toBe("string");
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    const b = Buffer.from(text);
    expect(agg.addLine(b, 0, b.length)).toBeNull();
    expect(agg.summary(EMPTY_BASE).lines).toEqual({ total: 1, inWindow: 1, malformed: 0 });
  });

  it("reads a CRLF line through addLine exactly like the same line with LF", () => {
    const lines = [
      line(),
      line({ status: "502 -", times: "-1 -1 -1" }),
      line().slice(0, line().indexOf(' "10.0.0.1:8080" "200"')),
    ];
    const lf = new LogAggregator({ idleTimeoutSeconds: 60 });
    const crlf = new LogAggregator({ idleTimeoutSeconds: 60 });
    for (const l of lines) {
      const a = Buffer.from(`${l}\n`);
      expect(lf.addLine(a, 0, a.length - 1)).toBeNull();
      const b = Buffer.from(`${l}\r\n`);
      expect(crlf.addLine(b, 0, b.length - 1)).toBeNull();
    }
    const strip = (s: ReturnType<LogAggregator["summary"]>) => ({ ...s, samples: {} });
    expect(crlf.summary(EMPTY_BASE).lines).toEqual({ total: 3, inWindow: 3, malformed: 0 });
    expect(strip(crlf.summary(EMPTY_BASE))).toEqual(strip(lf.summary(EMPTY_BASE)));
  });
});

// ---------------------------------------------------------------------------------------------------
// End to end: the aggregator's counts against records parsed independently
// ---------------------------------------------------------------------------------------------------

const EMPTY_BASE = {
  enabled: true,
  window: { start: "", end: "" },
  objects: { listed: 0, scanned: 0, bytes: 0, failed: [] },
};

function bump(m: Record<string, number>, k: string | number): void {
  m[k] = (m[k] ?? 0) + 1;
}

describe("aggregator counts agree with parsed records", () => {
  it("byStatus, byTargetStatus, byTarget, byTargetGroup, byPath and byMinute on 2,000 generated lines", () => {
    const lines = generatedLines(2000, 99);
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    for (const l of lines) {
      const b = Buffer.from(l);
      expect(agg.addLine(b, 0, b.length)).toBeNull();
    }
    const s = agg.summary(EMPTY_BASE);

    const byStatus: Record<string, number> = {};
    const byTargetStatus: Record<string, number> = {};
    const requests = { target: {}, tg: {}, path: {}, minute: {} } as Record<string, Record<string, number>>;
    const errors = { target: {}, tg: {} } as Record<string, Record<string, Record<string, number>>>;
    for (const l of lines) {
      const p = parseLine(l);
      if (!p.ok) throw new Error(p.reason);
      const rec = p.record;
      bump(byStatus, rec.elb_status_code ?? 0);
      if (rec.target_status_code !== null) bump(byTargetStatus, rec.target_status_code);
      const target = rec.target_ip === null ? "-" : `${rec.target_ip}:${rec.target_port}`;
      const tg = rec.target_group_arn ?? "-";
      bump(requests.target, target);
      bump(requests.tg, tg);
      bump(requests.path, pathPattern(urlPath(rec.request_url) ?? "-"));
      bump(requests.minute, `${rec.time.slice(0, 16)}Z`);
      const status = rec.elb_status_code ?? 0;
      if (status >= 400) {
        bump((errors.target[target] ??= {}), status);
        bump((errors.tg[tg] ??= {}), status);
      }
    }
    const reqs = (m: Record<string, { requests: number }>) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.requests]));
    const errs = (m: Record<string, { errors: Record<string, number> }>) =>
      Object.fromEntries(
        Object.entries(m)
          .filter(([, v]) => Object.keys(v.errors).length)
          .map(([k, v]) => [k, v.errors]),
      );

    expect(s.lines).toEqual({ total: 2000, inWindow: 2000, malformed: 0 });
    expect(s.byStatus).toEqual(byStatus);
    expect(s.byTargetStatus).toEqual(byTargetStatus);
    // Few enough keys that top-N (50) keeps them all.
    expect(Object.keys(requests.target).length).toBeLessThan(50);
    expect(reqs(s.byTarget)).toEqual(requests.target);
    expect(reqs(s.byTargetGroup)).toEqual(requests.tg);
    expect(reqs(s.byPath)).toEqual(requests.path);
    expect(reqs(s.byMinute)).toEqual(requests.minute);
    expect(errs(s.byTarget)).toEqual(errors.target);
    expect(errs(s.byTargetGroup)).toEqual(errors.tg);
    // The generator makes every kind of error; make sure they were there to count.
    expect(Object.keys(byStatus).sort()).toEqual(["200", "404", "460", "502", "503", "504"]);
  });
});
