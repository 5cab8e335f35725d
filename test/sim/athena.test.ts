/**
 * The simulated Athena through the real @aws-sdk/client-athena: DDL builds the catalog (idempotent), queries
 * run on the embedded engine over the scenario's log objects through the table's regex and partition
 * projection, results page with the header row first, are written as CSV to the output location, and
 * unsupported SQL, unknown tables, a missing output location and a stop end as Athena ends them.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  ListQueryExecutionsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from "@aws-sdk/client-athena";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseSql, createTableSql, tableName } from "../../src/logs/athena/table.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const LB = "app/web/0123456789abcdef";
const line = (t: string, status: number, path: string) =>
  `https ${t} ${LB} 10.0.0.9:5000 10.0.1.5:80 0.001 0.050 0.000 ${status} ${status} 10 20 "GET https://x.example.com:443${path} HTTP/1.1" "curl/8" ECDHE TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1 "Root=1-a" "x.example.com" "-" 0 ${t} "forward" "-" "-" "10.0.1.5:80" "${status}" "-" "-"`;

const scenario = {
  now: "2026-03-15T14:30:00Z",
  buckets: [{ Name: "results" }],
  vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
  subnets: [
    { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
    { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
  ],
  loadBalancers: [
    {
      LoadBalancerName: "web",
      Id: "0123456789abcdef",
      VpcId: "vpc-1",
      Subnets: ["subnet-a", "subnet-b"],
      Listeners: [],
      Attributes: {
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "logs",
        "access_logs.s3.prefix": "p",
      },
    },
  ],
  accessLogs: {
    files: [
      { End: "2026-03-15T14:05:00Z", Lines: [line("2026-03-15T14:01:00.5Z", 200, "/a/12"), "garbage", ""] },
      {
        End: "2026-03-15T14:10:00Z",
        Lines: [line("2026-03-15T14:06:00Z", 502, "/a/13"), line("2026-03-15T14:07:00Z", 200, "/b")],
      },
    ],
  },
  athena: {
    workGroups: [
      { Name: "enforced", OutputLocation: "s3://results/wg/", EnforceWorkGroupConfiguration: true },
    ],
  },
};

let sim: TestSim;
let athena: AthenaClient;
const loc = { bucket: "logs", prefix: "p", accountId: "123456789012", region: "us-east-1" };

async function run(sql: string, extra: Record<string, unknown> = {}): Promise<QueryExecution> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: "albdoc" },
      ResultConfiguration: { OutputLocation: "s3://results/q/" },
      ...extra,
    }),
  );
  for (;;) {
    const { QueryExecution: x } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    if (!["QUEUED", "RUNNING"].includes(x!.Status!.State!)) return x!;
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  sim = await startTestSim(scenario);
  athena = sim.clients.athena!;
  for (let i = 0; i < 2; i++) {
    expect((await run(createDatabaseSql("albdoc"))).Status!.State).toBe("SUCCEEDED");
    expect((await run(createTableSql("albdoc", loc))).Status!.State).toBe("SUCCEEDED");
  }
});
afterAll(() => sim?.close());

describe("simulated Athena", () => {
  it("reads the logs through the table's regex and projected day partitions", async () => {
    const t = tableName(loc);
    const x = await run(
      `SELECT elb_status_code AS s, count(*) AS n, count_if(type IS NULL AND line <> '') AS bad, 7 / 2 AS half,
         approx_percentile(TRY_CAST(target_processing_time AS double), 0.5) AS p50,
         max(regexp_extract(request, 'nomatch(x)', 1)) AS nothing
       FROM ${t} WHERE day IN ('2026/03/15') GROUP BY elb_status_code ORDER BY s NULLS FIRST`,
    );
    expect(x.Status!.State, x.Status!.StateChangeReason).toBe("SUCCEEDED");
    expect(x.Statistics!.DataScannedInBytes).toBeGreaterThan(0);
    const r = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: x.QueryExecutionId }));
    const rows = r.ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue ?? null));
    expect(rows[0]).toEqual(["s", "n", "bad", "half", "p50", "nothing"]);
    // The garbage and blank lines are rows with NULL fields; integer division stays integer; no match is NULL.
    expect(rows.slice(1)).toEqual([
      [null, "2", "1", "3", null, null],
      ["200", "2", "0", "3", "0.05", null],
      ["502", "1", "0", "3", "0.05", null],
    ]);
    const csv = sim.world.buckets.get("results")!.Objects.get(`q/${x.QueryExecutionId}.csv`);
    expect(csv?.Body.toString().split("\n")[0]).toBe('"s","n","bad","half","p50","nothing"');
    const none = await run(`SELECT count(*) FROM ${t} WHERE day = '2026/03/16'`);
    expect(none.Statistics!.DataScannedInBytes).toBe(0);
  });

  it("pages results, header row first, at most MaxResults rows a page", async () => {
    const x = await run(`SELECT line FROM "albdoc"."${tableName(loc)}" ORDER BY line`);
    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    do {
      const r = await athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: x.QueryExecutionId, MaxResults: 2, NextToken: token }),
      );
      expect(r.ResultSet!.Rows!.length).toBeLessThanOrEqual(2);
      seen.push(...r.ResultSet!.Rows!.map((row) => row.Data![0].VarCharValue));
      token = r.NextToken;
    } while (token);
    expect(seen[0]).toBe("line");
    expect(seen).toHaveLength(6);
    await expect(
      athena.send(new GetQueryResultsCommand({ QueryExecutionId: x.QueryExecutionId, MaxResults: 1001 })),
    ).rejects.toThrow(/MaxResults/);
  });

  it("fails what Athena fails, with a reason", async () => {
    const t = tableName(loc);
    const bad = await run(`SELECT levenshtein_distance(line, 'x') FROM ${t}`);
    expect(bad.Status!.State).toBe("FAILED");
    expect(bad.Status!.StateChangeReason).toMatch(/FUNCTION_NOT_FOUND/);
    const missing = await run(`SELECT 1 FROM nope`);
    expect(missing.Status!.StateChangeReason).toMatch(/TABLE_NOT_FOUND.*albdoc\.nope/);
    const syntax = await run(`SELECT FROM WHERE ${t}`);
    expect(syntax.Status!.State).toBe("FAILED");
    await expect(athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT 1" }))).rejects.toThrow(
      /No output location/,
    );
  });

  it("uses an enforcing workgroup's location, lists executions, stops one", async () => {
    const wg = await athena.send(new GetWorkGroupCommand({ WorkGroup: "enforced" }));
    expect(wg.WorkGroup!.Configuration!.EnforceWorkGroupConfiguration).toBe(true);
    const x = await run("SELECT 1 AS one", { WorkGroup: "enforced" });
    expect(x.ResultConfiguration!.OutputLocation).toBe(`s3://results/wg/${x.QueryExecutionId}.csv`);
    const list = await athena.send(new ListQueryExecutionsCommand({ WorkGroup: "enforced" }));
    expect(list.QueryExecutionIds).toEqual([x.QueryExecutionId]);
    sim.world.athena!.minRunMs = 5000;
    const { QueryExecutionId } = await athena.send(
      new StartQueryExecutionCommand({ QueryString: "SELECT 2", WorkGroup: "enforced" }),
    );
    await athena.send(new StopQueryExecutionCommand({ QueryExecutionId }));
    const { QueryExecution: stopped } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    expect(stopped!.Status!.State).toBe("CANCELLED");
    sim.world.athena!.minRunMs = 0;
  });
});
