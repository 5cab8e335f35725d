/**
 * The fields of one access-log line that the aggregator reads, as values and byte ranges (no strings),
 * filled either by the fast reader (fast-line.ts) or, for any line it declines, from the general
 * tokenizer. Both must fill it identically for the same line; a differential test holds them to it.
 */
import { TOKEN } from "./fields.ts";
import { isoAt, numberAt, type LineTokens } from "./tokens.ts";

/** A range start for a field the line does not have (older formats stop early); it reads as "-". */
export const ABSENT = -1;

export class LineView {
  buf: Buffer = Buffer.alloc(0);
  timeMs = NaN;
  /** elb_status_code; 0 when "-". */
  status = 0;
  // NaN stands for "-" below: a field that is always a number stays an unboxed double in V8, where
  // mixing in null would box (allocate) every value stored.
  targetStatus = NaN;
  requestProcessingTime = NaN;
  targetProcessingTime = NaN;
  /** request_creation_time in epoch ms; NaN when "-" or absent. */
  createdMs = NaN;
  /** Content ranges [start, end) in buf, without quotes. */
  /** type ("http", "h2", "ws", "wss", ...). */
  typeStart = 0;
  typeEnd = 0;
  /** client:port. */
  clientStart = 0;
  clientEnd = 0;
  targetStart = 0;
  targetEnd = 0;
  targetGroupStart = 0;
  targetGroupEnd = 0;
  /** The request's URL part: from after the method's space to the closing quote (protocol included). */
  urlStart = 0;
  urlEnd = 0;
  /** The user agent, without its quotes. */
  userAgentStart = 0;
  userAgentEnd = 0;
  /** ABSENT when the line stops before the field. */
  actionsStart = ABSENT;
  actionsEnd = ABSENT;
  errorReasonStart = ABSENT;
  errorReasonEnd = ABSENT;
}

/** True when buf[s, e) is "-" or an ABSENT field. */
export function isDashRange(buf: Uint8Array, s: number, e: number): boolean {
  return s === ABSENT || (e - s === 1 && buf[s] === 0x2d);
}

/** Fills v from a tokenized, validated line (the general path). */
export function viewFromTokens(t: LineTokens, v: LineView): void {
  v.buf = t.buf;
  v.timeMs = isoAt(t, TOKEN.time);
  v.status = numberAt(t, TOKEN.elbStatusCode) ?? 0;
  v.targetStatus = numberAt(t, TOKEN.targetStatusCode) ?? NaN;
  v.requestProcessingTime = numberAt(t, TOKEN.requestProcessingTime) ?? NaN;
  v.targetProcessingTime = numberAt(t, TOKEN.targetProcessingTime) ?? NaN;
  v.createdMs = isoAt(t, TOKEN.requestCreationTime);
  v.typeStart = t.starts[TOKEN.type];
  v.typeEnd = t.ends[TOKEN.type];
  v.clientStart = t.starts[TOKEN.client];
  v.clientEnd = t.ends[TOKEN.client];
  v.targetStart = t.starts[TOKEN.target];
  v.targetEnd = t.ends[TOKEN.target];
  v.targetGroupStart = t.starts[TOKEN.targetGroupArn];
  v.targetGroupEnd = t.ends[TOKEN.targetGroupArn];
  v.userAgentStart = t.starts[TOKEN.userAgent];
  v.userAgentEnd = t.ends[TOKEN.userAgent];
  const present = (i: number) => i < t.count;
  v.actionsStart = present(TOKEN.actionsExecuted) ? t.starts[TOKEN.actionsExecuted] : ABSENT;
  v.actionsEnd = present(TOKEN.actionsExecuted) ? t.ends[TOKEN.actionsExecuted] : ABSENT;
  v.errorReasonStart = present(TOKEN.errorReason) ? t.starts[TOKEN.errorReason] : ABSENT;
  v.errorReasonEnd = present(TOKEN.errorReason) ? t.ends[TOKEN.errorReason] : ABSENT;
  // The URL runs from the request's first space to its end; with no space, it is the last byte.
  const s = t.starts[TOKEN.request];
  const e = t.ends[TOKEN.request];
  const sp = t.buf.indexOf(0x20, s);
  if (sp < 0 || sp >= e) {
    v.urlStart = e - 1;
    v.urlEnd = e;
  } else {
    v.urlStart = sp + 1;
    v.urlEnd = e;
  }
}

/** True for the WebSocket types "ws" and "wss". */
export function isWebSocketType(buf: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  return (n === 2 || (n === 3 && buf[s + 2] === 0x73)) && buf[s] === 0x77 && buf[s + 1] === 0x73;
}
