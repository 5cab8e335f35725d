/**
 * Quote-aware tokenizer for ALB access-log lines, working on bytes so the hot path (the aggregator)
 * never builds a string it does not need: `tokenize` records where each token starts and ends, and the
 * readers below decode only the tokens asked for.
 */
import { latin1, parseDecimal } from "./bytes.ts";
import { parseIsoMs } from "./iso-time.ts";

export { latin1, parseDecimal } from "./bytes.ts";

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DASH = 0x2d;

/** Tokens beyond this are ignored (AWS has 33 today). */
export const MAX_TOKENS = 64;
const QUOTED = 1;

/** Reusable token table for one line at a time (no allocation per line). */
export class LineTokens {
  buf: Buffer = Buffer.alloc(0);
  count = 0;
  /** Content bounds, without the quotes of a quoted token. */
  readonly starts = new Int32Array(MAX_TOKENS);
  readonly ends = new Int32Array(MAX_TOKENS);
  readonly flags = new Uint8Array(MAX_TOKENS);
}

/**
 * Splits buf[start, end) into tokens. Tokens are separated by runs of spaces (AWS writes no tabs); a token starting with a
 * quote runs to the matching unescaped quote (`\"` does not close it) and may contain spaces. A closing
 * quote ends the token even if no space follows (a known malformed fixture has `"-"1`).
 * Stops after `maxTokens` tokens (the aggregator needs none after error_reason).
 * Returns null, or why the line is not tokenizable.
 */
export function tokenize(
  buf: Buffer,
  start: number,
  end: number,
  t: LineTokens,
  maxTokens = MAX_TOKENS,
): string | null {
  t.buf = buf;
  let n = 0;
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c === SPACE) {
      i++;
      continue;
    }
    if (n === maxTokens) break;
    if (c === QUOTE) {
      const s = i + 1;
      const close = closingQuote(buf, s, end);
      if (close < 0) return `unbalanced quote in field ${n + 1}`;
      t.starts[n] = s;
      t.ends[n] = close;
      t.flags[n] = QUOTED;
      i = close + 1;
    } else {
      const s = i;
      // Most unquoted fields are short ("-", "0.001", "200"); long ones (times, ARNs) go to memchr.
      const near = s + 12 < end ? s + 12 : end;
      while (i < near && buf[i] !== SPACE) i++;
      if (i === near && i < end) {
        const sp = buf.indexOf(SPACE, i);
        i = sp < 0 || sp > end ? end : sp;
      }
      t.starts[n] = s;
      t.ends[n] = i;
      t.flags[n] = 0;
    }
    n++;
  }
  t.count = n;
  return null;
}

/** The position of the quote closing a quoted field that starts at s, or -1. */
function closingQuote(buf: Buffer, s: number, end: number): number {
  // Short fields ("-", "forward") end within a few bytes: a plain loop beats a native call there.
  const near = Math.min(end, s + 24);
  let i = s;
  for (; i < near; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  if (i >= end) return -1;
  // Long fields (request, user agent, ARNs): memchr for the quote, then skip it if it is escaped.
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    let backslashes = 0;
    for (let k = q - 1; k >= s && buf[k] === BACKSLASH; k--) backslashes++;
    if ((backslashes & 1) === 0) return q;
    i = q + 1;
  }
}

export function isDash(t: LineTokens, i: number): boolean {
  return i >= t.count || (t.ends[i] - t.starts[i] === 1 && t.buf[t.starts[i]] === DASH);
}

/** A decimal number ("-1", "0.001", "502"); NaN if the token is not one, null for "-" or absent. */
export function numberAt(t: LineTokens, i: number): number | null {
  if (isDash(t, i)) return null;
  return parseDecimal(t.buf, t.starts[i], t.ends[i]);
}

/** The token's text (UTF-8, `\"` and `\\` unescaped), null for "-" or absent. */
export function stringAt(t: LineTokens, i: number): string | null {
  if (isDash(t, i)) return null;
  const text = t.buf.toString("utf8", t.starts[i], t.ends[i]);
  return t.flags[i] & QUOTED && text.includes("\\") ? unescapeQuoted(text) : text;
}

/** The token's raw bytes as latin1 text (fast; for ASCII fields such as addresses and ARNs). */
export function asciiAt(t: LineTokens, i: number): string | null {
  if (isDash(t, i)) return null;
  return latin1(t.buf, t.starts[i], t.ends[i]);
}

export function unescapeQuoted(text: string): string {
  return text.replace(/\\(["\\])/g, "$1");
}

/** Epoch milliseconds of an ISO time token "2018-07-02T22:23:00.186641Z"; NaN if it is not one or absent. */
export function isoAt(t: LineTokens, i: number): number {
  if (i >= t.count) return NaN;
  return parseIsoMs(t.buf, t.starts[i], t.ends[i]);
}
