/** ISO-8601 times as ALB writes them, to epoch ms without Date.parse on every line. */

const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The date+hour prefix "YYYY-MM-DDTHH" of the last time parsed, and its epoch ms: the lines of one log
 * file share it, so Date.parse runs once an hour rather than once a line. Each field parsed on every line
 * (time, request_creation_time) may keep its own cache.
 */
export class IsoTimeCache {
  readonly hour = new Uint8Array(13);
  hourMs = NaN;
}

const shared = new IsoTimeCache();

/** Epoch ms of "2018-07-02T22:23:00.186641Z" (fraction optional) in buf[s, e); NaN if it is not one. */
export function parseIsoMs(buf: Uint8Array, s: number, e: number, cache = shared): number {
  if (
    e - s < 20 ||
    buf[e - 1] !== 0x5a ||
    buf[s + 4] !== DASH ||
    buf[s + 7] !== DASH ||
    buf[s + 10] !== 0x54 ||
    buf[s + 13] !== COLON ||
    buf[s + 16] !== COLON
  ) {
    return NaN;
  }
  const h = cache.hour;
  let hourMs = cache.hourMs;
  for (let k = 12; k >= 0; k--) {
    if (buf[s + k] !== h[k]) {
      hourMs = parseHour(buf, s, cache);
      break;
    }
  }
  const min = twoDigits(buf, s + 14);
  const sec = twoDigits(buf, s + 17);
  // Date.parse's range: no leap second (ALB logs none), minutes below 60.
  if (hourMs !== hourMs || min < 0 || sec < 0 || min > 59 || sec > 59) return NaN;
  let ms = hourMs + min * 60000 + sec * 1000;
  if (buf[s + 19] === DOT) {
    const digits = e - 1 - (s + 20);
    if (digits < 1 || digits > 15) return NaN;
    let frac = 0;
    for (let i = s + 20; i < e - 1; i++) {
      const d = buf[i] - ZERO;
      if (d < 0 || d > 9) return NaN;
      frac = frac * 10 + d;
    }
    ms += (frac / POW10[digits]) * 1000;
  } else if (s + 19 !== e - 1) return NaN;
  return ms;
}

/** The epoch ms of the hour at buf[s, s+13), cached; NaN if it is not a valid date and hour. */
function parseHour(buf: Uint8Array, s: number, cache: IsoTimeCache): number {
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12]) {
    const d = buf[s + k] - ZERO;
    if (d < 0 || d > 9) return NaN;
  }
  // "T24" is midnight of the next day to Date.parse; ALB writes 00 to 23.
  if ((buf[s + 11] - ZERO) * 10 + (buf[s + 12] - ZERO) > 23) return NaN;
  const ms = Date.parse(`${String.fromCharCode(...buf.subarray(s, s + 13))}:00:00Z`);
  if (ms !== ms) return NaN;
  const h = cache.hour;
  for (let k = 0; k < 13; k++) h[k] = buf[s + k];
  cache.hourMs = ms;
  return ms;
}

function twoDigits(buf: Uint8Array, at: number): number {
  const a = buf[at] - ZERO;
  const b = buf[at + 1] - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
