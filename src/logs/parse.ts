/**
 * Quote-aware tokenizer for ALB access-log lines, working on bytes so the hot path (the aggregator)
 * never builds a string it does not need: `tokenize` records where each token starts and ends, and the
 * readers below decode only the tokens asked for. `parseLine` builds the full record for `parse --jsonl`.
 */
import { KNOWN_TOKENS, MIN_TOKENS, TOKEN, type LogRecord, type ParseResult } from "./fields.ts";

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;

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

export function parseDecimal(buf: Uint8Array, s: number, e: number): number {
  let neg = false;
  if (s < e && buf[s] === DASH) {
    neg = true;
    s++;
  }
  if (s >= e) return NaN;
  let int = 0;
  let c: number;
  while (s < e && (c = buf[s]) >= ZERO && c <= NINE) {
    int = int * 10 + (c - ZERO);
    s++;
  }
  let value = int;
  if (s < e) {
    if (buf[s] !== DOT || s + 1 >= e) return NaN;
    s++;
    let frac = 0;
    let scale = 1;
    while (s < e && (c = buf[s]) >= ZERO && c <= NINE) {
      frac = frac * 10 + (c - ZERO);
      scale *= 10;
      s++;
    }
    if (s < e) return NaN;
    value = int + frac / scale;
  }
  return neg ? -value : value;
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

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Bytes as latin1 text: Buffer's fast path without toString's argument checks (ASCII fields only). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as Latin1Buffer).latin1Slice(start, end);
}

export function unescapeQuoted(text: string): string {
  return text.replace(/\\(["\\])/g, "$1");
}

/** Splits "ip:port", "[v6]:port" or bare IPv6 "2001:db8::1:443" on the last colon. */
export function splitHostPort(value: string | null): { ip: string | null; port: number | null } {
  if (value === null) return { ip: null, port: null };
  const colon = value.lastIndexOf(":");
  if (colon < 0) return { ip: value, port: null };
  let ip = value.slice(0, colon);
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const port = Number(value.slice(colon + 1));
  return { ip, port: Number.isInteger(port) ? port : null };
}

/**
 * "METHOD url PROTOCOL" -> parts. Like the request line, the URL may contain spaces (logged as sent),
 * the protocol may be missing ("- http://host:80-") and stray trailing spaces occur, so: method is up
 * to the first space, protocol is the last word only if it looks like one, the URL is what is between.
 */
export function splitRequest(request: string | null): {
  method: string | null;
  url: string | null;
  protocol: string | null;
} {
  if (request === null) return { method: null, url: null, protocol: null };
  const text = request.trimEnd();
  const first = text.indexOf(" ");
  if (first < 0) return { method: dashNull(text), url: null, protocol: null };
  const method = dashNull(text.slice(0, first));
  let rest = text.slice(first + 1);
  let protocol: string | null = null;
  const last = rest.lastIndexOf(" ");
  if (last >= 0) {
    const tail = rest.slice(last + 1);
    if (tail === "-" || /^[A-Z]+\/\d/.test(tail)) {
      protocol = dashNull(tail);
      rest = rest.slice(0, last);
    }
  }
  return { method, url: dashNull(rest), protocol };
}

function dashNull(s: string): string | null {
  return s === "-" || s === "" ? null : s;
}

/** Positions whose value must be a number (or "-"). */
const NUMERIC_TOKENS: [number, string][] = [
  [TOKEN.requestProcessingTime, "request_processing_time"],
  [TOKEN.targetProcessingTime, "target_processing_time"],
  [TOKEN.responseProcessingTime, "response_processing_time"],
  [TOKEN.elbStatusCode, "elb_status_code"],
  [TOKEN.targetStatusCode, "target_status_code"],
  [TOKEN.receivedBytes, "received_bytes"],
  [TOKEN.sentBytes, "sent_bytes"],
];

/** Checks that a tokenized line is an ALB access-log line (not an NLB, classic ELB or connection-log line). */
export function validate(t: LineTokens): string | null {
  const shape = checkShape(t);
  if (shape !== null) return shape;
  if (Number.isNaN(isoAt(t, TOKEN.time))) return TIME_REASON;
  return checkNumbers(t);
}

export const TIME_REASON = "second field is not an ISO-8601 time";

/** Enough fields, and a request type first. */
export function checkShape(t: LineTokens): string | null {
  if (t.count < MIN_TOKENS) return `expected at least ${MIN_TOKENS} fields, found ${t.count}`;
  if (!isTypeToken(t)) return "first field is not a request type (http, https, h2, ws, ...)";
  return null;
}

/** The timing, status and byte fields are numbers or "-". */
export function checkNumbers(t: LineTokens): string | null {
  for (const [i, name] of NUMERIC_TOKENS) {
    const v = numberAt(t, i);
    if (v !== null && Number.isNaN(v)) return `${name} is not a number`;
  }
  return null;
}

function isTypeToken(t: LineTokens): boolean {
  const s = t.starts[0];
  const e = t.ends[0];
  if (t.flags[0] !== 0 || e - s < 2 || e - s > 8) return false;
  for (let i = s; i < e; i++) {
    const c = t.buf[i];
    if (!((c >= 0x61 && c <= 0x7a) || (c >= ZERO && c <= NINE))) return false;
  }
  return true;
}

/** The date+hour prefix of the last time parsed, and its epoch ms: most lines share it. */
const cachedHour = new Uint8Array(13);
let cachedHourMs = NaN;

/** Epoch milliseconds of an ISO time token "2018-07-02T22:23:00.186641Z"; NaN if not one, null for "-". */
export function isoAt(t: LineTokens, i: number): number {
  if (i >= t.count) return NaN;
  return parseIsoMs(t.buf, t.starts[i], t.ends[i]);
}

export function parseIsoMs(buf: Buffer, s: number, e: number): number {
  // Fixed layout YYYY-MM-DDTHH:MM:SS[.ffffff]Z; the date+hour part repeats across lines, so it is cached.
  if (
    e - s < 20 ||
    buf[s + 4] !== DASH ||
    buf[s + 10] !== 0x54 ||
    buf[s + 13] !== COLON ||
    buf[e - 1] !== 0x5a
  ) {
    return NaN;
  }
  let same = cachedHourMs === cachedHourMs; // not NaN
  for (let k = 12; same && k >= 0; k--) same = buf[s + k] === cachedHour[k];
  if (!same) {
    const ms = Date.parse(`${latin1(buf, s, s + 13)}:00:00Z`);
    if (Number.isNaN(ms)) return NaN;
    cachedHour.set(buf.subarray(s, s + 13));
    cachedHourMs = ms;
  }
  const min = twoDigits(buf, s + 14);
  const sec = twoDigits(buf, s + 17);
  if (min < 0 || sec < 0 || min > 59 || sec > 60) return NaN;
  let ms = cachedHourMs + min * 60000 + sec * 1000;
  if (buf[s + 19] === DOT) {
    const frac = parseDecimal(buf, s + 19 + 1, e - 1);
    if (Number.isNaN(frac)) return NaN;
    ms += (frac / 10 ** (e - 1 - (s + 20))) * 1000;
  } else if (s + 19 !== e - 1) return NaN;
  return ms;
}

function twoDigits(buf: Uint8Array, at: number): number {
  const a = buf[at] - ZERO;
  const b = buf[at + 1] - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function listAt(t: LineTokens, i: number): string[] | null {
  const s = stringAt(t, i);
  return s === null ? null : s.split(" ").filter((x) => x !== "");
}

/** The full record of a tokenized, validated line. */
export function toRecord(t: LineTokens): LogRecord {
  const client = splitHostPort(asciiAt(t, TOKEN.client));
  const target = splitHostPort(asciiAt(t, TOKEN.target));
  const req = splitRequest(stringAt(t, TOKEN.request));
  const rec: LogRecord = {
    type: asciiAt(t, TOKEN.type) as string,
    time: asciiAt(t, TOKEN.time) as string,
    elb: stringAt(t, TOKEN.elb) as string,
    client_ip: client.ip,
    client_port: client.port,
    target_ip: target.ip,
    target_port: target.port,
    request_processing_time: numberAt(t, TOKEN.requestProcessingTime),
    target_processing_time: numberAt(t, TOKEN.targetProcessingTime),
    response_processing_time: numberAt(t, TOKEN.responseProcessingTime),
    elb_status_code: numberAt(t, TOKEN.elbStatusCode),
    target_status_code: numberAt(t, TOKEN.targetStatusCode),
    received_bytes: numberAt(t, TOKEN.receivedBytes),
    sent_bytes: numberAt(t, TOKEN.sentBytes),
    request_method: req.method,
    request_url: req.url,
    request_protocol: req.protocol,
    user_agent: stringAt(t, TOKEN.userAgent),
    ssl_cipher: stringAt(t, TOKEN.sslCipher),
    ssl_protocol: stringAt(t, TOKEN.sslProtocol),
    target_group_arn: stringAt(t, TOKEN.targetGroupArn),
    trace_id: stringAt(t, TOKEN.traceId),
  };
  const n = t.count;
  if (n > TOKEN.domainName) rec.domain_name = stringAt(t, TOKEN.domainName);
  if (n > TOKEN.chosenCertArn) rec.chosen_cert_arn = stringAt(t, TOKEN.chosenCertArn);
  if (n > TOKEN.matchedRulePriority) rec.matched_rule_priority = numberOrNull(t, TOKEN.matchedRulePriority);
  if (n > TOKEN.requestCreationTime) rec.request_creation_time = stringAt(t, TOKEN.requestCreationTime);
  if (n > TOKEN.actionsExecuted) rec.actions_executed = stringAt(t, TOKEN.actionsExecuted);
  if (n > TOKEN.redirectUrl) rec.redirect_url = stringAt(t, TOKEN.redirectUrl);
  if (n > TOKEN.errorReason) rec.error_reason = stringAt(t, TOKEN.errorReason);
  if (n > TOKEN.targetPortList) rec.target_port_list = listAt(t, TOKEN.targetPortList);
  if (n > TOKEN.targetStatusCodeList) {
    rec.target_status_code_list =
      listAt(t, TOKEN.targetStatusCodeList)?.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) ?? null;
  }
  if (n > TOKEN.classification) rec.classification = stringAt(t, TOKEN.classification);
  if (n > TOKEN.classificationReason) rec.classification_reason = stringAt(t, TOKEN.classificationReason);
  if (n > TOKEN.connTraceId) rec.conn_trace_id = stringAt(t, TOKEN.connTraceId);
  if (n > TOKEN.transformedHost) rec.transformed_host = stringAt(t, TOKEN.transformedHost);
  if (n > TOKEN.transformedUri) rec.transformed_uri = stringAt(t, TOKEN.transformedUri);
  if (n > TOKEN.requestTransformStatus)
    rec.request_transform_status = stringAt(t, TOKEN.requestTransformStatus);
  for (let i = KNOWN_TOKENS; i < n; i++) rec[`field_${i}`] = stringAt(t, i);
  return rec;
}

/** matched_rule_priority is a number ("-1", "0", "10160") but kept as text if something else turns up. */
function numberOrNull(t: LineTokens, i: number): number | null {
  const v = numberAt(t, i);
  return v === null || Number.isNaN(v) ? null : v;
}

/** Parses one line given as bytes [start, end) of buf (no trailing newline). */
export function parseLineBytes(buf: Buffer, start: number, end: number, t = new LineTokens()): ParseResult {
  if (end > start && buf[end - 1] === 0x0d) end--;
  const reason = tokenize(buf, start, end, t) ?? validate(t);
  return reason === null ? { ok: true, record: toRecord(t) } : { ok: false, reason };
}

export function parseLine(line: string, t = new LineTokens()): ParseResult {
  const buf = Buffer.from(line, "utf8");
  return parseLineBytes(buf, 0, buf.length, t);
}
