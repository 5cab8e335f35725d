/**
 * Differential test: the same setup in the simulator and in moto_server (when installed), compared by
 * answer shape (the keys the SDK hands back), by values that do not depend on generated ids, and by the
 * error codes the SDK raises. Skipped when moto_server is not on PATH; CI passes without it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { GetMetricStatisticsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
const motoPath = onPath("moto_server");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`moto_server did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return "(no error)";
}

const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();
/** Every key moto's answer has, the simulator's has too (moto answers are the reference shape). */
function expectShapeCovers(sim: object | undefined, moto: object | undefined, what: string) {
  const missing = keys(moto).filter((k) => !keys(sim).includes(k));
  expect(missing, `${what}: keys moto has and the simulator lacks`).toEqual([]);
}

const LOG_KEYS = [
  "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/15/a.log.gz",
  "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/15/b.log.gz",
  "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/16/c.log.gz",
  "prod/other.txt",
];

describe.skipIf(!motoPath)("simulator vs moto_server", () => {
  let moto: ChildProcess;
  let motoClients: AwsClients;
  let sim: TestSim;
  const ids = { sim: { alb: "sg-alb", app: "sg-app" }, moto: { alb: "", app: "" } };

  beforeAll(async () => {
    const port = await freePort();
    moto = spawn(motoPath!, ["-p", String(port)], { stdio: "ignore" });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitFor(`${endpoint}/moto-api/`, 20_000);
    motoClients = createAwsClients({
      region: "us-east-1",
      endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });

    sim = await startTestSim(
      {
        name: "moto-diff",
        now: "2026-03-15T14:30:00Z",
        vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
        subnets: [
          { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
        ],
        securityGroups: [
          { GroupId: "sg-alb", GroupName: "alb", Description: "alb", VpcId: "vpc-1" },
          { GroupId: "sg-app", GroupName: "app", Description: "app", VpcId: "vpc-1" },
        ],
        buckets: [{ Name: "alb-logs" }],
      },
      { maxAttempts: 1 },
    );
    for (const key of LOG_KEYS) {
      sim.world.buckets.get("alb-logs")!.Objects.set(key, {
        Body: Buffer.from(`body of ${key}`),
        LastModified: new Date(),
        ETag: '"e"',
      });
    }

    // the same account in moto
    const ec2 = motoClients.ec2;
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const VpcId = vpc.Vpc!.VpcId!;
    await ec2.send(
      new CreateSubnetCommand({ VpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" }),
    );
    ids.moto.alb = (
      await ec2.send(new CreateSecurityGroupCommand({ GroupName: "alb", Description: "alb", VpcId }))
    ).GroupId!;
    ids.moto.app = (
      await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId }))
    ).GroupId!;
    await motoClients.s3.send(new CreateBucketCommand({ Bucket: "alb-logs" }));
    for (const key of LOG_KEYS) {
      await motoClients.s3.send(
        new PutObjectCommand({ Bucket: "alb-logs", Key: key, Body: `body of ${key}` }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    motoClients?.destroy();
    await sim?.close();
    if (moto?.pid) moto.kill("SIGTERM");
  });

  const both = (): [string, EC2Client, { alb: string; app: string }][] => [
    ["sim", sim.clients.ec2, ids.sim],
    ["moto", motoClients.ec2, ids.moto],
  ];

  it("EC2: authorize, describe, duplicate, revoke: same shapes and error codes", async () => {
    const answers: Record<
      string,
      { group: object; perm: object; pair: object; rule: object; errors: string[] }
    > = {};
    for (const [who, ec2, g] of both()) {
      const perm = {
        IpProtocol: "tcp",
        FromPort: 8080,
        ToPort: 8080,
        UserIdGroupPairs: [{ GroupId: g.alb }],
      };
      const auth = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: g.app, IpPermissions: [perm] }),
      );
      expect(auth.Return, who).toBe(true);
      const desc = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [g.app] }));
      const group = desc.SecurityGroups![0];
      const p = group.IpPermissions!.find((x) => x.FromPort === 8080)!;
      expect([p.IpProtocol, p.FromPort, p.ToPort, p.UserIdGroupPairs![0].GroupId], who).toEqual([
        "tcp",
        8080,
        8080,
        g.alb,
      ]);
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [g.app] }] }),
      );
      const rule = rules.SecurityGroupRules!.find((r) => !r.IsEgress)!;
      expect(rule.SecurityGroupRuleId, who).toMatch(/^sgr-/);
      const errors = [
        await errorName(
          ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.app, IpPermissions: [perm] })),
        ),
        await errorName(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0123456789abcdef0"] }))),
        await errorName(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] }))),
      ];
      await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.app, IpPermissions: [perm] }));
      errors.push(
        await errorName(
          ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.app, IpPermissions: [perm] })),
        ),
      );
      const after = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [g.app] }));
      expect(
        after.SecurityGroups![0].IpPermissions!.some((x) => x.FromPort === 8080),
        who,
      ).toBe(false);
      answers[who] = { group, perm: p, pair: p.UserIdGroupPairs![0], rule, errors };
    }
    expect(answers.sim.errors).toEqual(answers.moto.errors);
    expect(answers.sim.errors).toEqual([
      "InvalidPermission.Duplicate",
      "InvalidGroup.NotFound",
      "InvalidInstanceID.NotFound",
      "InvalidPermission.NotFound",
    ]);
    expectShapeCovers(answers.sim.group, answers.moto.group, "SecurityGroup");
    expectShapeCovers(answers.sim.perm, answers.moto.perm, "IpPermission");
    expectShapeCovers(answers.sim.pair, answers.moto.pair, "UserIdGroupPair");
    expectShapeCovers(answers.sim.rule, answers.moto.rule, "SecurityGroupRule");
  });

  it("S3: listing with delimiter and paging, ranges, and error codes agree", async () => {
    const run = async (s3: S3Client) => {
      const rolled = await s3.send(
        new ListObjectsV2Command({
          Bucket: "alb-logs",
          Prefix: "prod/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/03/",
          Delimiter: "/",
        }),
      );
      const paged: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: "alb-logs", MaxKeys: 1, ContinuationToken: token }),
        );
        paged.push(...(page.Contents ?? []).map((c) => c.Key!));
        token = page.NextContinuationToken;
      } while (token);
      const range = await s3.send(
        new GetObjectCommand({ Bucket: "alb-logs", Key: LOG_KEYS[0], Range: "bytes=3-9" }),
      );
      const full = await s3.send(new ListObjectsV2Command({ Bucket: "alb-logs" }));
      return {
        prefixes: rolled.CommonPrefixes?.map((p) => p.Prefix),
        keyCount: rolled.KeyCount,
        paged,
        content: full.Contents![0],
        range: [range.ContentRange, range.ContentLength, await range.Body!.transformToString()],
        errors: [
          await errorName(s3.send(new GetObjectCommand({ Bucket: "alb-logs", Key: "nope" }))),
          await errorName(s3.send(new HeadObjectCommand({ Bucket: "alb-logs", Key: "nope" }))),
          await errorName(s3.send(new ListObjectsV2Command({ Bucket: "no-such-bucket-xyz" }))),
          await errorName(s3.send(new GetBucketPolicyCommand({ Bucket: "alb-logs" }))),
          await errorName(
            s3.send(new GetObjectCommand({ Bucket: "alb-logs", Key: LOG_KEYS[0], Range: "bytes=999-" })),
          ),
        ],
      };
    };
    const [s, m] = [await run(sim.clients.s3), await run(motoClients.s3)];
    expect(s.prefixes).toEqual(m.prefixes);
    expect(s.keyCount).toBe(m.keyCount);
    expect(s.paged).toEqual(m.paged);
    expect(s.range).toEqual(m.range);
    expect(s.errors).toEqual(m.errors);
    expectShapeCovers(s.content, m.content, "S3 Contents entry");
  });

  it("CloudWatch: GetMetricStatistics answers the same sums and rejects p99 in Statistics alike", async () => {
    const t0 = new Date("2026-03-15T14:20:00Z");
    const values = [3, 12, 7];
    await motoClients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: "AWS/ApplicationELB",
        MetricData: values.map((v, i) => ({
          MetricName: "HTTPCode_ELB_502_Count",
          Dimensions: [{ Name: "LoadBalancer", Value: "app/my-alb/50dc6c495c0c9188" }],
          Timestamp: new Date(t0.getTime() + i * 60_000),
          Value: v,
          Unit: "Count",
        })),
      }),
    );
    sim.world.metrics.push({
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_ELB_502_Count",
      Dimensions: [{ Name: "LoadBalancer", Value: "app/my-alb/50dc6c495c0c9188" }],
      Period: 60,
      End: new Date(t0.getTime() + values.length * 60_000),
      Stats: { Sum: values, Average: values, Minimum: values, Maximum: values, SampleCount: [1, 1, 1] },
    });
    const input = {
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_ELB_502_Count",
      Dimensions: [{ Name: "LoadBalancer", Value: "app/my-alb/50dc6c495c0c9188" }],
      StartTime: new Date("2026-03-15T14:00:00Z"),
      EndTime: new Date("2026-03-15T15:00:00Z"),
      Period: 300,
    };
    const s = await sim.clients.cloudwatch.send(
      new GetMetricStatisticsCommand({ ...input, Statistics: ["Sum", "Maximum"] }),
    );
    const m = await motoClients.cloudwatch.send(
      new GetMetricStatisticsCommand({ ...input, Statistics: ["Sum", "Maximum"] }),
    );
    const view = (d: typeof s.Datapoints) =>
      (d ?? []).map((x) => [x.Timestamp?.toISOString(), x.Sum, x.Maximum]).sort();
    expect(view(s.Datapoints)).toEqual(view(m.Datapoints));
    expectShapeCovers(s.Datapoints![0], m.Datapoints![0], "Datapoint");
    const bad = { ...input, Statistics: ["p99" as never] };
    const simErr = await errorName(sim.clients.cloudwatch.send(new GetMetricStatisticsCommand(bad)));
    const motoErr = await errorName(motoClients.cloudwatch.send(new GetMetricStatisticsCommand(bad)));
    expect(simErr).toBe("InvalidParameterValueException");
    // moto does not validate statistic names; record what it does so a moto upgrade that starts to is noticed
    expect([simErr, "(no error)"]).toContain(motoErr);
  });
});
