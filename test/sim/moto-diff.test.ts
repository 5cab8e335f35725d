/**
 * Differential check against moto (a widely used AWS mock), where `moto_server` is installed: the same
 * account built in both, then the shapes of the ELBv2 answers (which fields, at which paths) and the
 * error types compared. moto is not AWS either, so the known gaps on either side are listed below;
 * everything else must match. Skipped when moto_server is not on PATH.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const hasMoto = (process.env.PATH ?? "").split(delimiter).some((dir) => {
  try {
    accessSync(join(dir, "moto_server"), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Field paths of a value: `a.b`, `list[].c`. Values are ignored: this compares shapes. */
function paths(v: unknown, prefix = ""): string[] {
  if (Array.isArray(v)) return v.length ? paths(v[0], `${prefix}[]`) : [`${prefix}[]`];
  if (v && typeof v === "object" && !(v instanceof Date)) {
    return Object.entries(v)
      .filter(([k, x]) => k !== "$metadata" && x !== undefined)
      .flatMap(([k, x]) => [
        `${prefix}${prefix ? "." : ""}${k}`,
        ...paths(x, `${prefix}${prefix ? "." : ""}${k}`),
      ]);
  }
  return [];
}

/** Fields moto answers that AWS (and so the simulator) does not, or answers only for other listener types. */
const MOTO_ONLY = new Set(["AlpnPolicy", "AlpnPolicy[]", "SslPolicy"]);

async function errorName(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "no error",
    (e: Error) => e.name,
  );
}

describe.skipIf(!hasMoto)("differential: simulator vs moto_server", () => {
  let moto: ChildProcess;
  let m: AwsClients;
  let sim: TestSim;
  const motoArns: Record<string, string> = {};

  beforeAll(async () => {
    const port = await freePort();
    moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    const endpoint = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    m = createAwsClients({
      endpoint,
      credentials: SIMULATOR_CREDENTIALS,
      region: "us-east-1",
      maxAttempts: 1,
    });
    const vpc = (await m.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const subnet = async (cidr: string, az: string) =>
      (await m.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: az })))
        .Subnet!.SubnetId!;
    const subnets = [await subnet("10.0.1.0/24", "us-east-1a"), await subnet("10.0.2.0/24", "us-east-1b")];
    const sg = (
      await m.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "alb", Description: "alb" }))
    ).GroupId!;
    const lb = (
      await m.elbv2.send(
        new CreateLoadBalancerCommand({ Name: "my-alb", Subnets: subnets, SecurityGroups: [sg] }),
      )
    ).LoadBalancers![0];
    const tg = (
      await m.elbv2.send(
        new CreateTargetGroupCommand({
          Name: "api",
          Protocol: "HTTP",
          Port: 8080,
          VpcId: vpc,
          TargetType: "ip",
          HealthCheckPath: "/health",
        }),
      )
    ).TargetGroups![0];
    await m.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }],
      }),
    );
    await m.elbv2.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tg.TargetGroupArn,
        Targets: [{ Id: "10.0.1.10", Port: 8080 }],
      }),
    );
    motoArns.lb = lb.LoadBalancerArn!;
    motoArns.tg = tg.TargetGroupArn!;

    sim = await startTestSim({
      name: "moto-diff",
      vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
      subnets: [
        { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
        { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
      ],
      securityGroups: [{ GroupId: "sg-alb", GroupName: "alb", VpcId: "vpc-1" }],
      loadBalancers: [
        {
          LoadBalancerName: "my-alb",
          VpcId: "vpc-1",
          Subnets: ["subnet-a", "subnet-b"],
          SecurityGroups: ["sg-alb"],
          Listeners: [
            { Port: 80, Protocol: "HTTP", DefaultActions: [{ Type: "forward", TargetGroupName: "api" }] },
          ],
        },
      ],
      targetGroups: [
        {
          TargetGroupName: "api",
          Protocol: "HTTP",
          Port: 8080,
          TargetType: "ip",
          VpcId: "vpc-1",
          HealthCheck: { Path: "/health" },
          Targets: [{ Id: "10.0.1.10", Port: 8080, State: "healthy" }],
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    m?.destroy();
    await sim?.close();
    if (moto && moto.exitCode === null) {
      const exited = new Promise((r) => moto.once("exit", r));
      moto.kill("SIGTERM");
      const timer = setTimeout(() => moto.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  });

  /** Every field moto answers is in the simulator's answer too (minus moto's own extras). */
  function expectCovers(simValue: unknown, motoValue: unknown) {
    const simPaths = new Set(paths(simValue));
    const missing = paths(motoValue).filter((p) => !simPaths.has(p) && !MOTO_ONLY.has(p.split(".").pop()!));
    expect(missing).toEqual([]);
  }

  it("DescribeLoadBalancers, DescribeTargetGroups, DescribeListeners, DescribeRules, DescribeTargetHealth", async () => {
    const s = sim.clients.elbv2;
    const simLb = sim.world.loadBalancers[0].LoadBalancerArn;
    const simTg = sim.world.targetGroups[0].TargetGroupArn;
    expectCovers(
      await s.send(new DescribeLoadBalancersCommand({})),
      await m.elbv2.send(new DescribeLoadBalancersCommand({})),
    );
    expectCovers(
      await s.send(new DescribeTargetGroupsCommand({})),
      await m.elbv2.send(new DescribeTargetGroupsCommand({})),
    );
    const simListeners = await s.send(new DescribeListenersCommand({ LoadBalancerArn: simLb }));
    const motoListeners = await m.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: motoArns.lb }));
    expectCovers(simListeners, motoListeners);
    expectCovers(
      await s.send(new DescribeRulesCommand({ ListenerArn: simListeners.Listeners![0].ListenerArn })),
      await m.elbv2.send(new DescribeRulesCommand({ ListenerArn: motoListeners.Listeners![0].ListenerArn })),
    );
    expectCovers(
      await s.send(new DescribeTargetHealthCommand({ TargetGroupArn: simTg })),
      await m.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: motoArns.tg })),
    );
  });

  it("the same values where both model them", async () => {
    const [simTg] = (await sim.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
    const [motoTg] = (await m.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
    const pick = (t: typeof simTg) => [
      t.HealthCheckIntervalSeconds,
      t.HealthCheckTimeoutSeconds,
      t.HealthyThresholdCount,
      t.UnhealthyThresholdCount,
      t.HealthCheckPort,
      t.HealthCheckProtocol,
      t.Matcher,
      t.ProtocolVersion,
    ];
    expect(pick(simTg)).toEqual(pick(motoTg));
  });

  it("attribute keys: the simulator knows every key moto lists (moto's TG waf key aside)", async () => {
    const keys = (a: { Key?: string }[] | undefined) => (a ?? []).map((x) => x.Key!);
    const simLbKeys = keys(
      (
        await sim.clients.elbv2.send(
          new DescribeLoadBalancerAttributesCommand({
            LoadBalancerArn: sim.world.loadBalancers[0].LoadBalancerArn,
          }),
        )
      ).Attributes,
    );
    const motoLbKeys = keys(
      (await m.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: motoArns.lb })))
        .Attributes,
    );
    expect(motoLbKeys.filter((k) => !simLbKeys.includes(k))).toEqual([]);
    const simTgKeys = keys(
      (
        await sim.clients.elbv2.send(
          new DescribeTargetGroupAttributesCommand({
            TargetGroupArn: sim.world.targetGroups[0].TargetGroupArn,
          }),
        )
      ).Attributes,
    );
    const motoTgKeys = keys(
      (await m.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: motoArns.tg })))
        .Attributes,
    );
    // moto lists waf.fail_open.enabled on target groups; AWS has it on load balancers only.
    expect(motoTgKeys.filter((k) => !simTgKeys.includes(k) && k !== "waf.fail_open.enabled")).toEqual([]);
  });

  it("the same exception types for missing resources", async () => {
    const missingTg = (arn: string) => arn.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    const missingListener = (lbArn: string) =>
      `${lbArn.replace(":loadbalancer/", ":listener/")}/0123456789abcdef`;
    type Call = (c: AwsClients, lb: string, tg: string) => Promise<unknown>;
    const cases: [string, Call][] = [
      ["unknown LB name", (c) => c.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["nope"] }))],
      [
        "unknown TG ARN",
        (c, _lb, tg) => c.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missingTg(tg)] })),
      ],
      [
        "unknown listener",
        (c, lb) => c.elbv2.send(new DescribeListenersCommand({ ListenerArns: [missingListener(lb)] })),
      ],
      [
        "health of unknown TG",
        (c, _lb, tg) => c.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: missingTg(tg) })),
      ],
    ];
    for (const [label, call] of cases) {
      const simName = await errorName(
        call(
          sim.clients,
          sim.world.loadBalancers[0].LoadBalancerArn,
          sim.world.targetGroups[0].TargetGroupArn,
        ),
      );
      const motoName = await errorName(call(m, motoArns.lb, motoArns.tg));
      expect({ label, name: simName }).toEqual({ label, name: motoName });
      expect(simName).toMatch(/NotFoundException$/);
    }
  });
});
