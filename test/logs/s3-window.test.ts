/**
 * The S3 path end to end: real SDK clients over HTTP against the simulator. Two load balancers share one
 * bucket and prefix; files sit around midnight, one delivered into the next day's folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import { isAlbDoctorError } from "../../src/domain/errors.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";
import { analyzeWindow } from "../../src/logs/analyze.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const ID = "50dc6c495c0c9188";
const LB = `app/my-alb/${ID}`;
const OTHER = "app/other-alb/0123456789abcdef";

function line(
  elb: string,
  time: string,
  status = "200 200",
  times = "0.000 0.010 0.000",
  target = "10.0.2.100:8080",
): string {
  return (
    `https ${time} ${elb} 203.0.113.9:51234 ${target} ${times} ${status} 120 512 ` +
    `"GET https://api.example.com:443/v1/orders/17 HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ` +
    `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-1" "api.example.com" ` +
    `"-" 0 ${time} "forward" "-" "-" "${target}" "${status.split(" ")[1]}" "-" "-" TID_1`
  );
}

/** A file per 5-minute interval around midnight for both LBs: 23:25 .. 00:20. */
function files() {
  const out: { End: string; LoadBalancer: string; Lines: string[] }[] = [];
  const ends = ["23:25", "23:35", "23:55", "00:00", "00:05", "00:20"];
  for (const hm of ends) {
    const day = hm.startsWith("23") ? "2026-03-15" : "2026-03-16";
    const end = Date.parse(`${day}T${hm}:00Z`);
    const t = (sBefore: number) => new Date(end - sBefore * 1000).toISOString().replace("Z", "123Z");
    out.push({
      End: `${day}T${hm}:00Z`,
      LoadBalancer: "my-alb",
      Lines: [line(LB, t(200)), line(LB, t(100), "502 -", "-1 -1 -1"), line(LB, t(10))],
    });
    out.push({
      End: `${day}T${hm}:00Z`,
      LoadBalancer: "other-alb",
      Lines: [line(OTHER, t(50), "504 -", "-1 -1 -1")],
    });
  }
  return out;
}

function scenario(extra: Record<string, unknown> = {}) {
  const lb = (name: string, id: string) => ({
    LoadBalancerName: name,
    Id: id,
    VpcId: "vpc-1",
    Subnets: ["subnet-a", "subnet-b"],
    Attributes: {
      "idle_timeout.timeout_seconds": 60,
      "access_logs.s3.enabled": true,
      "access_logs.s3.bucket": "alb-logs",
      "access_logs.s3.prefix": "prod",
    },
  });
  return {
    name: "logs-around-midnight",
    region: "us-east-1",
    accountId: "123456789012",
    now: "2026-03-16T00:30:00Z",
    vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
    subnets: [
      { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
      { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
    ],
    loadBalancers: [lb("my-alb", ID), lb("other-alb", "0123456789abcdef")],
    accessLogs: { files: files() },
    ...extra,
  };
}

const window = { start: new Date("2026-03-15T23:30:00Z"), end: new Date("2026-03-16T00:10:00Z") };
const request = (sim: TestSim) => ({
  s3: sim.clients.s3,
  bucket: "alb-logs",
  prefix: "prod",
  accountId: "123456789012",
  region: "us-east-1",
  lbResourceId: LB,
  window,
  idleTimeoutSeconds: 60,
  concurrency: 3,
});

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("analyzeWindow over S3 (simulator)", () => {
  it("lists only this LB's files whose interval meets the window, across midnight, and counts in-window lines", async () => {
    sim = await startTestSim(scenario());
    const keys = [...(sim.world.buckets.get("alb-logs")?.Objects.keys() ?? [])];
    // The 00:00 file was delivered after midnight: it sits in the 16th's folder.
    expect(
      keys.some((k) => k.includes("/2026/03/16/") && k.includes(`app.my-alb.${ID}_20260316T0000Z`)),
    ).toBe(true);
    // A non-gzip object under this LB's name, and the delivery test file, in the same folders.
    const bucket = sim.world.buckets.get("alb-logs");
    const badKey = `prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/15/123456789012_elasticloadbalancing_us-east-1_app.my-alb.${ID}_20260315T2340Z_10.0.1.9_zzzz.log.gz`;
    bucket?.Objects.set(badKey, { Body: Buffer.from("not gzip\n"), LastModified: new Date(), ETag: '"x"' });
    bucket?.Objects.set("prod/AWSLogs/123456789012/ELBAccessLogTestFile", {
      Body: Buffer.from(""),
      LastModified: new Date(),
      ETag: '"t"',
    });

    const s = await analyzeWindow(request(sim));
    // Files ending 23:35, 23:40 (bad), 23:55, 00:00, 00:05 (its first line is 00:01:40, inside); not 23:25 nor 00:20.
    expect(s.objects.listed).toBe(5);
    expect(s.objects.failed).toEqual([{ key: badKey, reason: expect.stringMatching(/not gzip/) }]);
    expect(s.lines.total).toBe(12);
    // 23:35 file lines at 23:31:40, 23:33:20, 23:34:50 are inside; the 00:05 file's 00:04:50 and 00:03:20 too.
    expect(s.lines.inWindow).toBe(12);
    expect(s.byClass).toEqual({ "elb-502-target-closed": 4 });
    expect(s.byStatus["504"]).toBeUndefined(); // the other LB's 504s are never read
    expect(Object.keys(s.byMinute)[0]).toBe("2026-03-15T23:31Z");
    expect(s.enabled).toBe(true);
    expect(s.bucket).toBe("alb-logs");
  });

  it("filters lines by their own time at the window edges", async () => {
    sim = await startTestSim(scenario());
    const s = await analyzeWindow({
      ...request(sim),
      window: { start: new Date("2026-03-15T23:33:30Z"), end: new Date("2026-03-16T00:04:00Z") },
    });
    expect(s.objects.listed).toBe(4);
    expect(s.lines.total).toBe(12);
    // out: 23:31:40 and 23:33:20 (before), 00:04:50 (after)
    expect(s.lines.inWindow).toBe(9);
  });

  it("says so when logging is disabled", async () => {
    sim = await startTestSim(scenario());
    const s = await analyzeWindow({ ...request(sim), bucket: undefined });
    expect(s.enabled).toBe(false);
    expect(s.objects.listed).toBe(0);
  });

  it.each([
    ["ListObjectsV2", "s3:ListBucket on alb-logs"],
    ["GetObject", "s3:GetObject on alb-logs/prod/AWSLogs/*"],
  ])("turns AccessDenied on %s into access-denied naming %s", async (action, permission) => {
    sim = await startTestSim(
      scenario({ faults: [{ Service: "s3", Action: action, Error: "AccessDenied" }] }),
    );
    const err = await analyzeWindow(request(sim)).catch((e: unknown) => e);
    expect(isAlbDoctorError(err, "access-denied")).toBe(true);
    expect((err as Error).message).toContain(permission);
  });

  it("stops when aborted", async () => {
    sim = await startTestSim(scenario({ faults: [{ Service: "s3", Action: "GetObject", LatencyMs: 5000 }] }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const err = await analyzeWindow({ ...request(sim), signal: controller.signal }).catch((e: unknown) => e);
    expect(isAlbDoctorError(err, "timeout")).toBe(true);
  });

  it("stops with a timeout when aborted while listing the window", async () => {
    sim = await startTestSim(
      scenario({ faults: [{ Service: "s3", Action: "ListObjectsV2", LatencyMs: 5000 }] }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await analyzeWindow({ ...request(sim), signal: controller.signal }).catch((e: unknown) => e);
    expect(isAlbDoctorError(err, "timeout"), String(err)).toBe(true);
  });
});

describe("alb-doctor logs REF --scenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "alb-logs-s3-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("resolves the LB, reads its attributes and prints the window's summary", async () => {
    const file = join(dir, "scenario.json");
    writeFileSync(file, JSON.stringify(scenario()));
    const io = captureIo();
    const code = await main(
      [
        "node",
        "alb-doctor",
        "logs",
        "my-alb",
        "--scenario",
        file,
        "--window",
        "40m",
        "--end",
        "2026-03-16T00:10:00Z",
        "--json",
      ],
      io,
    );
    expect(io.stderr).toBe("");
    const s = JSON.parse(io.stdout) as LogSummary;
    expect(s.objects.listed).toBe(4);
    expect(s.byClass).toEqual({ "elb-502-target-closed": 4 });
    expect(s.assumptions.idleTimeoutSeconds).toBe(60);
    expect(code).toBe(0);
  });
});
