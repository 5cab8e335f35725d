/**
 * parseIsoMs (src/logs/iso-time.ts): ALB times "2018-07-02T22:23:00.186641Z" to epoch ms, with a cache of
 * the last date+hour. Valid times must agree with Date.parse (to the millisecond; the fraction beyond it
 * is kept, so the comparison is against Date.parse of the whole second plus the fraction); anything that
 * is not such a time is NaN; caches never leak one field's hour into another's.
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate-logs.ts";
import { IsoTimeCache, parseIsoMs } from "../../src/logs/iso-time.ts";

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** parseIsoMs of text, with a cache (a fresh one when none is given). */
function parse(text: string, cache = new IsoTimeCache()): number {
  const b = Buffer.from(text, "latin1");
  return parseIsoMs(b, 0, b.length, cache);
}

/** parseIsoMs of text in the middle of a larger buffer (bytes around it that must not be read). */
function parseInside(text: string, cache = new IsoTimeCache()): number {
  const b = Buffer.from(`9999-99-99T99:${text} 5Z`, "latin1");
  return parseIsoMs(b, 14, 14 + text.length, cache);
}

/** What a valid time should parse to: Date.parse of the whole second, plus the fraction, in ms. */
function expected(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(text);
  if (!m) throw new Error(`not a valid time: ${text}`);
  return Date.parse(`${m[1]}Z`) + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

/** Checks a valid time: close to the exact value, and equal to Date.parse with at most 3 fraction digits. */
function expectValid(text: string, got: number): void {
  expect(got, text).toBeCloseTo(expected(text), 3);
  const digits = text.length - 21;
  if (digits <= 3) expect(got, text).toBe(Date.parse(text));
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A random valid time between 1970 and 2100 with a fraction of 0..9 digits (0: none). */
function randomTime(r: Rand): string {
  const ms = Math.floor(r() * Date.UTC(2100, 0, 1));
  const d = new Date(ms);
  const digits = int(r, 10);
  const frac = digits === 0 ? "" : `.${Array.from({ length: digits }, () => int(r, 10)).join("")}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}Z`;
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe("parseIsoMs: valid times agree with Date.parse", () => {
  it.each([
    "2018-07-02T22:23:00.186641Z",
    "2018-07-02T22:23:00Z",
    "2018-07-02T22:23:00.1Z",
    "2018-07-02T22:23:00.12Z",
    "2018-07-02T22:23:00.123Z",
    "2018-07-02T22:23:00.000000000Z",
    "2018-07-02T22:23:00.999999999Z",
    "2018-07-02T22:23:00.123456789012345Z",
    "1970-01-01T00:00:00.000000Z",
    "1969-12-31T23:59:59.500000Z",
    "2024-02-29T12:00:00.000001Z",
    "2000-02-29T23:59:59.999Z",
    "2023-02-28T23:59:59.999999Z",
    "2023-03-01T00:00:00.000000Z",
    "2023-01-31T23:59:59Z",
    "2023-04-30T23:59:59Z",
    "2023-06-30T23:59:59Z",
    "2023-09-30T23:59:59Z",
    "2023-11-30T23:59:59Z",
    "2023-12-31T23:59:59.999999Z",
    "2024-01-01T00:00:00.000000Z",
    "2099-12-31T23:59:59.999Z",
  ])("%s", (text) => {
    expectValid(text, parse(text));
    expectValid(text, parseInside(text));
  });

  it("agrees on 20,000 random times (every hour and day, fractions of 0..9 digits), with one cache", () => {
    const r = rng(11);
    const cache = new IsoTimeCache();
    const hours = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const text = randomTime(r);
      hours.add(Number(text.slice(11, 13)));
      expectValid(text, parse(text, cache));
    }
    expect(hours.size).toBe(24);
  });

  it("agrees on every hour of a leap year's February and March, in order (the cache's case)", () => {
    const cache = new IsoTimeCache();
    const r = rng(12);
    for (let t = Date.UTC(2024, 1, 1); t < Date.UTC(2024, 3, 1); t += 37 * 60_000 + 13_000) {
      const iso = new Date(t).toISOString(); // ...T..:..:..sssZ
      const text = `${iso.slice(0, 19)}.${pad(int(r, 1_000_000), 6)}Z`;
      expectValid(text, parse(text, cache));
    }
  });
});

describe("parseIsoMs: rejections", () => {
  const GOOD = "2018-07-02T22:23:00.186641Z";
  const at = (i: number, c: string) => GOOD.slice(0, i) + c + GOOD.slice(i + 1);

  it.each([
    [4, "-"],
    [7, "-"],
    [10, "T"],
    [13, ":"],
    [16, ":"],
    [19, "."],
  ])("a wrong separator at position %i (expected %j)", (i, sep) => {
    for (const c of ["-", "T", ":", ".", "/", " ", "Z", "t", "0", "x"]) {
      if (c === sep) continue;
      expect(parse(at(i, c)), at(i, c)).toBeNaN();
    }
  });

  it.each(GOOD.split("").flatMap((c, i) => (/\d/.test(c) ? [i] : [])))(
    "a non-digit at digit position %i",
    (i) => {
      // The same hour first, so the cache holds the hour the broken text nearly matches.
      const cache = new IsoTimeCache();
      expect(parse(GOOD, cache)).not.toBeNaN();
      for (const c of ["a", "Z", " ", "/", ":", "-", "+", "\u00ff"]) {
        if (i > 19 && (c === "-" || c === "+")) continue; // ".-1" is checked below
        expect(parse(at(i, c), cache), at(i, c)).toBeNaN();
        expect(parse(at(i, c)), at(i, c)).toBeNaN();
      }
    },
  );

  it.each([
    ["empty", ""],
    ["a dash", "-"],
    ["the date only", "2018-07-02"],
    ["no seconds", "2018-07-02T22:23Z"],
    ["no Z", "2018-07-02T22:23:00.186641"],
    ["a lowercase z", "2018-07-02T22:23:00.186641z"],
    ["a lowercase t", "2018-07-02t22:23:00.186641Z"],
    ["a space for T", "2018-07-02 22:23:00.186641Z"],
    ["an offset", "2018-07-02T22:23:00.186641+00:00"],
    ["something after Z", "2018-07-02T22:23:00.186641Zx"],
    ["a leading space", " 2018-07-02T22:23:00.186641Z"],
    ["an empty fraction", "2018-07-02T22:23:00.Z"],
    ["a negative fraction", "2018-07-02T22:23:00.-1Z"],
    ["16 fraction digits", "2018-07-02T22:23:00.1234567890123456Z"],
    ["a letter in the fraction", "2018-07-02T22:23:00.18a641Z"],
    ["a 5-digit year", "20180-07-02T22:23:00Z"],
    ["a 3-digit year", "201-07-02T22:23:00Z"],
    ["a one-digit month", "2018-7-02T22:23:00Z"],
    ["month 13", "2018-13-02T22:23:00Z"],
    ["month 00", "2018-00-02T22:23:00Z"],
    ["day 00", "2018-07-00T22:23:00Z"],
    ["day 32", "2018-07-32T22:23:00Z"],
    ["hour 25", "2018-07-02T25:23:00Z"],
    ["hour 24 (ALB writes 00 to 23; Date.parse would take it for the next midnight)", "2023-01-01T24:00:00Z"],
    ["hour 24 with minutes", "2023-01-01T24:30:00Z"],
    ["minute 60", "2018-07-02T22:60:00Z"],
    ["minute 99", "2018-07-02T22:99:00Z"],
    ["second 60 (no leap seconds in ALB logs, nor in Date.parse)", "2018-07-02T22:23:60Z"],
    ["second 61", "2018-07-02T22:23:61Z"],
    ["a quoted time", '"2018-07-02T22:23:00.186641Z"'],
  ])("%s: %j", (_name, text) => {
    expect(parse(text)).toBeNaN();
    const cache = new IsoTimeCache();
    parse(GOOD, cache);
    expect(parse(text, cache)).toBeNaN();
  });

  it("a time cut short anywhere is rejected", () => {
    for (let n = 0; n < GOOD.length - 1; n++) {
      const cut = `${GOOD.slice(0, n)}Z`;
      if (n === 19) continue; // "2018-07-02T22:23:00Z" is a valid time without a fraction
      if (n > 20) continue; // a shorter fraction is still a valid time
      expect(parse(cut), cut).toBeNaN();
    }
  });

  // The fraction is digits only (an earlier version read it with parseDecimal, which took a second dot).
  it.each([["2018-07-02T22:23:00.1.2Z"], ["2018-07-02T22:23:00..5Z"], ["2018-07-02T22:23:00.Z"]])(
    "rejects a fraction that is not all digits: %s",
    (text) => {
      expect(Date.parse(text)).toBeNaN();
      expect(parse(text)).toBeNaN();
    },
  );
});

describe("IsoTimeCache", () => {
  it("two caches used in turn on different hours give what fresh caches give", () => {
    const r = rng(21);
    const a = new IsoTimeCache();
    const b = new IsoTimeCache();
    for (let i = 0; i < 5000; i++) {
      // a walks forward through one day, b through another year; they alternate line by line
      const ta = `2026-03-15T${pad(Math.floor(i / 210) % 24)}:${pad(i % 60)}:${pad(int(r, 60))}.${pad(int(r, 1e6), 6)}Z`;
      const tb = randomTime(r);
      expect(parse(ta, a), ta).toBe(parse(ta));
      expect(parse(tb, b), tb).toBe(parse(tb));
    }
  });

  it("a cache keeps the last valid hour: a rejected time does not change it", () => {
    const cache = new IsoTimeCache();
    const good = "2026-03-15T14:21:30.000000Z";
    expect(parse(good, cache)).toBe(Date.parse(good));
    const hourMs = cache.hourMs;
    for (const bad of [
      "2026-13-15T14:21:30.000000Z",
      "2026-03-15T14:99:30.000000Z",
      "2026-03-1xT14:21:30.000000Z",
      "-",
    ]) {
      expect(parse(bad, cache), bad).toBeNaN();
      expect(cache.hourMs).toBe(hourMs);
    }
    expect(parse("2026-03-15T14:59:59.5Z", cache)).toBe(Date.parse("2026-03-15T14:59:59.500Z"));
  });

  it("a cached hour is not reused for a time that differs from it in any byte of the date or hour", () => {
    const cache = new IsoTimeCache();
    const first = "2026-03-15T14:21:30Z";
    parse(first, cache);
    for (let i = 0; i < 13; i++) {
      if (!/\d/.test(first[i])) continue;
      const d = first[i] === "0" ? "1" : "0";
      const text = first.slice(0, i) + d + first.slice(i + 1);
      const fresh = parse(text);
      expect(Object.is(parse(text, cache), fresh), text).toBe(true);
      parse(first, cache);
    }
  });

  it("the default cache (no cache given) agrees with explicit caches", () => {
    const r = rng(22);
    for (let i = 0; i < 2000; i++) {
      const t = randomTime(r);
      const b = Buffer.from(t);
      expect(parseIsoMs(b, 0, b.length), t).toBe(parse(t));
    }
  });

  it("a fresh cache matches nothing, not even a time whose date+hour bytes are all zero", () => {
    const zeros = Buffer.alloc(27);
    zeros.write("-", 4);
    zeros.write("-", 7);
    zeros.write("T", 10);
    zeros.write(":00:00.000000Z", 13);
    expect(parseIsoMs(zeros, 0, 27, new IsoTimeCache())).toBeNaN();
  });
});
