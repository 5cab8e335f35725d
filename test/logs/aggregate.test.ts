import { describe, expect, it } from "vitest";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { OTHER_KEY } from "../../src/logs/buckets.ts";
import { Key, hashString, hashUrlPattern } from "../../src/logs/keyhash.ts";
import { pathPattern, urlPath } from "../../src/logs/path-pattern.ts";
import { rng } from "../../bench/generate-logs.ts";

interface L {
  time?: string;
  created?: string;
  target?: string;
  times?: string;
  status?: string;
  url?: string;
  tg?: string;
  reason?: string;
  ua?: string;
  proto?: string;
}
function logLine(o: L = {}): string {
  const time = o.time ?? "2026-03-15T14:21:30.000000Z";
  return (
    `https ${time} app/web/1 1.2.3.4:5000 ${o.target ?? "10.0.0.1:8080"} ${o.times ?? "0.001 0.200 0.000"} ${o.status ?? "200 200"} 10 20 ` +
    `"GET ${o.url ?? "https://h:443/api/users/42?x=1"} ${o.proto ?? "HTTP/1.1"}" "${o.ua ?? "ua"}" - - ${o.tg ?? "arn:tg/a"} "Root=1" "-" "-" 1 ` +
    `${o.created ?? time} "forward" "-" "${o.reason ?? "-"}" "-" "-" "-" "-"`
  );
}
const base = {
  enabled: true,
  window: { start: "", end: "" },
  objects: { listed: 0, scanned: 0, bytes: 0, failed: [] },
};
function feed(agg: LogAggregator, lines: string[]) {
  for (const l of lines) {
    const b = Buffer.from(l);
    agg.addLine(b, 0, b.length);
  }
}

describe("LogAggregator", () => {
  it("counts statuses, classes, targets, groups, paths and minutes", () => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    feed(agg, [
      logLine(),
      logLine({ url: "https://h:443/api/users/7", time: "2026-03-15T14:22:01.000000Z" }),
      logLine({ status: "502 -", times: "-1 -1 -1", target: "10.0.0.2:8080" }),
      logLine({ status: "504 -", times: "-1 -1 -1", created: "2026-03-15T14:20:30.000000Z", tg: "arn:tg/b" }),
      logLine({
        status: "503 -",
        target: "-",
        times: "-1 -1 -1",
        url: "https://h:443/orders/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
      }),
      logLine({ status: "502 -", target: "-", reason: "LambdaUnhandled" }),
      "not a log line",
      "",
    ]);
    const s = agg.summary(base);
    expect(s.lines).toEqual({ total: 7, inWindow: 6, malformed: 1 });
    expect(s.byStatus).toEqual({ "200": 2, "502": 2, "503": 1, "504": 1 });
    expect(s.byTargetStatus).toEqual({ "200": 2 });
    expect(s.byClass).toEqual({
      "elb-502-target-closed": 1,
      "elb-504-idle-timeout": 1,
      "elb-503-no-target": 1,
      "lambda-error": 1,
    });
    expect(s.byErrorReason).toEqual({ LambdaUnhandled: 1 });
    expect(s.byTarget["10.0.0.2:8080"]).toEqual({
      requests: 1,
      errors: { "502": 1 },
      classes: { "elb-502-target-closed": 1 },
    });
    expect(s.byTarget["-"].requests).toBe(2);
    expect(s.byTargetGroup["arn:tg/b"]).toEqual({
      requests: 1,
      errors: { "504": 1 },
      classes: { "elb-504-idle-timeout": 1 },
    });
    expect(s.byPath["/api/users/:id"].requests).toBe(5);
    expect(s.byPath["/orders/:id"].errors).toEqual({ "503": 1 });
    expect(Object.keys(s.byMinute)).toEqual(["2026-03-15T14:21Z", "2026-03-15T14:22Z"]);
    expect(s.byMinute["2026-03-15T14:21Z"].requests).toBe(5);
    expect(s.latency.total.max).toBeCloseTo(60, 6);
    expect(s.latency.targetProcessing.count).toBe(3);
    expect(s.samples["elb-504-idle-timeout"]?.[0]).toContain(" 504 - ");
    expect(s.malformedSamples).toEqual(["not a log line"]);
  });

  it("counts only lines whose own time is in the window", () => {
    const startMs = Date.parse("2026-03-15T14:00:00Z");
    const agg = new LogAggregator({ idleTimeoutSeconds: 60, window: { startMs, endMs: startMs + 3600_000 } });
    feed(agg, [
      logLine({ time: "2026-03-15T13:59:59.999000Z" }),
      logLine({ time: "2026-03-15T14:00:00.000000Z" }),
      logLine({ time: "2026-03-15T14:59:59.999999Z" }),
      logLine({ time: "2026-03-15T15:00:00.000000Z" }),
    ]);
    const s = agg.summary(base);
    expect(s.lines).toEqual({ total: 4, inWindow: 2, malformed: 0 });
    expect(Object.keys(s.byMinute)).toEqual(["2026-03-15T14:00Z", "2026-03-15T14:59Z"]);
  });

  it("keeps its maps bounded after two million distinct paths and targets, and keeps the worst keys", () => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60, maxKeys: 1000, topN: 20 });
    const hot = Buffer.from(
      logLine({ url: "https://h:443/hot/path", status: "502 -", times: "-1 -1 -1", target: "10.9.9.9:80" }),
    );
    // One buffer rewritten in place: a distinct path segment and target port per line, no allocation per line.
    const line = Buffer.from(logLine({ url: "https://h:443/p0000000/x", target: "10.1.1.1:0000000" }));
    const pathAt = line.indexOf("/p0000000/") + 2;
    const portAt = line.indexOf(":0000000 ") + 1;
    const n = 2_000_000;
    for (let i = 0; i < n; i++) {
      if (i % 100 === 0) agg.addLine(hot, 0, hot.length);
      let v = i;
      for (let d = 6; d >= 0; d--, v = Math.floor(v / 10)) {
        line[pathAt + d] = 0x30 + (v % 10);
        line[portAt + d] = 0x30 + ((v * 7) % 10);
      }
      agg.addLine(line, 0, line.length);
    }
    const state = agg.state();
    expect(state.maps.byPath.entries.length).toBeLessThanOrEqual(1000);
    expect(state.maps.byTarget.entries.length).toBeLessThanOrEqual(1000);
    const s = agg.summary(base);
    expect(Object.keys(s.byPath).length).toBeLessThanOrEqual(21);
    expect(s.byPath["/hot/path"].errors["502"]).toBe(n / 100);
    expect(s.byTarget["10.9.9.9:80"].errors["502"]).toBe(n / 100);
    const total = Object.values(s.byPath).reduce((a, b) => a + b.requests, 0);
    expect(total).toBe(n + n / 100);
    expect(s.byPath[OTHER_KEY].requests).toBeGreaterThan(n - 1000);
  }, 120_000);

  it("counts 460 and 464 lines by request protocol and user agent, and durations per class", () => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    const browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0";
    const at = (s: number) => `2026-03-15T14:21:${String(s).padStart(2, "0")}.000000Z`;
    feed(agg, [
      ...Array.from({ length: 4 }, (_, i) =>
        logLine({
          status: "464 -",
          target: "-",
          times: "-1 -1 -1",
          ua: browser,
          proto: "HTTP/2.0",
          time: at(i),
        }),
      ),
      logLine({ status: "464 -", target: "-", times: "-1 -1 -1", ua: "curl/8.5.0", time: at(9) }),
      // a quick abort (50 ms) and a slow one (12 s)
      logLine({
        status: "460 -",
        times: "0.000 -1 -1",
        ua: "-",
        time: at(20),
        created: "2026-03-15T14:21:19.950000Z",
      }),
      logLine({
        status: "460 -",
        times: "0.000 -1 -1",
        ua: "-",
        time: at(40),
        created: "2026-03-15T14:21:28.000000Z",
      }),
      logLine({ ua: "x".repeat(500) }),
    ]);
    const s = agg.summary(base);
    expect(s.byClass).toEqual({ "protocol-mismatch": 5, "client-closed": 2 });
    expect(Object.keys(s.byAgent ?? {}).sort()).toEqual([
      `HTTP/1.1 -`,
      `HTTP/1.1 curl/8.5.0`,
      `HTTP/2.0 ${browser}`,
    ]);
    expect(s.byAgent?.[`HTTP/2.0 ${browser}`]).toMatchObject({
      requests: 4,
      classes: { "protocol-mismatch": 4 },
    });
    const closed = s.classDurations?.["client-closed"];
    expect(closed?.count).toBe(2);
    expect(closed?.max).toBeCloseTo(12, 5);
    expect(s.classDurations?.["protocol-mismatch"]?.count).toBe(5);
    expect(s.classDurations?.["target-5xx"]).toBeUndefined();
  });

  it("merges partial aggregates into the same summary as one aggregate", () => {
    const lines = Array.from({ length: 400 }, (_, i) =>
      logLine({
        url: `https://h:443/a/${i % 7}/b${i % 3}`,
        status: i % 5 === 0 ? "502 -" : i % 11 === 0 ? "464 -" : "200 200",
        ua: `agent-${i % 4}`,
        times: i % 5 === 0 ? "-1 -1 -1" : `0.001 0.${String(i).padStart(3, "0")} 0.000`,
        time: `2026-03-15T14:${String(20 + (i % 4)).padStart(2, "0")}:00.000000Z`,
      }),
    );
    const one = new LogAggregator({ idleTimeoutSeconds: 60 });
    feed(one, lines);
    const a = new LogAggregator({ idleTimeoutSeconds: 60 });
    const b = new LogAggregator({ idleTimeoutSeconds: 60 });
    feed(a, lines.slice(0, 150));
    feed(b, lines.slice(150));
    a.merge(structuredClone(b.state()));
    const strip = (s: ReturnType<LogAggregator["summary"]>) => ({ ...s, samples: {}, durationMs: 0 });
    expect(strip(a.summary(base))).toEqual(strip(one.summary(base)));
  });
});

describe("path keys", () => {
  it.each([
    ["https://h:443/api/users/42?x=1", "/api/users/:id"],
    ["http://h:80/a/6F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F/b", "/a/:id/b"],
    ["/relative/12/x#frag", "/relative/:id/x"],
    ["http://h:80", "/"],
    ["http://h:80- -", "/"],
    ["http://h HTTP/1.1", "/"],
    ["123/abc", ":id/abc"],
    ["-", "-"],
    ["https://h:443/v2/x1/ HTTP/2.0", "/v2/x1/"],
  ])("%s -> %s, and the hash scan agrees with the string form", (url, pattern) => {
    const p = urlPath(url === "-" ? null : url);
    const text = p === null ? "-" : pathPattern(p);
    expect(text).toBe(pattern);
    const b = Buffer.from(url, "latin1");
    expect(hashUrlPattern(new Key(), b, 0, b.length)).toEqual(hashString(new Key(), text));
  });

  it("hash scan and string form agree on random URLs", () => {
    const r = rng(11);
    const parts = ["api", "123", "", "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "x?y=1", "a#b", "9x", "ü"];
    for (let i = 0; i < 5000; i++) {
      const segs = Array.from(
        { length: 1 + Math.floor(r() * 5) },
        () => parts[Math.floor(r() * parts.length)],
      );
      const url = (r() < 0.5 ? "https://h:443/" : "/") + segs.join("/");
      const b = Buffer.from(url, "latin1");
      expect(hashUrlPattern(new Key(), b, 0, b.length), url).toEqual(
        hashString(new Key(), pathPattern(urlPath(url) as string)),
      );
    }
  });
});
