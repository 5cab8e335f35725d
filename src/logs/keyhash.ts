/**
 * Allocation-free keys for the aggregator's hot path. A key is a 64-bit hash of a byte sequence kept as
 * two int32 halves, written into a reusable Key so no number is boxed. Bytes are packed four to a word
 * and each word goes through two MurmurHash3-style rounds with different constants: a per-byte hash would
 * be bound by one multiply's latency per byte, which made hashing cost more than parsing. The path key is
 * computed over the URL's path pattern while scanning it, so no string is built unless a key is new.
 */
const SEED1 = 0x811c9dc5 | 0;
const SEED2 = 0x9747b28c | 0;

export class Key {
  h1 = 0;
  h2 = 0;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** One word into the first half. */
function round1(h: number, w: number): number {
  const k = Math.imul(rotl(Math.imul(w, 0xcc9e2d51), 15), 0x1b873593);
  return (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
}

/** One word into the second half, with other constants, so the halves fail independently. */
function round2(h: number, w: number): number {
  const k = Math.imul(rotl(Math.imul(w, 0x85ebca77), 17), 0xc2b2ae3d);
  return (Math.imul(rotl(h ^ k, 11), 9) + 0x27d4eb2f) | 0;
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Ends a hash: the last partial word (n bytes, n may be 0), then the length, then avalanche. */
function finish(key: Key, h1: number, h2: number, w: number, n: number, length: number): Key {
  if (n > 0) {
    h1 = round1(h1, w);
    h2 = round2(h2, w);
  }
  key.h1 = avalanche(h1 ^ length);
  key.h2 = avalanche(h2 ^ length);
  return key;
}

export function hashBytes(key: Key, buf: Uint8Array, s: number, e: number): Key {
  let h1 = SEED1;
  let h2 = SEED2;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    h1 = round1(h1, w);
    h2 = round2(h2, w);
  }
  let w = 0;
  let n = 0;
  for (; i < e; i++, n++) w |= buf[i] << (n << 3);
  return finish(key, h1, h2, w, n, e - s);
}

/** The key of a string's latin1 bytes (the same key hashBytes gives for those bytes). */
export function hashString(key: Key, text: string): Key {
  const b = Buffer.from(text, "latin1");
  return hashBytes(key, b, 0, b.length);
}

/**
 * The key of an ARN by its length and its last TAIL bytes. A target group ARN ends in "/NAME/ID", ID
 * being 16 hex digits AWS assigns uniquely per account and region, and the analyzer reads one load
 * balancer's logs (one account, one region), so the tail identifies it; hashing 90-odd bytes per line
 * for the same handful of target groups would cost more than the rest of the line's keys together.
 */
const TAIL = 32;
export function hashArnTail(key: Key, buf: Uint8Array, s: number, e: number): Key {
  hashBytes(key, buf, e - s > TAIL ? e - TAIL : s, e);
  key.h2 = avalanche(key.h2 ^ (e - s));
  return key;
}

export function hashArnTailString(key: Key, text: string): Key {
  const b = Buffer.from(text, "latin1");
  return hashArnTail(key, b, 0, b.length);
}

const SLASH = 0x2f;
const DASH = 0x2d;
const ID = [0x3a, 0x69, 0x64]; // ":id"
const ID_SLASH = [0x3a, 0x69, 0x64, SLASH]; // ":id/"

/**
 * The key of pathPattern(urlPath(url)) ?? "-" (hashString of it) for the URL in buf[s, e), in one pass
 * without building strings. Must agree with path-pattern.ts (a test checks this on many URLs).
 */
export function hashUrlPattern(key: Key, buf: Uint8Array, s: number, e: number): Key {
  if (e - s === 1 && buf[s] === DASH) return hashBytes(key, buf, s, e);
  // Skip "scheme://host:port" when "://" starts within the first 10 characters.
  let p = s;
  for (let i = s; i < s + 10 && i + 2 < e; i++) {
    if (buf[i] === 0x3a && buf[i + 1] === SLASH && buf[i + 2] === SLASH) {
      p = i + 3;
      while (p < e && buf[p] !== SLASH && buf[p] !== 0x20) p++;
      if (p >= e || buf[p] !== SLASH) return hashSlash(key);
      break;
    }
  }
  if (p >= e || isPathEnd(buf[p])) return hashSlash(key);
  // The hash state: two halves, the word being packed (w, n bytes so far) and the length.
  let h1 = SEED1;
  let h2 = SEED2;
  let w = 0;
  let n = 0;
  let length = 0;
  // Segment by segment, hashing as it goes (a segment's closing "/" included); an all-digit or UUID
  // segment is re-hashed as ":id" from the state saved at its start. The packing is written out in the
  // loops, not called, because this runs for every byte of every path.
  let i = p;
  for (;;) {
    const save1 = h1;
    const save2 = h2;
    const saveW = w;
    const saveN = n;
    const segStart = i;
    let digits = true;
    let slash = false;
    while (i < e) {
      const c = buf[i];
      // Letters (above "?") are most of a path: one comparison for them. "/", "?", "#", " " and the
      // digits all lie below.
      if (c <= 0x3f) {
        if (isPathEnd(c)) break;
        if (c === SLASH) slash = true;
        else if (c < 0x30 || c > 0x39) digits = false;
      } else digits = false;
      w |= c << (n << 3);
      if (++n === 4) {
        h1 = round1(h1, w);
        h2 = round2(h2, w);
        w = 0;
        n = 0;
      }
      i++;
      if (slash) break;
    }
    const segEnd = slash ? i - 1 : i;
    if (segEnd > segStart && (digits || isUuid(buf, segStart, segEnd))) {
      const id = slash ? ID_SLASH : ID;
      h1 = save1;
      h2 = save2;
      w = saveW;
      n = saveN;
      for (let k = 0; k < id.length; k++) {
        w |= id[k] << (n << 3);
        if (++n === 4) {
          h1 = round1(h1, w);
          h2 = round2(h2, w);
          w = 0;
          n = 0;
        }
      }
      length += id.length;
    } else length += i - segStart;
    if (!slash) break;
  }
  return finish(key, h1, h2, w, n, length);
}

/** "?", "#" and " " end a logged URL's path. */
function isPathEnd(c: number): boolean {
  return c === 0x3f || c === 0x23 || c === 0x20;
}

const SLASH_TEXT = Buffer.from("/");

function hashSlash(key: Key): Key {
  return hashBytes(key, SLASH_TEXT, 0, 1);
}

function isUuid(buf: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = buf[s + i];
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== DASH) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)))
      return false;
  }
  return true;
}
