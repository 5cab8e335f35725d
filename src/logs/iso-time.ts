/** ISO-8601 times as ALB writes them, to epoch ms without Date.parse on every line. */
import { latin1, parseDecimal } from "./bytes.ts";

const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;

/** The date+hour prefix of the last time parsed, and its epoch ms: most lines share it. */
const cachedHour = new Uint8Array(13);
let cachedHourMs = NaN;

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
