import { describe, expect, it } from "vitest";
import {
  accessLogDayPrefix,
  accessLogObjectKey,
  parseAccessLogKey,
  stableLogKeyRandom,
} from "../../src/sim/access-log-keys.ts";

const base = {
  accountId: "123456789012",
  region: "us-east-1",
  lbResourceId: "app/my-alb/50dc6c495c0c9188",
  nodeIp: "10.0.1.55",
  random: "2et2e1mx",
};

describe("accessLogObjectKey", () => {
  it("names the file as ELB does, with the prefix and the delivery-date folder", () => {
    const key = accessLogObjectKey({ ...base, prefix: "prod", end: new Date("2026-03-15T14:25:00Z") });
    expect(key).toBe(
      "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/15/" +
        "123456789012_elasticloadbalancing_us-east-1_app.my-alb.50dc6c495c0c9188_20260315T1425Z_10.0.1.55_2et2e1mx.log.gz",
    );
  });

  it("has no leading slash without a prefix, and ignores stray slashes in the prefix", () => {
    const end = new Date("2026-03-15T14:25:00Z");
    expect(accessLogObjectKey({ ...base, end })).toMatch(/^AWSLogs\/123456789012\//);
    expect(accessLogObjectKey({ ...base, prefix: "/a/b/", end })).toMatch(/^a\/b\/AWSLogs\//);
  });

  it("puts a file delivered after midnight in the next day's folder", () => {
    const end = new Date("2026-03-15T23:59:00Z");
    const key = accessLogObjectKey({ ...base, end });
    expect(key).toContain("/2026/03/16/");
    expect(key).toContain("_20260315T2359Z_");
    const explicit = accessLogObjectKey({ ...base, end, deliveredAt: new Date("2026-03-15T23:59:30Z") });
    expect(explicit).toContain("/2026/03/15/");
  });

  it("rejects a resource id that is not app/NAME/ID", () => {
    expect(() => accessLogObjectKey({ ...base, lbResourceId: "my-alb", end: new Date() })).toThrow(
      /app\/NAME\/ID/,
    );
  });
});

describe("parseAccessLogKey", () => {
  it("reads back what accessLogObjectKey wrote", () => {
    const end = new Date("2026-12-31T23:58:00Z");
    const key = accessLogObjectKey({ ...base, prefix: "x/y", end });
    const parsed = parseAccessLogKey(key);
    expect(parsed).toMatchObject({
      kind: "access",
      prefix: "x/y",
      accountId: "123456789012",
      region: "us-east-1",
      folderDate: "2027-01-01",
      lbResourceId: "app/my-alb/50dc6c495c0c9188",
      lbName: "my-alb",
      lbId: "50dc6c495c0c9188",
      nodeIp: "10.0.1.55",
      random: "2et2e1mx",
    });
    expect(parsed?.end.toISOString()).toBe("2026-12-31T23:58:00.000Z");
    expect(parsed?.start.toISOString()).toBe("2026-12-31T23:53:00.000Z");
  });

  it("recognises connection logs and rejects other keys", () => {
    const conn = accessLogObjectKey({ ...base, end: new Date("2026-03-15T14:25:00Z") }, "connection");
    expect(parseAccessLogKey(conn)?.kind).toBe("connection");
    expect(parseAccessLogKey("prod/AWSLogs/123456789012/ELBAccessLogTestFile")).toBeUndefined();
    expect(parseAccessLogKey("random/file.log.gz")).toBeUndefined();
    // account in the folder and in the file name disagree
    const bad = accessLogObjectKey({ ...base, end: new Date("2026-03-15T14:25:00Z") }).replace(
      "AWSLogs/123456789012",
      "AWSLogs/999999999999",
    );
    expect(parseAccessLogKey(bad)).toBeUndefined();
  });

  it("gives the day prefix used to list a day's files", () => {
    expect(accessLogDayPrefix({ ...base, prefix: "prod", day: new Date("2026-03-05T01:00:00Z") })).toBe(
      "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/05/",
    );
  });
});

describe("stableLogKeyRandom", () => {
  it("is 8 lowercase alphanumerics, stable per seed and different across seeds", () => {
    const a = stableLogKeyRandom("my-alb|2026-03-15T14:25:00Z|10.0.1.55");
    expect(a).toMatch(/^[a-z0-9]{8}$/);
    expect(stableLogKeyRandom("my-alb|2026-03-15T14:25:00Z|10.0.1.55")).toBe(a);
    expect(stableLogKeyRandom("my-alb|2026-03-15T14:30:00Z|10.0.1.55")).not.toBe(a);
  });
});
