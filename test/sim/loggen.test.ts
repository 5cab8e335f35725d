import { describe, expect, it } from "vitest";
import {
  generateAccessLogLines,
  GenerateSpecSchema,
  type GenerateSpecInput,
} from "../../src/sim/loggen/index.ts";
import * as f from "./loggen-fixture.ts";

/** Quote-aware tokenizer as the log analyzer would use it (alb-facts §1.2). */
function tokens(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

const start = new Date("2026-03-15T14:20:00Z");
const end = new Date("2026-03-15T14:25:00Z");
const https = f.listeners.filter((l) => l.Protocol === "HTTPS");

function gen(spec: GenerateSpecInput, opts: { idle?: string; listeners?: typeof f.listeners } = {}) {
  return generateAccessLogLines(spec, {
    lb: f.makeLb(opts.idle ? { "idle_timeout.timeout_seconds": opts.idle } : {}),
    targetGroups: f.targetGroups,
    listeners: opts.listeners ?? f.listeners,
    instances: f.instances,
    start,
    end,
  }).map(tokens);
}

const F = {
  type: 0,
  time: 1,
  target: 4,
  rp: 5,
  tp: 6,
  resp: 7,
  elb: 8,
  tstatus: 9,
  request: 12,
  tgArn: 16,
  created: 21,
  actions: 22,
  redirect: 23,
  reason: 24,
  targetList: 25,
  statusList: 26,
  tid: 29,
};
const duration = (t: string[]) => (Date.parse(t[F.time]) - Date.parse(t[F.created])) / 1000;
const apiIps = f.instances.map((i) => `${i.PrivateIpAddress}:8080`);

describe("generateAccessLogLines", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = gen({ RequestsPerMinute: 50, Seed: "x" });
    expect(gen({ RequestsPerMinute: 50, Seed: "x" })).toEqual(a);
    expect(gen({ RequestsPerMinute: 50, Seed: "y" })).not.toEqual(a);
  });

  it("writes RequestsPerMinute x minutes full 30-field lines, in time order, inside the window", () => {
    const rows = gen({ RequestsPerMinute: 200 });
    expect(rows).toHaveLength(1000);
    let last = "";
    for (const t of rows) {
      expect(t).toHaveLength(30);
      expect(t[F.time] >= last).toBe(true);
      last = t[F.time];
      expect(t[F.time]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Date.parse(t[F.time])).toBeGreaterThanOrEqual(start.getTime());
      expect(Date.parse(t[F.time])).toBeLessThan(end.getTime());
      expect(duration(t)).toBeGreaterThanOrEqual(0);
      expect(t[2]).toBe("app/my-alb/50dc6c495c0c9188");
      expect(t[F.tid]).toMatch(/^TID_[0-9a-f]{32}$/);
      expect(t[F.request]).toMatch(
        /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) https?:\/\/[^ ]+:(80|443)\/\S* HTTP\/(1\.1|2\.0)$/,
      );
    }
    // a realistic mix: h2 and https on 443, http redirects on 80, rule-routed Lambda and empty-group traffic
    const types = new Set(rows.map((t) => t[F.type]));
    expect([...types].sort()).toEqual(["h2", "http", "https"]);
    expect(
      rows.some(
        (t) => t[F.actions] === "redirect" && t[F.elb] === "301" && t[F.redirect].startsWith("https://"),
      ),
    ).toBe(true);
    expect(rows.some((t) => t[F.tgArn] === f.FN_TG && t[F.target] === "-" && t[F.elb] === "200")).toBe(true);
    expect(rows.some((t) => t[F.tgArn] === f.EMPTY_TG && t[F.elb] === "503" && t[20] === "20")).toBe(true);
    // draining targets get no new requests
    expect(rows.some((t) => t[F.target] === apiIps[2])).toBe(false);
  });

  // Every kind, forced at Rate 1 on a path routed to the instance group (or the Lambda group).
  const cases: {
    kind: GenerateSpecInput["Errors"] extends (infer E)[] | undefined ? E : never;
    path: string;
    check: (t: string[]) => void;
  }[] = [
    {
      kind: { Kind: "keepalive-502", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => lbPattern(t, "502", "-1", "-1", 0, 0.01),
    },
    {
      kind: { Kind: "connect-refused-502", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => lbPattern(t, "502", "-1", "-1", 0, 0.01),
    },
    {
      kind: { Kind: "tls-502", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => lbPattern(t, "502", "-1", "-1", 0.004, 0.07),
    },
    {
      kind: { Kind: "connect-timeout-504", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => lbPattern(t, "504", "-1", "-1", 9.99, 10.01),
    },
    {
      kind: { Kind: "malformed-502", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => {
        expect(t.slice(F.elb, F.tstatus + 1)).toEqual(["502", "-"]);
        expect(Number(t[F.tp])).toBeGreaterThanOrEqual(0);
        expect(t[F.resp]).toBe("-1");
        expect(apiIps).toContain(t[F.target]);
      },
    },
    {
      kind: { Kind: "idle-timeout-504", Rate: 1 },
      path: "/v1/reports",
      check: (t) => {
        expect([t[F.tp], t[F.resp], t[F.elb], t[F.tstatus]]).toEqual(["-1", "-1", "504", "-"]);
        expect(Number(t[F.rp])).toBeGreaterThanOrEqual(0);
        expect(duration(t)).toBeGreaterThanOrEqual(45);
        expect(duration(t)).toBeLessThan(45.02);
        expect(apiIps).toContain(t[F.target]);
      },
    },
    {
      kind: { Kind: "no-target-503", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => {
        expect([t[F.target], t[F.rp], t[F.tp], t[F.resp], t[F.elb], t[F.tstatus], t[F.targetList]]).toEqual([
          "-",
          "-1",
          "-1",
          "-1",
          "503",
          "-",
          "-",
        ]);
        expect(t[F.tgArn]).toBe(f.API_TG);
      },
    },
    {
      kind: { Kind: "client-460", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => {
        expect([t[F.tp], t[F.resp], t[F.elb], t[F.tstatus]]).toEqual(["-1", "-1", "460", "-"]);
        expect(duration(t)).toBeLessThan(45);
      },
    },
    {
      kind: { Kind: "target-5xx", Status: 503, Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => {
        expect([t[F.elb], t[F.tstatus], t[F.statusList]]).toEqual(["503", "503", "503"]);
        expect(Number(t[F.tp])).toBeGreaterThanOrEqual(0);
        expect(apiIps).toContain(t[F.target]);
      },
    },
    {
      kind: { Kind: "target-4xx", Rate: 1 },
      path: "/v1/orders/{id}",
      check: (t) => expect([t[F.elb], t[F.tstatus]]).toEqual(["404", "404"]),
    },
    {
      kind: { Kind: "lambda-error", Reason: "LambdaThrottling", Rate: 1 },
      path: "/thumbs/{id}",
      check: (t) => {
        expect([t[F.target], t[F.tp], t[F.elb], t[F.tstatus], t[F.reason]]).toEqual([
          "-",
          "-1",
          "502",
          "-",
          "LambdaThrottling",
        ]);
        expect(t[F.tgArn]).toBe(f.FN_TG);
      },
    },
    {
      kind: { Kind: "lambda-error", Rate: 1 },
      path: "/thumbs/{id}",
      check: (t) => {
        expect([t[F.target], t[F.elb], t[F.tstatus], t[F.reason]]).toEqual([
          "-",
          "502",
          "-",
          "LambdaUnhandled",
        ]);
        expect(Number(t[F.tp])).toBeGreaterThanOrEqual(0);
      },
    },
  ];

  function lbPattern(t: string[], status: string, rp: string, tp: string, minDur: number, maxDur: number) {
    expect([t[F.rp], t[F.tp], t[F.resp], t[F.elb], t[F.tstatus], t[F.statusList], t[F.reason]]).toEqual([
      rp,
      tp,
      "-1",
      status,
      "-",
      "-",
      "-",
    ]);
    expect(apiIps).toContain(t[F.target]);
    expect(t[F.targetList]).toBe(t[F.target]);
    expect(duration(t)).toBeGreaterThanOrEqual(minDur);
    expect(duration(t)).toBeLessThanOrEqual(maxDur);
  }

  it.each(cases)(
    "$kind.Kind ($kind.Reason) produces its documented field pattern",
    ({ kind, path, check }) => {
      const rows = gen(
        { RequestsPerMinute: 20, Paths: [{ Path: path }], Errors: [kind] },
        { idle: "45", listeners: https },
      );
      expect(rows.length).toBe(100);
      for (const t of rows) check(t);
    },
  );

  it("applies an error only to its Path and Targets, at about its Rate", () => {
    const rows = gen(
      {
        RequestsPerMinute: 600,
        Paths: [{ Path: "/v1/orders/{id}", Weight: 3 }, { Path: "/v1/reports/{uuid}" }],
        Errors: [
          { Kind: "keepalive-502", Rate: 0.2, Targets: ["i-0a2"] },
          { Kind: "target-5xx", Path: "/v1/reports", Rate: 0.5 },
        ],
      },
      { listeners: https },
    );
    const ka = rows.filter((t) => t[F.elb] === "502");
    expect(ka.every((t) => t[F.target] === apiIps[1])).toBe(true);
    const toSecond = rows.filter((t) => t[F.target] === apiIps[1]).length;
    expect(ka.length / toSecond).toBeGreaterThan(0.14);
    expect(ka.length / toSecond).toBeLessThan(0.26);
    const t500 = rows.filter((t) => t[F.elb] === "500");
    expect(t500.every((t) => t[F.request].includes("/v1/reports/"))).toBe(true);
    const reports = rows.filter((t) => t[F.request].includes("/v1/reports/")).length;
    expect(t500.length / reports).toBeGreaterThan(0.4);
    expect(t500.length / reports).toBeLessThan(0.6);
  });

  it("turns slow-path draws beyond the idle timeout into idle-timeout 504s", () => {
    const rows = gen(
      { RequestsPerMinute: 100, SlowPaths: [{ Path: "/v1/reports*", MedianSeconds: 30, P99Seconds: 200 }] },
      { idle: "60", listeners: https },
    );
    const slow = rows.filter((t) => /\/v1\/reports/.test(t[F.request]) && t[F.tgArn] === f.API_TG);
    const timeouts = slow.filter((t) => t[F.elb] === "504");
    expect(timeouts.length).toBeGreaterThan(0);
    expect(slow.length - timeouts.length).toBeGreaterThan(0);
    for (const t of timeouts) expect(Math.round(duration(t))).toBe(60);
    for (const t of slow.filter((t) => t[F.elb] !== "504")) expect(Number(t[F.tp])).toBeLessThan(60);
  });

  it("answers 464 on its own when a request's protocol does not fit the group's ProtocolVersion", () => {
    const withVersion = (v: string) =>
      f.targetGroups.map((g) => (g.TargetGroupArn === f.API_TG ? { ...g, ProtocolVersion: v } : g));
    const run = (v: string, agents: string[]) =>
      generateAccessLogLines(
        { RequestsPerMinute: 60, Paths: [{ Path: "/shop.Catalog/GetItem" }], UserAgents: agents },
        {
          lb: f.makeLb(),
          targetGroups: withVersion(v),
          listeners: https,
          instances: f.instances,
          start,
          end,
        },
      ).map(tokens);
    const browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0";
    // gRPC clients to a GRPC group: POST over HTTP/2, served
    const grpc = run("GRPC", ["grpc-go/1.62.1"]);
    expect(
      grpc.every((t) => t[F.type] === "h2" && t[F.request].startsWith("POST ") && t[F.elb] !== "464"),
    ).toBe(true);
    // a browser to the same group: 464, no target, the group still named
    const refused = run("GRPC", [browser]);
    for (const t of refused) {
      expect([t[F.target], t[F.rp], t[F.tp], t[F.elb], t[F.tstatus], t[F.tgArn]]).toEqual([
        "-",
        "-1",
        "-1",
        "464",
        "-",
        f.API_TG,
      ]);
    }
    // gRPC to an HTTP1 group, HTTP/1.1 (but not HTTP/2) to an HTTP2 group
    expect(run("HTTP1", ["grpc-java-netty/1.60.0"]).every((t) => t[F.elb] === "464")).toBe(true);
    const h2group = run("HTTP2", [browser]);
    expect(h2group.filter((t) => t[F.type] === "https").every((t) => t[F.elb] === "464")).toBe(true);
    expect(h2group.filter((t) => t[F.type] === "h2").every((t) => t[F.elb] !== "464")).toBe(true);
    expect(run("HTTP1", [browser]).some((t) => t[F.elb] === "464")).toBe(false);
  });

  it("writes quick client aborts (460 within milliseconds) with the error's own user agents", () => {
    const rows = gen(
      {
        RequestsPerMinute: 200,
        Errors: [{ Kind: "client-abort-460", Rate: 0.3, UserAgents: ["Amazon CloudFront"] }],
      },
      { listeners: https },
    );
    const aborts = rows.filter((t) => t[F.elb] === "460");
    expect(aborts.length).toBeGreaterThan(150);
    for (const t of aborts) {
      expect([t[F.tp], t[F.resp], t[F.tstatus]]).toEqual(["-1", "-1", "-"]);
      expect(duration(t)).toBeLessThanOrEqual(0.36);
      expect(t[13]).toBe("Amazon CloudFront");
    }
    expect(rows.filter((t) => t[F.elb] !== "460").some((t) => t[13] === "Amazon CloudFront")).toBe(false);
  });

  it("routes only to the spec's Targets when given", () => {
    const rows = gen(
      { RequestsPerMinute: 60, Targets: ["i-0a3"], Paths: [{ Path: "/v1/orders/{id}" }] },
      { listeners: https },
    );
    expect(new Set(rows.map((t) => t[F.target]))).toEqual(new Set([apiIps[2]]));
  });
});

describe("GenerateSpecSchema", () => {
  it.each([
    [{ Bogus: 1 }, /Bogus|unrecognized/i],
    [{ Errors: [{ Kind: "nope" }] }, /Kind/],
    [{ Errors: [{ Kind: "keepalive-502", Status: 500 }] }, /Status/],
    [{ Errors: [{ Kind: "target-5xx", Reason: "LambdaUnhandled" }] }, /Reason/],
    [
      {
        Errors: [
          { Kind: "target-5xx", Rate: 0.7 },
          { Kind: "keepalive-502", Rate: 0.7 },
        ],
      },
      /add up/,
    ],
    [{ SlowPaths: [{ Path: "/x", MedianSeconds: 5, P99Seconds: 1 }] }, /P99Seconds/],
    [{ Paths: [{ Path: "no-slash" }] }, /Path|\//],
  ])("rejects %j", (spec, message) => {
    const r = GenerateSpecSchema.safeParse(spec);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  it("fills defaults", () => {
    const s = GenerateSpecSchema.parse({});
    expect(s).toMatchObject({
      RequestsPerMinute: 120,
      Errors: [],
      SlowPaths: [],
      Clients: 40,
      Latency: { MedianSeconds: 0.035 },
    });
    expect(GenerateSpecSchema.parse({ Errors: [{ Kind: "no-target-503" }] }).Errors[0].Rate).toBe(0.01);
  });
});
