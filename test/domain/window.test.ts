import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, windowOf } from "../../src/domain/window.ts";

describe("windows", () => {
  it.each([
    ["1m", 60],
    ["30m", 1800],
    ["1h", 3600],
    ["2d", 172_800],
    ["14d", 1_209_600],
  ])("%s = %i s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each(["", "1", "h", "30s", "15d", "1w", "-1h", "1.5h"])("rejects %j with a usage error", (text) => {
    expect(() => parseDuration(text)).toThrow(/window|too/);
  });

  it("ends at the given time or now", () => {
    const now = new Date("2026-03-15T14:30:00Z");
    expect(windowOf("1h", undefined, now)).toEqual({ start: new Date("2026-03-15T13:30:00Z"), end: now });
    expect(windowOf("30m", "2026-03-15T12:00:00Z", now).start.toISOString()).toBe("2026-03-15T11:30:00.000Z");
    expect(() => windowOf("1h", "yesterday", now)).toThrow(/not a time/);
  });
});
