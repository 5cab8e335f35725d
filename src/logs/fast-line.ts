/**
 * The fast reader: one forward pass over a well-formed ALB access-log line that reads only the fields
 * the aggregator needs (up to error_reason) into a LineView. It walks short fields byte by byte, jumps
 * over long ones (user agent, ARNs, trace id) with memchr (Buffer.indexOf), parses numbers while it
 * walks them, and never builds a string. Anything unusual (runs of spaces, an escaped quote, an older
 * format that stops early, a value that does not parse) makes it decline, and the line goes to the
 * general tokenizer, which decides what the line is and why it is malformed. So this file only has to
 * be right on the lines it accepts: for those it must fill the view exactly as the general path would
 * (test/logs/fast-line.test.ts compares the two on every fixture and on mutated lines).
 */
import { IsoTimeCache, parseIsoMs } from "./iso-time.ts";
import type { LineView } from "./line-view.ts";

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** Bytes a short quoted field is walked before memchr takes over ("-", "forward" end well within). */
const NEAR = 16;
/** "2018-07-02T22:23:00.186641Z" */
const ISO_LENGTH = 27;
/** What number() returns for "-" (a number field can never parse to it). */
const DASH_VALUE = -Infinity;
/** The number fields after target:port, in order: three times, two status codes, two byte counts. */
const NUMBER_FIELDS = 7;
const REQUEST_TIME = 0;
const TARGET_TIME = 1;
const STATUS = 3;
const TARGET_STATUS = 4;

export class FastLineReader {
  private readonly timeCache = new IsoTimeCache();
  private readonly createdCache = new IsoTimeCache();
  /** Where the field read last ended: the position of the space after it. */
  private next = 0;
  /** The seven number fields of the line being read, in order. */
  private readonly numbers = new Float64Array(NUMBER_FIELDS);

  /** Reads buf[start, end) (one line, no newline) into v. False: declined, use the general path. */
  read(buf: Buffer, start: number, end: number, v: LineView): boolean {
    let e = typeEnd(buf, start, end);
    if (e < 0) return false;
    // time: nearly always 27 bytes; a time that parses holds no space, so the jump is safe
    let p = e + 1;
    e = buf[p + ISO_LENGTH] === SPACE ? p + ISO_LENGTH : fieldEnd(buf, p, end);
    if (e < 0 || e >= end) return false;
    const timeMs = parseIsoMs(buf, p, e, this.timeCache);
    if (timeMs !== timeMs) return false;
    v.typeStart = start;
    v.typeEnd = p - 1;
    // elb, client:port, target:port
    if ((e = fieldEnd(buf, e + 1, end)) < 0) return false;
    p = e + 1;
    if ((e = fieldEnd(buf, p, end)) < 0) return false;
    v.clientStart = p;
    v.clientEnd = e;
    p = e + 1;
    if ((e = fieldEnd(buf, p, end)) < 0) return false;
    v.targetStart = p;
    v.targetEnd = e;
    // request, target and response processing times; elb and target status; received and sent bytes
    const n = this.numbers;
    p = e + 1;
    for (let k = 0; k < NUMBER_FIELDS; k++) {
      const x = this.number(buf, p, end);
      if (x !== x) return false;
      n[k] = x;
      p = this.next + 1;
    }
    // "request": the URL starts after the method's space and runs to the closing quote
    const q = quoteEnd(buf, p, end, 0);
    if (q < 0 || buf[q + 1] !== SPACE) return false;
    let sp = p + 1;
    while (sp < q && buf[sp] !== SPACE) sp++;
    v.urlStart = sp < q ? sp + 1 : q - 1;
    v.urlEnd = q;
    // "user agent", ssl_cipher, ssl_protocol, target_group_arn
    if ((e = quoteEnd(buf, q + 2, end, 0)) < 0 || buf[e + 1] !== SPACE) return false;
    v.userAgentStart = q + 3;
    v.userAgentEnd = e;
    if ((e = fieldEnd(buf, e + 2, end)) < 0) return false;
    if ((e = fieldEnd(buf, e + 1, end)) < 0) return false;
    p = e + 1;
    if ((e = longFieldEnd(buf, p, end)) < 0) return false;
    v.targetGroupStart = p;
    v.targetGroupEnd = e;
    // "trace_id" "domain_name" "chosen_cert_arn" matched_rule_priority
    if ((e = quoteEnd(buf, e + 1, end, 0)) < 0 || buf[e + 1] !== SPACE) return false;
    if ((e = quoteEnd(buf, e + 2, end, NEAR)) < 0 || buf[e + 1] !== SPACE) return false;
    if ((e = quoteEnd(buf, e + 2, end, 2)) < 0 || buf[e + 1] !== SPACE) return false;
    if ((e = fieldEnd(buf, e + 2, end)) < 0) return false;
    // request_creation_time: "-" for some requests, which parses to NaN on both paths
    p = e + 1;
    let createdMs: number;
    if (buf[p + ISO_LENGTH] === SPACE && p + ISO_LENGTH < end) {
      e = p + ISO_LENGTH;
      createdMs = parseIsoMs(buf, p, e, this.createdCache);
      if (createdMs !== createdMs) return false; // 27 bytes that are not a time: let the tokenizer see
    } else {
      if ((e = fieldEnd(buf, p, end)) < 0) return false;
      createdMs = parseIsoMs(buf, p, e, this.createdCache);
    }
    // "actions_executed" "redirect_url" "error_reason"
    p = e + 1;
    if ((e = quoteEnd(buf, p, end, NEAR)) < 0 || buf[e + 1] !== SPACE) return false;
    v.actionsStart = p + 1;
    v.actionsEnd = e;
    if ((e = quoteEnd(buf, e + 2, end, NEAR)) < 0 || buf[e + 1] !== SPACE) return false;
    p = e + 2;
    if ((e = quoteEnd(buf, p, end, NEAR)) < 0 || (e + 1 < end && buf[e + 1] !== SPACE)) return false;
    v.errorReasonStart = p + 1;
    v.errorReasonEnd = e;

    v.buf = buf;
    v.timeMs = timeMs;
    v.status = n[STATUS] === DASH_VALUE ? 0 : n[STATUS];
    v.targetStatus = orNaN(n[TARGET_STATUS]);
    v.requestProcessingTime = orNaN(n[REQUEST_TIME]);
    v.targetProcessingTime = orNaN(n[TARGET_TIME]);
    v.createdMs = createdMs;
    return true;
  }

  /**
   * The decimal field at p, parsed as it is walked (same rules and same value as parseDecimal): its
   * value, DASH_VALUE for "-", NaN when it is not a number or not followed by a space. Sets `next`.
   */
  private number(buf: Buffer, p: number, end: number): number {
    let i = p;
    let c = buf[i];
    let neg = false;
    if (c === DASH) {
      c = buf[++i];
      if (c === SPACE && i < end) {
        this.next = i;
        return DASH_VALUE;
      }
      neg = true;
    }
    const digits = i;
    let value = 0;
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      c = buf[++i];
    }
    let ok = i > digits;
    if (c === DOT) {
      const fracStart = ++i;
      let frac = 0;
      let scale = 1;
      while ((c = buf[i]) >= ZERO && c <= NINE) {
        frac = frac * 10 + (c - ZERO);
        scale *= 10;
        i++;
      }
      ok = i > fracStart;
      value = value + frac / scale;
    }
    if (!ok || c !== SPACE || i >= end) return NaN;
    this.next = i;
    return neg ? -value : value;
  }
}

/** The view's form of a number field: NaN for "-". */
function orNaN(x: number): number {
  return x === DASH_VALUE ? NaN : x;
}

/** "http", "https", "h2", "ws", "wss", "grpcs"...: 2 to 8 lowercase letters or digits, then a space. */
function typeEnd(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (!((c >= 0x61 && c <= 0x7a) || (c >= ZERO && c <= NINE))) break;
    i++;
  }
  const n = i - start;
  return n >= 2 && n <= 8 && i < end && buf[i] === SPACE ? i : -1;
}

/**
 * The end of the unquoted field starting at i (the position of the single space after it), or -1 when
 * the field is empty, starts with a quote or a space, or is not followed by a space within the line.
 */
function fieldEnd(buf: Buffer, i: number, end: number): number {
  if (i >= end) return -1;
  const c = buf[i];
  if (c === SPACE || c === QUOTE) return -1;
  i++;
  while (i < end && buf[i] !== SPACE) i++;
  return i < end ? i : -1;
}

/** Like fieldEnd for long fields (ARNs): memchr finds the space. */
function longFieldEnd(buf: Buffer, i: number, end: number): number {
  if (i >= end) return -1;
  const c = buf[i];
  if (c === SPACE || c === QUOTE) return -1;
  const sp = buf.indexOf(SPACE, i);
  return sp < 0 || sp >= end ? -1 : sp;
}

/**
 * The closing quote of the quoted field opening at i, or -1: no opening quote, no closing quote in the
 * line, or an escaped quote (`\"`) before it, which the general tokenizer untangles. The first `near`
 * bytes are walked (short fields); after them memchr looks for the quote.
 */
function quoteEnd(buf: Buffer, i: number, end: number, near: number): number {
  if (i >= end || buf[i] !== QUOTE) return -1;
  let q = i + 1;
  const stop = q + near < end ? q + near : end;
  while (q < stop && buf[q] !== QUOTE) q++;
  if (q === stop) {
    q = buf.indexOf(QUOTE, q);
    if (q < 0 || q >= end) return -1;
  }
  return buf[q - 1] === BACKSLASH ? -1 : q;
}
