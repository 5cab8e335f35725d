import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { hasAwsCli, runAws } from "./aws-cli.ts";
import { errorOf } from "./sdk-error.ts";

const LB = "app/my-alb/50dc6c495c0c9188";
const TG = "targetgroup/api/73e2d6bc24d8a067";
const NS = "AWS/ApplicationELB";

const scenario = {
  name: "cloudwatch-wire",
  now: "2026-03-15T14:30:00Z",
  metrics: [
    // 10 one-minute periods, 14:20..14:30
    {
      MetricName: "HTTPCode_ELB_502_Count",
      Dimensions: { LoadBalancer: LB },
      Period: 60,
      Values: [0, 0, 1, 0, 3, 12, 7, 9, 4, 2],
    },
    {
      MetricName: "TargetResponseTime",
      Dimensions: { LoadBalancer: LB },
      Period: 60,
      Stats: {
        Average: [0.1, 0.3, 0.2, 0.4],
        Minimum: [0.01, 0.02, 0.01, 0.03],
        Maximum: [20, 59.9, 60, 31],
        p99: [12, 41.2, 58.7, 30],
        SampleCount: [100, 300, 100, 100],
      },
    },
    {
      MetricName: "RequestCount",
      Dimensions: { LoadBalancer: LB, TargetGroup: TG },
      Period: 60,
      Values: [500, 510],
    },
  ],
};

let sim: TestSim;
const start = new Date("2026-03-15T14:00:00Z");
const end = new Date("2026-03-15T14:30:00Z");

beforeAll(async () => {
  sim = await startTestSim(scenario);
});
afterAll(async () => {
  await sim?.close();
});

function query(
  id: string,
  metric: string,
  stat: string,
  period = 60,
  dims = [{ Name: "LoadBalancer", Value: LB }],
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: NS, MetricName: metric, Dimensions: dims },
      Period: period,
      Stat: stat,
    },
  };
}

/** A client in the given protocol that records the content-type of what it sends. */
function clientFor(protocol?: typeof AwsQueryProtocol | typeof AwsSmithyRpcV2CborProtocol) {
  const client = new CloudWatchClient({
    region: "us-east-1",
    endpoint: sim.endpoint,
    credentials: SIMULATOR_CREDENTIALS,
    maxAttempts: 2,
    ...(protocol ? { protocol } : {}),
  });
  const sent: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      sent.push(headers["content-type"] ?? headers["Content-Type"] ?? "");
      return next(args);
    },
    { step: "finalizeRequest" },
  );
  return { client, sent };
}

const protocols = [
  {
    name: "AWS JSON 1.0 (the client's default)",
    protocol: undefined,
    contentType: "application/x-amz-json-1.0",
  },
  { name: "AWS Query", protocol: AwsQueryProtocol, contentType: "application/x-www-form-urlencoded" },
  { name: "Smithy RPC v2 CBOR", protocol: AwsSmithyRpcV2CborProtocol, contentType: "application/cbor" },
];

describe.each(protocols)("CloudWatch over $name", ({ protocol, contentType }) => {
  it("answers several GetMetricData queries: sums re-aggregated, p99, weighted averages, labels", async () => {
    const { client, sent } = clientFor(protocol);
    const out = await client.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query("e502", "HTTPCode_ELB_502_Count", "Sum", 300),
          { ...query("p99", "TargetResponseTime", "p99"), Label: "p99 latency" },
          query("avg2", "TargetResponseTime", "Average", 120),
          query("p99two", "TargetResponseTime", "p99", 120),
          query("n", "TargetResponseTime", "SampleCount", 300),
          query("missing", "HTTPCode_ELB_504_Count", "Sum"),
        ],
      }),
    );
    client.destroy();
    expect(sent[0]).toContain(contentType);
    const r = Object.fromEntries(out.MetricDataResults!.map((x) => [x.Id, x]));
    // 502s: 14:20-14:25 -> 0+0+1+0+3, 14:25-14:30 -> 12+7+9+4+2 (newest first by default)
    expect(r.e502.Timestamps).toEqual([new Date("2026-03-15T14:25:00Z"), new Date("2026-03-15T14:20:00Z")]);
    expect(r.e502.Values).toEqual([34, 4]);
    expect(r.e502.StatusCode).toBe("Complete");
    expect(r.e502.Label).toBe("HTTPCode_ELB_502_Count");
    expect(r.p99.Label).toBe("p99 latency");
    expect(r.p99.Values).toEqual([30, 58.7, 41.2, 12]);
    // Average over 14:26-14:28 weighted by SampleCount: (0.1*100 + 0.3*300) / 400
    expect(r.avg2.Values![1]).toBeCloseTo(0.25, 10);
    expect(r.avg2.Values![0]).toBeCloseTo(0.3, 10);
    expect(r.p99two.Values).toEqual([58.7, 41.2]); // max of the sub-period percentiles
    expect(r.n.Values).toEqual([600]);
    expect(r.missing).toMatchObject({ Values: [], Timestamps: [], StatusCode: "Complete" });
  });

  it("raises named exceptions in this protocol's error shape", async () => {
    const { client } = clientFor(protocol);
    const err = await errorOf(
      client.send(
        new GetMetricStatisticsCommand({
          Namespace: NS,
          MetricName: "TargetResponseTime",
          Dimensions: [{ Name: "LoadBalancer", Value: LB }],
          StartTime: start,
          EndTime: end,
          Period: 60,
          Statistics: ["p99" as never],
        }),
      ),
    );
    const expr = await errorOf(
      client.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [{ Id: "m", Expression: "SUM(METRICS())" }],
        }),
      ),
    );
    client.destroy();
    // the query-era code survives in every protocol (x-amzn-query-error for JSON and CBOR)
    expect(err).toMatchObject({
      name: "InvalidParameterValueException",
      code: "InvalidParameterValue",
      status: 400,
    });
    expect(err.message).toContain("Statistics.member.1");
    expect(expr.name).toBe("ValidationException");
    expect(expr.message).toContain("Expression");
  });
});

describe("GetMetricData", () => {
  const cw = () => sim.clients.cloudwatch;

  it("matches the exact dimension set only, as CloudWatch does", async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [
          query("lbonly", "RequestCount", "Sum"),
          query("both", "RequestCount", "Sum", 60, [
            { Name: "TargetGroup", Value: TG },
            { Name: "LoadBalancer", Value: LB },
          ]),
          query("extra", "HTTPCode_ELB_502_Count", "Sum", 60, [
            { Name: "LoadBalancer", Value: LB },
            { Name: "AvailabilityZone", Value: "us-east-1a" },
          ]),
        ],
      }),
    );
    const values = Object.fromEntries(out.MetricDataResults!.map((x) => [x.Id, x.Values]));
    expect(values).toEqual({ lbonly: [], both: [510, 500], extra: [] });
  });

  it("pages with MaxDatapoints and NextToken, ascending with ScanBy, and leaves out ReturnData=false", async () => {
    const input = {
      StartTime: start,
      EndTime: end,
      ScanBy: "TimestampAscending" as const,
      MaxDatapoints: 4,
      MetricDataQueries: [
        query("a", "HTTPCode_ELB_502_Count", "Sum"),
        query("b", "TargetResponseTime", "Maximum"),
        { ...query("hidden", "RequestCount", "Sum"), ReturnData: false },
      ],
    };
    const collected: Record<string, number[]> = { a: [], b: [] };
    const statuses: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cw().send(new GetMetricDataCommand({ ...input, NextToken: token }));
      pages++;
      expect(out.MetricDataResults!.map((x) => x.Id)).toEqual(["a", "b"]);
      for (const x of out.MetricDataResults!) {
        collected[x.Id!].push(...x.Values!);
        statuses.push(x.StatusCode!);
        expect(x.Values!.length).toBeLessThanOrEqual(4);
      }
      token = out.NextToken;
    } while (token);
    expect(pages).toBe(4); // 14 datapoints, 4 per page
    expect(collected.a).toEqual([0, 0, 1, 0, 3, 12, 7, 9, 4, 2]);
    expect(collected.b).toEqual([20, 59.9, 60, 31]);
    expect(statuses).toContain("PartialData");
    const bad = await errorOf(cw().send(new GetMetricDataCommand({ ...input, NextToken: "bogus" })));
    expect(bad.name).toBe("InvalidNextToken");
  });

  it.each([
    [
      { MetricDataQueries: [query("x", "RequestCount", "Sum", 45)] },
      "InvalidParameterValueException",
      /Period/,
    ],
    [{ MetricDataQueries: [query("x", "RequestCount", "p999x")] }, "ValidationException", /Stat/],
    [{ MetricDataQueries: [query("Bad-Id", "RequestCount", "Sum")] }, "ValidationException", /Id/],
    [
      { MetricDataQueries: [query("x", "RequestCount", "Sum"), query("x", "RequestCount", "Max")] },
      "ValidationException",
      /more than one/,
    ],
    [
      { MetricDataQueries: [query("x", "RequestCount", "Sum")], StartTime: end, EndTime: start },
      "InvalidParameterValueException",
      /StartTime/,
    ],
  ])("rejects %j", async (overrides, name, message) => {
    const err = await errorOf(
      cw().send(new GetMetricDataCommand({ StartTime: start, EndTime: end, ...overrides })),
    );
    expect(err.name).toBe(name);
    expect(err.message).toMatch(message);
  });

  it("retries an injected Throttling fault and then answers", async () => {
    sim.world.faults.push({
      Service: "cloudwatch",
      Action: "GetMetricData",
      Error: "Throttling",
      Times: 1,
      fired: 0,
    });
    const before = sim.world.callLog.length;
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [query("a", "HTTPCode_ELB_502_Count", "Sum", 600)],
      }),
    );
    expect(out.MetricDataResults![0].Values).toEqual([38]);
    const calls = sim.world.callLog.slice(before).map((c) => [c.action, c.status, c.errorCode]);
    expect(calls).toEqual([
      ["GetMetricData", 400, "Throttling"],
      ["GetMetricData", 200, undefined],
    ]);
  });
});

describe("GetMetricStatistics", () => {
  const cw = () => sim.clients.cloudwatch;
  const base = {
    Namespace: NS,
    Dimensions: [{ Name: "LoadBalancer", Value: LB }],
    StartTime: start,
    EndTime: end,
  };

  it("answers Statistics and ExtendedStatistics per period, with units", async () => {
    const out = await cw().send(
      new GetMetricStatisticsCommand({
        ...base,
        MetricName: "TargetResponseTime",
        Period: 120,
        Statistics: ["Average", "Maximum"],
        ExtendedStatistics: ["p99"],
      }),
    );
    expect(out.Label).toBe("TargetResponseTime");
    expect(out.Datapoints).toEqual([
      {
        Timestamp: new Date("2026-03-15T14:26:00Z"),
        Average: 0.25,
        Maximum: 59.9,
        ExtendedStatistics: { p99: 41.2 },
        Unit: "Seconds",
      },
      {
        Timestamp: new Date("2026-03-15T14:28:00Z"),
        Average: expect.closeTo(0.3, 10),
        Maximum: 60,
        ExtendedStatistics: { p99: 58.7 },
        Unit: "Seconds",
      },
    ]);
    const sums = await cw().send(
      new GetMetricStatisticsCommand({
        ...base,
        MetricName: "HTTPCode_ELB_502_Count",
        Period: 300,
        Statistics: ["Sum"],
      }),
    );
    expect(sums.Datapoints!.map((d) => [d.Sum, d.Unit])).toEqual([
      [4, "Count"],
      [34, "Count"],
    ]);
  });

  it.each([
    [{ Statistics: ["p99"] }, "InvalidParameterValueException"],
    [{ ExtendedStatistics: ["Average"] }, "InvalidParameterValueException"],
    [{}, "MissingRequiredParameterException"],
    [
      { Statistics: ["Sum"], Period: 1, StartTime: new Date("2026-03-15T00:00:00Z") },
      "InvalidParameterCombinationException",
    ],
  ])("rejects %j", async (overrides, name) => {
    const err = await errorOf(
      cw().send(
        new GetMetricStatisticsCommand({
          ...base,
          MetricName: "RequestCount",
          Period: 60,
          ...(overrides as object),
        }),
      ),
    );
    expect(err.name).toBe(name);
  });
});

describe.skipIf(!hasAwsCli)("the AWS CLI against the simulator (playbook step 7)", () => {
  const common = [
    "--namespace",
    NS,
    "--dimensions",
    `Name=LoadBalancer,Value=${LB}`,
    "--start-time",
    "2026-03-15T12:00:00Z",
    "--end-time",
    "2026-03-15T16:00:00Z",
  ];

  it("get-metric-statistics --statistics Sum", async () => {
    const r = await runAws(sim.endpoint, [
      "cloudwatch",
      "get-metric-statistics",
      ...common,
      "--metric-name",
      "HTTPCode_ELB_502_Count",
      "--period",
      "300",
      "--statistics",
      "Sum",
    ]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.Label).toBe("HTTPCode_ELB_502_Count");
    expect(out.Datapoints.map((d: { Sum: number }) => d.Sum)).toEqual([4, 34]);
  });

  it("get-metric-statistics --statistics Average --extended-statistics p99", async () => {
    const r = await runAws(sim.endpoint, [
      "cloudwatch",
      "get-metric-statistics",
      ...common,
      "--metric-name",
      "TargetResponseTime",
      "--period",
      "300",
      "--statistics",
      "Average",
      "--extended-statistics",
      "p99",
    ]);
    expect(r.stderr).toBe("");
    const dp = JSON.parse(r.stdout).Datapoints;
    expect(dp).toHaveLength(1);
    expect(dp[0].ExtendedStatistics).toEqual({ p99: 58.7 });
    expect(dp[0].Average).toBeCloseTo((0.1 * 100 + 0.3 * 300 + 0.2 * 100 + 0.4 * 100) / 600, 10);
  });

  it("rejects p99 in --statistics", async () => {
    const r = await runAws(sim.endpoint, [
      "cloudwatch",
      "get-metric-statistics",
      ...common,
      "--metric-name",
      "TargetResponseTime",
      "--period",
      "300",
      "--statistics",
      "p99",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/InvalidParameterValue/);
  });
});
