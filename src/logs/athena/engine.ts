/**
 * The Athena log engine: the same LogSummary as the streaming analyzer, computed where the logs are. The
 * database and the table for the bucket/prefix are created once (idempotent DDL, remembered per process),
 * then one aggregate query answers the window (sql.ts) and its rows are mapped into the summary.
 */
import type { AthenaClient } from "@aws-sdk/client-athena";
import type { LogSummary } from "../../domain/log-summary.ts";
import { lbFileId } from "../keys.ts";
import type { LogObject } from "../window.ts";
import { runQuery, type AthenaTarget } from "./run.ts";
import { summaryQuery } from "./sql.ts";
import { summaryFromRows } from "./summary.ts";
import { createDatabaseSql, createTableSql, tableName, type TableLocation } from "./table.ts";

export interface AthenaConfig {
  workGroup: string;
  /** s3://bucket/path/ ; absent when the workgroup enforces its own result location. */
  outputLocation?: string;
  database: string;
}

export interface AthenaWindowOptions extends TableLocation {
  athena: AthenaClient;
  config: AthenaConfig;
  lbResourceId: string;
  window: { start: Date; end: Date };
  idleTimeoutSeconds: number;
  /** The window's objects, already listed (their count and sizes go into the summary). */
  objects: LogObject[];
  signal?: AbortSignal;
  pollMs?: number;
}

/** Tables known to exist, per workgroup/database/table: the DDL runs once per process. */
const created = new Set<string>();

const DAY_MS = 86_400_000;

/**
 * The delivery days whose folders can hold the window's files: a file's folder is the day it was
 * delivered, never before its own interval, sometimes the next day (late delivery near midnight).
 */
export function windowDays(startMs: number, endMs: number): string[] {
  const days: string[] = [];
  const first = Math.floor(startMs / DAY_MS) * DAY_MS;
  const last = Math.floor((endMs + 5 * 60_000) / DAY_MS) * DAY_MS + DAY_MS;
  for (let d = first; d <= last; d += DAY_MS)
    days.push(new Date(d).toISOString().slice(0, 10).replaceAll("-", "/"));
  return days;
}

export async function analyzeWindowAthena(o: AthenaWindowOptions): Promise<LogSummary> {
  const started = Date.now();
  const target: AthenaTarget = { athena: o.athena, ...o.config };
  const table = tableName(o);
  const key = `${o.config.workGroup}/${o.config.database}/${table}`;
  const run = { signal: o.signal, pollMs: o.pollMs };
  let scanned = 0;
  if (!created.has(key)) {
    await runQuery(target, createDatabaseSql(o.config.database), "create the database", run);
    await runQuery(target, createTableSql(o.config.database, o), "create the access-log table", run);
    created.add(key);
  }
  const startMs = o.window.start.getTime();
  const endMs = o.window.end.getTime();
  const r = await runQuery(
    target,
    summaryQuery({
      database: o.config.database,
      table,
      days: windowDays(startMs, endMs),
      accountId: o.accountId,
      region: o.region,
      lbFileId: lbFileId(o.lbResourceId),
      startMs,
      endMs,
      idleTimeoutSeconds: o.idleTimeoutSeconds,
    }),
    "summarize the window",
    run,
  ).catch((e) => {
    // The table may have been dropped since this process created it: recreate on the next run.
    created.delete(key);
    throw e;
  });
  scanned += r.scannedBytes;
  const bytes = o.objects.reduce((a, x) => a + x.size, 0);
  const summary = summaryFromRows(r.columns, r.rows, {
    enabled: true,
    bucket: o.bucket,
    prefix: o.prefix,
    window: { start: o.window.start.toISOString(), end: o.window.end.toISOString() },
    objects: { listed: o.objects.length, scanned: o.objects.length, bytes, failed: [] },
    assumptions: { idleTimeoutSeconds: o.idleTimeoutSeconds },
  });
  summary.durationMs = Date.now() - started;
  summary.scan = {
    engine: "athena",
    objects: o.objects.length,
    bytes,
    objectsRead: o.objects.length,
    bytesRead: bytes,
    scannedBytes: scanned,
    complete: true,
  };
  return summary;
}

/** Tests: forget which tables exist. */
export function forgetCreatedTables(): void {
  created.clear();
}
