/**
 * The simulated Athena of one account: workgroups from the scenario, the Glue catalog the DDL builds
 * (databases, tables), query executions and what they returned, and the SQL engine (created on first use).
 */
import type { z } from "zod";
import type { athena } from "../scenario-schema-athena.ts";

export type QueryState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export interface WorkGroupW {
  Name: string;
  OutputLocation?: string;
  EnforceWorkGroupConfiguration: boolean;
  State: "ENABLED" | "DISABLED";
}

export interface TableW {
  database: string;
  name: string;
  columns: string[];
  partitionColumns: string[];
  /** The RegexSerDe regex, Hive escapes already read. */
  regex: string;
  location: string;
  properties: Record<string, string>;
}

export interface ResultSet {
  columns: { name: string; type: string }[];
  /** null: SQL NULL (no VarCharValue on the wire). */
  rows: (string | null)[][];
}

export interface ExecutionW {
  id: string;
  query: string;
  workGroup: string;
  database?: string;
  outputLocation: string;
  state: QueryState;
  reason?: string;
  submitted: Date;
  completed?: Date;
  statementType: "DDL" | "DML";
  scannedBytes: number;
  engineMs: number;
  result?: ResultSet;
}

export interface QueryFailureW {
  Contains: string;
  State: "FAILED" | "CANCELLED";
  Reason: string;
  Times?: number;
  fired: number;
}

export interface AthenaW {
  workGroups: Map<string, WorkGroupW>;
  databases: Set<string>;
  /** "db.table" -> table. */
  tables: Map<string, TableW>;
  executions: Map<string, ExecutionW>;
  /** Newest last. */
  order: string[];
  queryFailures: QueryFailureW[];
  minRunMs: number;
  /** The engine's own state (DuckDB instance, loaded tables): owned by engine.ts. */
  engine?: unknown;
}

export function deriveAthena(a: z.output<typeof athena>): AthenaW {
  const workGroups = new Map<string, WorkGroupW>();
  workGroups.set("primary", { Name: "primary", EnforceWorkGroupConfiguration: false, State: "ENABLED" });
  for (const w of a.workGroups) workGroups.set(w.Name, { ...w });
  return {
    workGroups,
    databases: new Set(["default"]),
    tables: new Map(),
    executions: new Map(),
    order: [],
    queryFailures: a.queryFailures.map((f) => ({ ...f, fired: 0 })),
    minRunMs: a.minRunMs,
  };
}
