import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { parseAccessLogKey } from "../../src/sim/access-log-keys.ts";
import { byteOrder } from "../../src/sim/services/s3/list.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { hasAwsCli, runAws } from "./aws-cli.ts";
import { errorOf } from "./sdk-error.ts";

const LINE =
  'https 2026-03-15T14:21:07.123456Z app/my-alb/50dc6c495c0c9188 203.0.113.9:51234 10.0.2.100:8080 0.000 0.004 0.000 200 200 120 512 "GET https://api.example.com:443/v1/orders HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-65f45a23-0123456789abcdef01234567" "api.example.com" "-" 0 2026-03-15T14:21:07.119000Z "forward" "-" "-" "10.0.2.100:8080" "200" "-" "-" TID_1';

const scenario = {
  name: "s3-wire",
  now: "2026-03-16T00:10:00Z",
  vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
  subnets: [
    { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
  ],
  securityGroups: [{ GroupId: "sg-alb", GroupName: "alb", VpcId: "vpc-1" }],
  instances: [
    {
      InstanceId: "i-0a1",
      SubnetId: "subnet-a",
      PrivateIpAddress: "10.0.1.100",
      SecurityGroups: [{ GroupId: "sg-alb" }],
    },
  ],
  loadBalancers: [
    {
      LoadBalancerName: "my-alb",
      Id: "50dc6c495c0c9188",
      Scheme: "internet-facing",
      VpcId: "vpc-1",
      Subnets: ["subnet-a"],
      SecurityGroups: ["sg-alb"],
      Attributes: {
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "alb-logs",
        "access_logs.s3.prefix": "prod",
      },
      Listeners: [
        { Port: 443, Protocol: "HTTPS", DefaultActions: [{ Type: "forward", TargetGroupName: "api" }] },
      ],
    },
  ],
  targetGroups: [
    {
      TargetGroupName: "api",
      Protocol: "HTTP",
      Port: 8080,
      VpcId: "vpc-1",
      Targets: [{ Id: "i-0a1", State: "healthy" }],
    },
  ],
  accessLogs: {
    files: [
      { End: "2026-03-15T23:50:00Z", Lines: [LINE] },
      { End: "2026-03-15T23:55:00Z", Generate: { RequestsPerMinute: 30 } },
      // delivered after midnight: the next day's folder
      {
        End: "2026-03-16T00:00:00Z",
        Generate: { RequestsPerMinute: 30, Errors: [{ Kind: "keepalive-502", Rate: 0.1 }] },
      },
      { End: "2026-03-16T00:05:00Z", Generate: { RequestsPerMinute: 30 } },
    ],
  },
  buckets: [{ Name: "other-bucket" }],
};

let sim: TestSim;
const s3 = () => sim.clients.s3;
const DAY15 = "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/15/";
const DAY16 = "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/16/";

beforeAll(async () => {
  sim = await startTestSim(scenario);
  // Odd keys for ordering and delimiter tests, next to the logs.
  const bucket = sim.world.buckets.get("alb-logs")!;
  for (const key of [
    "odd/a/é.txt",
    "odd/a/z.txt",
    "odd/a/Z.txt",
    "odd/a/~.txt",
    "odd/b/1.txt",
    "odd/c.txt",
    "odd/a b+c.txt",
  ]) {
    bucket.Objects.set(key, {
      Body: Buffer.from(key),
      LastModified: new Date("2026-03-16T00:00:00Z"),
      ETag: '"0123"',
    });
  }
});
afterAll(async () => {
  await sim?.close();
});

async function logKeys(): Promise<string[]> {
  const out = await s3().send(new ListObjectsV2Command({ Bucket: "alb-logs", Prefix: "prod/" }));
  return (out.Contents ?? []).map((c) => c.Key!);
}

describe("byteOrder", () => {
  it("orders like the UTF-8 bytes, also around surrogates and U+E000..U+FFFF", () => {
    const samples = [
      "",
      "a",
      "ab",
      "Z",
      "z",
      "~",
      "é",
      "\uE000",
      "\uFFFF",
      "😀",
      "a😀",
      "a\uFFFD",
      "中",
      "a/b",
      "a b",
    ];
    for (const x of samples) {
      for (const y of samples) {
        expect([x, y, Math.sign(byteOrder(x, y))]).toEqual([
          x,
          y,
          Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y))),
        ]);
      }
    }
  });
});

describe("S3 ListObjectsV2", () => {
  it("lists the access-log objects under the keys ELB uses, in the delivery-date folders", async () => {
    const keys = await logKeys();
    expect(keys).toHaveLength(4);
    const parsed = keys.map((k) => parseAccessLogKey(k)!);
    expect(parsed.every((p) => p.lbResourceId === "app/my-alb/50dc6c495c0c9188" && p.prefix === "prod")).toBe(
      true,
    );
    expect(keys.filter((k) => k.startsWith(DAY15))).toHaveLength(2);
    expect(keys.filter((k) => k.startsWith(DAY16))).toHaveLength(2);
    expect(keys.some((k) => k.startsWith(DAY16) && k.includes("_20260316T0000Z_"))).toBe(true);
  });

  it("rolls keys up into CommonPrefixes with a delimiter", async () => {
    const out = await s3().send(
      new ListObjectsV2Command({
        Bucket: "alb-logs",
        Prefix: "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/",
        Delimiter: "/",
      }),
    );
    expect(out.Contents ?? []).toEqual([]);
    expect(out.CommonPrefixes!.map((p) => p.Prefix)).toEqual([DAY15, DAY16]);
    expect(out.KeyCount).toBe(2);
    expect(out.Delimiter).toBe("/");
    const odd = await s3().send(
      new ListObjectsV2Command({ Bucket: "alb-logs", Prefix: "odd/", Delimiter: "/" }),
    );
    expect(odd.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["odd/a/", "odd/b/"]);
    expect(odd.Contents!.map((c) => c.Key)).toEqual(["odd/a b+c.txt", "odd/c.txt"]);
  });

  it("sorts keys in UTF-8 binary order", async () => {
    const out = await s3().send(new ListObjectsV2Command({ Bucket: "alb-logs", Prefix: "odd/a/" }));
    expect(out.Contents!.map((c) => c.Key)).toEqual([
      "odd/a/Z.txt",
      "odd/a/z.txt",
      "odd/a/~.txt",
      "odd/a/é.txt",
    ]);
    expect(out.Contents![0]).toMatchObject({ Size: 11, ETag: '"0123"', StorageClass: "STANDARD" });
  });

  it("pages with MaxKeys and continuation tokens, also across delimiter roll-ups", async () => {
    const first = await s3().send(new ListObjectsV2Command({ Bucket: "alb-logs", MaxKeys: 3 }));
    expect(first).toMatchObject({ KeyCount: 3, MaxKeys: 3, IsTruncated: true });
    expect(first.NextContinuationToken).toBeTruthy();
    const all: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 2 }, { Bucket: "alb-logs" })) {
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      all.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    const whole = await s3().send(new ListObjectsV2Command({ Bucket: "alb-logs" }));
    expect(all).toEqual(whole.Contents!.map((c) => c.Key));
    expect(all).toHaveLength(11);
    expect(whole.IsTruncated).toBe(false);

    const rolled: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3().send(
        new ListObjectsV2Command({
          Bucket: "alb-logs",
          Prefix: "odd/",
          Delimiter: "/",
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      rolled.push(
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(page.Contents ?? []).map((c) => c.Key!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(rolled).toEqual(["odd/a b+c.txt", "odd/a/", "odd/b/", "odd/c.txt"]);
  });

  it("starts after a key", async () => {
    const keys = await logKeys();
    const out = await s3().send(
      new ListObjectsV2Command({ Bucket: "alb-logs", Prefix: "prod/", StartAfter: keys[1] }),
    );
    expect(out.Contents!.map((c) => c.Key)).toEqual(keys.slice(2));
    expect(out.StartAfter).toBe(keys[1]);
  });

  it("answers NoSuchBucket for an unknown bucket and AccessDenied when a fault says so", async () => {
    const err = await errorOf(s3().send(new ListObjectsV2Command({ Bucket: "no-such-bucket" })));
    expect(err).toMatchObject({ name: "NoSuchBucket", status: 404 });
    sim.world.faults.push({
      Service: "s3",
      Action: "ListObjectsV2",
      Error: "AccessDenied",
      Times: 1,
      fired: 0,
    });
    const denied = await errorOf(s3().send(new ListObjectsV2Command({ Bucket: "alb-logs" })));
    expect(denied).toMatchObject({ name: "AccessDenied", status: 403 });
    await expect(s3().send(new ListObjectsV2Command({ Bucket: "alb-logs" }))).resolves.toBeTruthy();
  });
});

describe("S3 objects", () => {
  it("returns a log object whose gzip body round-trips to the scenario's lines", async () => {
    const key = (await logKeys()).find((k) => k.includes("_20260315T2350Z_"))!;
    const out = await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: key }));
    const body = Buffer.from(await out.Body!.transformToByteArray());
    expect(out.ContentLength).toBe(body.length);
    expect(out.ETag).toMatch(/^"[0-9a-f]+"$/);
    expect(out.LastModified).toBeInstanceOf(Date);
    expect(out.ContentEncoding).toBeUndefined(); // stored gzipped, served as-is
    expect(gunzipSync(body).toString("utf8")).toBe(`${LINE}\n`);

    const generated = (await logKeys()).find((k) => k.includes("_20260316T0000Z_"))!;
    const gen = await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: generated }));
    const lines = gunzipSync(Buffer.from(await gen.Body!.transformToByteArray()))
      .toString("utf8")
      .trim()
      .split("\n");
    expect(lines).toHaveLength(150);
    expect(lines.some((l) => / -1 -1 -1 502 - /.test(l))).toBe(true);
  });

  it("serves byte ranges with 206 and Content-Range, and refuses unsatisfiable ones", async () => {
    const key = (await logKeys())[0];
    const whole = Buffer.from(
      await (
        await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: key }))
      ).Body!.transformToByteArray(),
    );
    const part = await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: key, Range: "bytes=2-11" }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe(`bytes 2-11/${whole.length}`);
    expect(part.ContentLength).toBe(10);
    expect(Buffer.from(await part.Body!.transformToByteArray())).toEqual(whole.subarray(2, 12));
    const tail = await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: key, Range: "bytes=-4" }));
    expect(Buffer.from(await tail.Body!.transformToByteArray())).toEqual(whole.subarray(whole.length - 4));
    const open = await s3().send(
      new GetObjectCommand({ Bucket: "alb-logs", Key: key, Range: `bytes=${whole.length - 3}-` }),
    );
    expect(open.ContentRange).toBe(`bytes ${whole.length - 3}-${whole.length - 1}/${whole.length}`);
    const err = await errorOf(
      s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: key, Range: `bytes=${whole.length}-` })),
    );
    expect(err).toMatchObject({ name: "InvalidRange", status: 416 });
  });

  it("heads objects, and answers NoSuchKey / NotFound for missing keys", async () => {
    const key = (await logKeys())[0];
    const head = await s3().send(new HeadObjectCommand({ Bucket: "alb-logs", Key: key }));
    expect(head.ContentLength).toBeGreaterThan(20);
    expect(head.ETag).toMatch(/^"/);
    expect(head.AcceptRanges).toBe("bytes");
    const missing = await errorOf(
      s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: "prod/nope.log.gz" })),
    );
    expect(missing).toMatchObject({ name: "NoSuchKey", status: 404 });
    const headMissing = await errorOf(
      s3().send(new HeadObjectCommand({ Bucket: "alb-logs", Key: "prod/nope.log.gz" })),
    );
    expect(headMissing).toMatchObject({ name: "NotFound", status: 404 });
    const odd = await s3().send(new GetObjectCommand({ Bucket: "alb-logs", Key: "odd/a b+c.txt" }));
    expect(await odd.Body!.transformToString()).toBe("odd/a b+c.txt");
  });
});

describe("S3 bucket policy and location", () => {
  it("returns the log bucket's delivery policy and NoSuchBucketPolicy where there is none", async () => {
    const out = await s3().send(new GetBucketPolicyCommand({ Bucket: "alb-logs" }));
    const policy = JSON.parse(out.Policy!);
    expect(JSON.stringify(policy)).toContain("s3:PutObject");
    const err = await errorOf(s3().send(new GetBucketPolicyCommand({ Bucket: "other-bucket" })));
    expect(err).toMatchObject({ name: "NoSuchBucketPolicy", status: 404 });
  });

  it("reports us-east-1 as an empty LocationConstraint", async () => {
    const out = await s3().send(new GetBucketLocationCommand({ Bucket: "alb-logs" }));
    expect(out.LocationConstraint ?? "").toBe("");
  });
});

describe.skipIf(!hasAwsCli)("the AWS CLI against the simulator (playbook step 2)", () => {
  it("s3 ls --recursive and s3 cp --recursive of the log objects, then zcat | awk", async () => {
    const ls = await runAws(sim.endpoint, ["s3", "ls", "s3://alb-logs/prod/", "--recursive"]);
    expect(ls.stderr).toBe("");
    const listed = ls.stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/).pop());
    expect(listed.sort()).toEqual((await logKeys()).sort());

    const dir = await mkdtemp(join(tmpdir(), "alb-doctor-s3-"));
    try {
      const cp = await runAws(sim.endpoint, [
        "s3",
        "cp",
        "s3://alb-logs/prod/",
        dir,
        "--recursive",
        "--only-show-errors",
      ]);
      expect(cp.code).toBe(0);
      const day16 = join(dir, "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/16");
      const files = await readdir(day16);
      expect(files).toHaveLength(2);
      const lines = (
        await Promise.all(files.map(async (f) => gunzipSync(await readFile(join(day16, f))).toString("utf8")))
      )
        .join("")
        .trim()
        .split("\n");
      // the playbook's filter: awk '$9 == 502 || $9 == 504'
      const errors = lines.filter((l) => ["502", "504"].includes(l.split(" ")[8]));
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("s3api get-object with --range", async () => {
    const key = (await logKeys())[0];
    const dir = await mkdtemp(join(tmpdir(), "alb-doctor-s3-"));
    try {
      const r = await runAws(sim.endpoint, [
        "s3api",
        "get-object",
        "--bucket",
        "alb-logs",
        "--key",
        key,
        "--range",
        "bytes=0-1",
        join(dir, "part"),
      ]);
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout).ContentRange).toMatch(/^bytes 0-1\//);
      expect([...(await readFile(join(dir, "part")))]).toEqual([0x1f, 0x8b]); // gzip magic
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
