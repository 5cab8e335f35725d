/**
 * Athena (AWS JSON 1.1): StartQueryExecution, GetQueryExecution, GetQueryResults (header row first on the
 * first page, NextToken, MaxResults up to 1000), StopQueryExecution, ListQueryExecutions, GetWorkGroup, for
 * scenarios with an `athena:` key. Queries run in src/sim/athena.
 */
import { SimError } from "../contract.ts";
import { createAwsJsonHandler, optionalNumber, optionalString } from "../wire/aws-json-handler.ts";
import { pageOf } from "../wire/paging.ts";
import type { World } from "../world.ts";
import { startExecution, stopExecution } from "../athena/executions.ts";
import type { AthenaW, ExecutionW, WorkGroupW } from "../athena/state.ts";

function athenaOf(world: World): AthenaW {
  if (!world.athena)
    throw new SimError(
      "InvalidRequestException",
      "Athena is not simulated for this scenario (add an `athena:` key to serve it).",
    );
  return world.athena;
}

function workGroupOf(a: AthenaW, name: string | undefined): WorkGroupW {
  const w = a.workGroups.get(name ?? "primary");
  if (!w) throw new SimError("InvalidRequestException", `WorkGroup ${name} is not found.`);
  return w;
}

function executionOf(a: AthenaW, input: Record<string, unknown>): ExecutionW {
  const id = optionalString(input, "QueryExecutionId");
  const x = id ? a.executions.get(id) : undefined;
  if (!x) throw new SimError("InvalidRequestException", `QueryExecution ${id ?? "(none)"} was not found`);
  return x;
}

function describe(x: ExecutionW): Record<string, unknown> {
  return {
    QueryExecutionId: x.id,
    Query: x.query,
    StatementType: x.statementType,
    ResultConfiguration: {
      OutputLocation: `${x.outputLocation.replace(/\/?$/, "/")}${x.id}.${x.statementType === "DDL" ? "txt" : "csv"}`,
    },
    QueryExecutionContext: x.database ? { Database: x.database, Catalog: "awsdatacatalog" } : {},
    Status: {
      State: x.state,
      ...(x.reason ? { StateChangeReason: x.reason } : {}),
      SubmissionDateTime: x.submitted,
      ...(x.completed ? { CompletionDateTime: x.completed } : {}),
    },
    Statistics: {
      EngineExecutionTimeInMillis: x.engineMs,
      DataScannedInBytes: x.scannedBytes,
      TotalExecutionTimeInMillis: (x.completed ?? new Date()).getTime() - x.submitted.getTime(),
    },
    WorkGroup: x.workGroup,
    EngineVersion: { SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3" },
  };
}

export const athenaHandler = createAwsJsonHandler({
  service: "athena",
  namespace: "com.amazonaws.athena",
  actions: {
    StartQueryExecution(input, world) {
      const a = athenaOf(world);
      const query = optionalString(input, "QueryString");
      if (!query || query.length > 262_144)
        throw new SimError("InvalidRequestException", "QueryString must be 1 to 262144 characters.");
      const wg = workGroupOf(a, optionalString(input, "WorkGroup"));
      if (wg.State !== "ENABLED")
        throw new SimError("InvalidRequestException", `WorkGroup ${wg.Name} is disabled.`);
      const rc = (input.ResultConfiguration ?? {}) as { OutputLocation?: string };
      const output = wg.EnforceWorkGroupConfiguration
        ? wg.OutputLocation
        : (rc.OutputLocation ?? wg.OutputLocation);
      if (!output)
        throw new SimError(
          "InvalidRequestException",
          "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.",
        );
      const ctx = (input.QueryExecutionContext ?? {}) as { Database?: string };
      const x = startExecution(world, a, {
        query,
        workGroup: wg.Name,
        database: ctx.Database?.toLowerCase(),
        outputLocation: output,
      });
      return { QueryExecutionId: x.id };
    },
    GetQueryExecution(input, world) {
      return { QueryExecution: describe(executionOf(athenaOf(world), input)) };
    },
    StopQueryExecution(input, world) {
      stopExecution(executionOf(athenaOf(world), input));
      return {};
    },
    GetQueryResults(input, world) {
      const x = executionOf(athenaOf(world), input);
      if (x.state !== "SUCCEEDED")
        throw new SimError(
          "InvalidRequestException",
          x.state === "FAILED" || x.state === "CANCELLED"
            ? `Query has been ${x.state === "FAILED" ? "failed" : "cancelled"}: ${x.reason ?? ""}`
            : `Query has not yet finished. Current state: ${x.state}`,
        );
      const max = optionalNumber(input, "MaxResults", 1, 1000) ?? 1000;
      const r = x.result ?? { columns: [], rows: [] };
      const all = r.columns.length ? [r.columns.map((c) => c.name), ...r.rows] : [];
      const { page, next } = pageOf(all, optionalString(input, "NextToken"), max, "InvalidRequestException");
      return {
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: {
            ColumnInfo: r.columns.map((c) => ({
              CatalogName: "hive",
              SchemaName: "",
              TableName: "",
              Name: c.name,
              Label: c.name,
              Type: c.type,
              Precision: 0,
              Scale: 0,
              Nullable: "UNKNOWN",
              CaseSensitive: c.type === "varchar",
            })),
          },
        },
        UpdateCount: 0,
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListQueryExecutions(input, world) {
      const a = athenaOf(world);
      const wg = workGroupOf(a, optionalString(input, "WorkGroup"));
      const ids = a.order.filter((id) => a.executions.get(id)?.workGroup === wg.Name).reverse();
      const max = optionalNumber(input, "MaxResults", 0, 50) ?? 50;
      const { page, next } = pageOf(ids, optionalString(input, "NextToken"), max, "InvalidRequestException");
      return { QueryExecutionIds: page, ...(next ? { NextToken: next } : {}) };
    },
    GetWorkGroup(input, world) {
      const wg = workGroupOf(athenaOf(world), optionalString(input, "WorkGroup"));
      return {
        WorkGroup: {
          Name: wg.Name,
          State: wg.State,
          Configuration: {
            ...(wg.OutputLocation ? { ResultConfiguration: { OutputLocation: wg.OutputLocation } } : {}),
            EnforceWorkGroupConfiguration: wg.EnforceWorkGroupConfiguration,
            EngineVersion: {
              SelectedEngineVersion: "AUTO",
              EffectiveEngineVersion: "Athena engine version 3",
            },
          },
          CreationTime: new Date("2026-01-01T00:00:00Z"),
        },
      };
    },
  },
});
