/**
 * Allocation-free keys for the aggregator's hot path: a 52-bit hash of a byte range (two 32-bit FNV-1a
 * style hashes; a collision among a few thousand keys has odds ~1e-9), and the same hash computed over
 * a URL's path pattern while scanning it, so that no string is built unless a key is new.
 */
const SEED1 = 0x811c9dc5;
const SEED2 = 0x9747b28c;
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

export class Hash52 {
  h1 = SEED1;
  h2 = SEED2;
  reset(): void {
    this.h1 = SEED1;
    this.h2 = SEED2;
  }
  byte(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, P1);
    this.h2 = Math.imul(this.h2 ^ c, P2);
  }
  range(buf: Uint8Array, s: number, e: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = s; i < e; i++) {
      const c = buf[i];
      h1 = Math.imul(h1 ^ c, P1);
      h2 = Math.imul(h2 ^ c, P2);
    }
    this.h1 = h1;
    this.h2 = h2;
  }
  value(): number {
    return (this.h1 >>> 0) * 0x100000 + ((this.h2 >>> 0) >>> 12);
  }
}

const shared = new Hash52();

export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  shared.reset();
  shared.range(buf, s, e);
  return shared.value();
}

/** The hash of a string's latin1 bytes (equal to hashBytes over the same bytes). */
export function hashString(text: string): number {
  shared.reset();
  for (let i = 0; i < text.length; i++) shared.byte(text.charCodeAt(i) & 0xff);
  return shared.value();
}

const SLASH = 0x2f;
const ID = [0x3a, 0x69, 0x64]; // ":id"

/**
 * hashString(pathPattern(urlPath(url)) ?? "-") for the URL in buf[s, e), without building strings.
 * Must agree with path-pattern.ts (a test checks this on many URLs).
 */
export function hashUrlPattern(buf: Uint8Array, s: number, e: number): number {
  const h = shared;
  h.reset();
  if (e - s === 1 && buf[s] === 0x2d) {
    h.byte(0x2d);
    return h.value();
  }
  // Skip "scheme://host:port" when "://" starts within the first 10 characters.
  let p = s;
  for (let i = s; i < s + 10 && i + 2 < e; i++) {
    if (buf[i] === 0x3a && buf[i + 1] === SLASH && buf[i + 2] === SLASH) {
      p = i + 3;
      while (p < e && buf[p] !== SLASH && buf[p] !== 0x20) p++;
      if (p >= e || buf[p] !== SLASH) {
        h.byte(SLASH);
        return h.value();
      }
      break;
    }
  }
  let end = p;
  while (end < e) {
    const c = buf[end];
    if (c === 0x3f || c === 0x23 || c === 0x20) break;
    end++;
  }
  if (end === p) {
    h.byte(SLASH);
    return h.value();
  }
  // Segment by segment: all-digit and UUID segments hash as ":id".
  let seg = p;
  for (;;) {
    let segEnd = seg;
    while (segEnd < end && buf[segEnd] !== SLASH) segEnd++;
    if (isIdSegment(buf, seg, segEnd)) for (const c of ID) h.byte(c);
    else h.range(buf, seg, segEnd);
    if (segEnd >= end) break;
    h.byte(SLASH);
    seg = segEnd + 1;
  }
  return h.value();
}

function isIdSegment(buf: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  let digits = true;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) {
      digits = false;
      break;
    }
  }
  if (digits) return true;
  if (e - s !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = buf[s + i];
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)))
      return false;
  }
  return true;
}
