/**
 * Several accounts in one simulator, through the real SDK clients: STS AssumeRole checks the role name, the
 * account and the ExternalId, records SourceIdentity, and the credentials it returns reach that account's
 * World (its resources, faults and call log); the scope's region picks a declared region of an account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { loadScenarioObject } from "../../src/sim/scenario.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const lb = (name: string) => ({
  LoadBalancerName: name,
  VpcId: "vpc-1",
  Subnets: ["subnet-a"],
  Listeners: [
    {
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
    },
  ],
});
const network = {
  vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
  subnets: [
    { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
  ],
};

const SCENARIO = {
  now: "2026-03-15T14:30:00Z",
  ...network,
  loadBalancers: [lb("prod-web")],
  accounts: [
    {
      accountId: "210987654321",
      alias: "staging",
      roleName: "alb-doctor-read",
      ...network,
      loadBalancers: [lb("staging-web")],
    },
    {
      accountId: "333333333333",
      alias: "partner",
      roleName: "alb-doctor-read",
      externalId: "s3cret-ext",
      ...network,
      loadBalancers: [lb("partner-web")],
      faults: [{ Service: "elbv2", Action: "DescribeLoadBalancers", Error: "Throttling", Times: 1 }],
    },
    {
      accountId: "210987654321",
      region: "eu-west-1",
      vpcs: network.vpcs,
      subnets: [
        { SubnetId: "subnet-e", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "eu-west-1a" },
      ],
      loadBalancers: [{ ...lb("staging-eu"), Subnets: ["subnet-e"] }],
    },
  ],
};

describe("AssumeRole into the scenario's other accounts", () => {
  let sim: TestSim;
  let sts: STSClient;
  beforeAll(async () => {
    sim = await startTestSim(SCENARIO);
    sts = new STSClient({
      region: "us-east-1",
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sts.destroy();
    await sim.close();
  });

  async function assume(account: string, extra: Record<string, string> = {}) {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/alb-doctor-read`,
        RoleSessionName: "alb-doctor-U024BE7LH",
        SourceIdentity: "U024BE7LH",
        ...extra,
      }),
    );
    return out;
  }

  function elbv2With(
    creds: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string },
    region = "us-east-1",
  ) {
    return new ElasticLoadBalancingV2Client({
      region,
      endpoint: sim.endpoint,
      maxAttempts: 2,
      credentials: {
        accessKeyId: creds.AccessKeyId!,
        secretAccessKey: creds.SecretAccessKey!,
        sessionToken: creds.SessionToken,
      },
    });
  }

  it("returns credentials, the assumed-role ARN and the SourceIdentity; they reach that account only", async () => {
    const out = await assume("210987654321");
    expect(out.AssumedRoleUser?.Arn).toBe(
      "arn:aws:sts::210987654321:assumed-role/alb-doctor-read/alb-doctor-U024BE7LH",
    );
    expect(out.SourceIdentity).toBe("U024BE7LH");
    expect(out.Credentials?.Expiration!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    const staging = elbv2With(out.Credentials!);
    const own = elbv2With({
      AccessKeyId: SIMULATOR_CREDENTIALS.accessKeyId,
      SecretAccessKey: SIMULATOR_CREDENTIALS.secretAccessKey,
    });
    try {
      const there = await staging.send(new DescribeLoadBalancersCommand({}));
      expect(there.LoadBalancers!.map((l) => l.LoadBalancerName)).toEqual(["staging-web"]);
      expect(there.LoadBalancers![0].LoadBalancerArn).toContain(":210987654321:");
      const here = await own.send(new DescribeLoadBalancersCommand({}));
      expect(here.LoadBalancers!.map((l) => l.LoadBalancerName)).toEqual(["prod-web"]);
      const stagingWorld = sim.world.accounts.find((a) => a.alias === "staging")!.world;
      expect(stagingWorld.callLog.map((c) => c.action)).toContain("DescribeLoadBalancers");
      expect(sim.world.sessions.get(out.Credentials!.AccessKeyId!)?.sourceIdentity).toBe("U024BE7LH");
      const who = await new STSClient({
        region: "us-east-1",
        endpoint: sim.endpoint,
        credentials: {
          accessKeyId: out.Credentials!.AccessKeyId!,
          secretAccessKey: out.Credentials!.SecretAccessKey!,
          sessionToken: out.Credentials!.SessionToken,
        },
      }).send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe("210987654321");
      expect(who.Arn).toBe(out.AssumedRoleUser!.Arn);
    } finally {
      staging.destroy();
      own.destroy();
    }
  });

  it("the scope's region picks the account's declared region", async () => {
    const out = await assume("210987654321");
    const eu = elbv2With(out.Credentials!, "eu-west-1");
    try {
      const there = await eu.send(new DescribeLoadBalancersCommand({}));
      expect(there.LoadBalancers!.map((l) => l.LoadBalancerName)).toEqual(["staging-eu"]);
      expect(there.LoadBalancers![0].LoadBalancerArn).toContain(":eu-west-1:210987654321:");
    } finally {
      eu.destroy();
    }
  });

  it("answers AccessDenied for a wrong role name, an unknown account, or a missing ExternalId", async () => {
    const cases = [
      { RoleArn: "arn:aws:iam::210987654321:role/admin", RoleSessionName: "alb-doctor-x" },
      { RoleArn: "arn:aws:iam::444444444444:role/alb-doctor-read", RoleSessionName: "alb-doctor-x" },
      { RoleArn: "arn:aws:iam::333333333333:role/alb-doctor-read", RoleSessionName: "alb-doctor-x" },
      {
        RoleArn: "arn:aws:iam::333333333333:role/alb-doctor-read",
        RoleSessionName: "alb-doctor-x",
        ExternalId: "wrong",
      },
    ];
    for (const input of cases) {
      const err = await sts.send(new AssumeRoleCommand(input)).catch((e: Error) => e);
      expect((err as Error).name, JSON.stringify(input)).toBe("AccessDenied");
      expect((err as Error).message).toContain(`sts:AssumeRole on resource: ${input.RoleArn}`);
    }
    const ok = await assume("333333333333", { ExternalId: "s3cret-ext" });
    const partner = elbv2With(ok.Credentials!);
    try {
      // The partner account's own fault (one Throttling) applies to calls that reach it; the retry gets through.
      const out = await partner.send(new DescribeLoadBalancersCommand({}));
      expect(out.LoadBalancers!.map((l) => l.LoadBalancerName)).toEqual(["partner-web"]);
      const log = sim.world.accounts.find((a) => a.alias === "partner")!.world.callLog;
      expect(log.map((c) => c.errorCode ?? "ok")).toEqual(["Throttling", "ok"]);
    } finally {
      partner.destroy();
    }
  });

  it("validates the session name, the duration and the source identity as STS does", async () => {
    const bad = [
      { RoleSessionName: "x" },
      { RoleSessionName: "alb-doctor-x", DurationSeconds: 60 },
      { RoleSessionName: "alb-doctor-x", SourceIdentity: "has space" },
    ];
    for (const b of bad) {
      const err = await sts
        .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::210987654321:role/alb-doctor-read", ...b }))
        .catch((e: Error) => e);
      expect((err as Error).name, JSON.stringify(b)).toBe("ValidationError");
    }
  });
});

describe("a fault can deny AssumeRole itself", () => {
  it("answers the injected AccessDenied", async () => {
    const sim = await startTestSim({
      ...SCENARIO,
      faults: [{ Service: "sts", Action: "AssumeRole", Error: "AccessDenied" }],
    });
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const err = await sts
        .send(
          new AssumeRoleCommand({
            RoleArn: "arn:aws:iam::210987654321:role/alb-doctor-read",
            RoleSessionName: "s-1",
          }),
        )
        .catch((e: Error) => e);
      expect((err as Error).name).toBe("AccessDenied");
    } finally {
      sts.destroy();
      await sim.close();
    }
  });
});

describe("scenario validation of accounts", () => {
  it("names problems inside an account by their place", () => {
    const bad = {
      ...SCENARIO,
      accounts: [{ ...SCENARIO.accounts[0], loadBalancers: [{ ...lb("x"), Subnets: ["subnet-404"] }] }],
    };
    expect(() => loadScenarioObject(bad, "<bad>")).toThrow(
      /<bad>: accounts\[0\]\.loadBalancers\[0\]\.Subnets\[0\]: unknown subnet subnet-404/,
    );
    expect(() => loadScenarioObject({ accounts: [{ accountId: "12" }] }, "<bad>")).toThrow(
      /accounts\[0\]\.accountId: expected 12 digits/,
    );
  });
});
