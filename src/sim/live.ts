/**
 * `--live` replay: move a recorded incident to the wall clock. The loader shifts the scenario's `now`, the
 * access-log files' end times and, here, the timestamps inside the log lines (the `time` and
 * `request_creation_time` fields, and any other whole-token ISO timestamp), keeping their precision.
 */

const ISO_TOKEN = /(^|\s)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z(?=\s|$)/g;

/** Shift one ISO timestamp (up to nanosecond digits) by offsetMs, writing the same number of fraction digits. */
export function shiftIsoTimestamp(seconds: string, fraction: string | undefined, offsetMs: number): string {
  const digits = fraction ? fraction.slice(1) : "";
  const ms = digits.padEnd(3, "0").slice(0, 3);
  const belowMs = digits.length > 3 ? digits.slice(3) : "";
  const shifted = new Date(Date.parse(`${seconds}.${ms}Z`) + offsetMs).toISOString(); // ...SS.mmmZ
  const base = shifted.slice(0, 19);
  if (!digits) return `${base}Z`;
  const newFraction = (shifted.slice(20, 23) + belowMs).slice(0, digits.length);
  return `${base}.${newFraction}Z`;
}

/** Shift every whole-token ISO timestamp of an access-log line; quoted fields keep their text. */
export function shiftLogLine(line: string, offsetMs: number): string {
  if (offsetMs === 0) return line;
  return line.replace(
    ISO_TOKEN,
    (_m, lead: string, seconds: string, fraction: string | undefined) =>
      `${lead}${shiftIsoTimestamp(seconds, fraction, offsetMs)}`,
  );
}
