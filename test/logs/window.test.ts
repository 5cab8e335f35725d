import { describe, expect, it } from "vitest";
import { dayFolder, lbDayPrefix, parseLogKey, parseStamp } from "../../src/logs/keys.ts";
import { dayFoldersFor, fileOverlapsWindow } from "../../src/logs/window.ts";

const T = (iso: string) => Date.parse(iso);
const KEY =
  "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/16/123456789012_elasticloadbalancing_us-east-1_app.my-alb.50dc6c495c0c9188_20260315T2355Z_10.0.1.5_3abc9xyz.log.gz";

describe("access-log keys", () => {
  it("reads the LB id, end stamp and node from a key", () => {
    expect(parseLogKey(KEY)).toEqual({
      accountId: "123456789012",
      region: "us-east-1",
      lbFileId: "app.my-alb.50dc6c495c0c9188",
      endMs: T("2026-03-15T23:55:00Z"),
      nodeIp: "10.0.1.5",
    });
  });

  it.each([
    ["a connection log", KEY.replace("/123456789012_elastic", "/conn_log_123456789012_elastic")],
    ["a health-check log", KEY.replace("/123456789012_elastic", "/health_check_log_123456789012_elastic")],
    ["the delivery test file", "prod/AWSLogs/123456789012/ELBAccessLogTestFile"],
    ["a bad stamp", KEY.replace("20260315T2355Z", "20261315T2355Z")],
  ])("ignores %s", (_n, key) => {
    expect(parseLogKey(key)).toBeNull();
  });

  it("builds day folders and per-LB listing prefixes", () => {
    expect(dayFolder("/prod/", "123456789012", "us-east-1", T("2026-03-16T00:00:00Z"))).toBe(
      "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/16/",
    );
    expect(dayFolder(undefined, "1", "r", T("2026-01-02T00:00:00Z"))).toBe(
      "AWSLogs/1/elasticloadbalancing/r/2026/01/02/",
    );
    expect(
      KEY.startsWith(
        lbDayPrefix(
          "prod",
          "123456789012",
          "us-east-1",
          "app/my-alb/50dc6c495c0c9188",
          T("2026-03-16T00:00:00Z"),
        ),
      ),
    ).toBe(true);
    expect(parseStamp("20140215T2340Z")).toBe(T("2014-02-15T23:40:00Z"));
  });
});

describe("window selection", () => {
  it("lists the day before the start through the day after the end (late delivery across midnight)", () => {
    const days = dayFoldersFor(T("2026-03-15T23:30:00Z"), T("2026-03-16T00:30:00Z")).map((d) =>
      new Date(d).toISOString().slice(0, 10),
    );
    expect(days).toEqual(["2026-03-14", "2026-03-15", "2026-03-16", "2026-03-17"]);
  });

  // A file stamped E holds the requests of (E - 5 min, E].
  it.each([
    ["ends at the window start (holds only earlier requests)", "2026-03-15T14:00:00Z", false],
    ["is the first one inside", "2026-03-15T14:05:00Z", true],
    ["ends at the window end", "2026-03-15T15:00:00Z", true],
    ["covers the last seconds of a window ending mid-interval", "2026-03-15T15:05:00Z", true],
    ["starts after the window", "2026-03-15T15:10:00Z", false],
  ])("a file that %s", (_n, stamp, wanted) => {
    expect(fileOverlapsWindow(T(stamp), T("2026-03-15T14:00:00Z"), T("2026-03-15T15:02:00Z"))).toBe(wanted);
  });
});
