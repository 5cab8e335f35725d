/** Byte-level readers shared by the tokenizer and the time parser. */
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** A decimal number ("-1", "0.001", "502") in buf[s, e); NaN if it is not one. */
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

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Bytes as latin1 text: Buffer's fast path without toString's argument checks (ASCII fields only). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as Latin1Buffer).latin1Slice(start, end);
}
