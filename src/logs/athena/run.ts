/**
 * One Athena query from start to rows: StartQueryExecution, GetQueryExecution polled with backoff until a
 * final state, GetQueryResults paged (the header row of the first page dropped), StopQueryExecution when
 * the caller aborts. Every failure names the Athena action (or the query's own reason), so a partial
 * report can say what was missing: a permission (athena:*, glue:* on the table, s3:* on the result
 * location), throttling, cancellation.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
} from "@aws-sdk/client-athena";
import { AlbDoctorError } from "../../domain/errors.ts";

export interface AthenaTarget {
  athena: AthenaClient;
  workGroup: string;
  /** s3://bucket/path/ for results; undefined when the workgroup enforces its own. */
  outputLocation?: string;
  database: string;
}

export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
  scannedBytes: number;
  queryId: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** First poll delay and its cap (ms); the delay doubles in between. */
  pollMs?: number;
  maxPollMs?: number;
}

/** An Athena API error -> AlbDoctorError naming the action and, when denied, the permission. */
export function athenaError(e: unknown, action: string): AlbDoctorError {
  if (e instanceof AlbDoctorError) return e;
  const name = (e as { name?: string })?.name ?? "";
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const message = e instanceof Error ? e.message : String(e);
  const details = { operation: `athena:${action}`, permission: `athena:${action}` };
  if (/AccessDenied/.test(name) || status === 403)
    return new AlbDoctorError("access-denied", `athena:${action} was denied: ${message}`, {
      cause: e,
      details,
    });
  if (/TooManyRequests|Throttl/.test(name))
    return new AlbDoctorError("throttled", `Athena throttled ${action}: ${message}`, { cause: e, details });
  return new AlbDoctorError("aws", `Athena ${action} failed: ${message}`, { cause: e, details });
}

/** A query that ended FAILED or CANCELLED -> the error; a permission in its reason becomes access-denied. */
function queryFailed(state: string, reason: string, what: string): AlbDoctorError {
  const perm = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z*]+)/i.exec(reason)?.[1];
  const denied = perm !== undefined || /AccessDenied|Access Denied|Insufficient permissions/i.test(reason);
  return new AlbDoctorError(
    denied ? "access-denied" : "aws",
    `Athena query (${what}) ${state === "CANCELLED" ? "was cancelled" : "failed"}: ${reason || state}`,
    { details: { operation: "athena:StartQueryExecution", state, ...(perm ? { permission: perm } : {}) } },
  );
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

export async function runQuery(
  t: AthenaTarget,
  sql: string,
  what: string,
  o: RunOptions = {},
): Promise<QueryResult> {
  o.signal?.throwIfAborted();
  let id: string;
  try {
    const r = await t.athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: t.workGroup,
        QueryExecutionContext: { Database: t.database },
        ...(t.outputLocation ? { ResultConfiguration: { OutputLocation: t.outputLocation } } : {}),
      }),
      { abortSignal: o.signal },
    );
    id = r.QueryExecutionId ?? "";
  } catch (e) {
    o.signal?.throwIfAborted();
    throw athenaError(e, "StartQueryExecution");
  }
  let delay = o.pollMs ?? 200;
  let scannedBytes: number | undefined;
  try {
    for (;;) {
      let x;
      try {
        x = (
          await t.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), {
            abortSignal: o.signal,
          })
        ).QueryExecution;
      } catch (e) {
        o.signal?.throwIfAborted();
        throw athenaError(e, "GetQueryExecution");
      }
      const state = x?.Status?.State ?? "QUEUED";
      scannedBytes = x?.Statistics?.DataScannedInBytes ?? 0;
      if (state === "SUCCEEDED") break;
      if (state === "FAILED" || state === "CANCELLED")
        throw queryFailed(state, x?.Status?.StateChangeReason ?? "", what);
      await sleep(delay, o.signal);
      delay = Math.min(delay * 2, o.maxPollMs ?? 2000);
    }
  } catch (e) {
    // Aborted (deadline, user): stop the query so it does not go on scanning (and billing) unseen.
    if (o.signal?.aborted) {
      await t.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    }
    throw e;
  }
  const rows: (string | null)[][] = [];
  let columns: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    let page;
    try {
      page = await t.athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }),
        { abortSignal: o.signal },
      );
    } catch (e) {
      o.signal?.throwIfAborted();
      throw athenaError(e, "GetQueryResults");
    }
    const data = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    if (first) {
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? "");
      data.shift(); // the header row
      first = false;
    }
    rows.push(...data);
    token = page.NextToken;
  } while (token);
  return { columns, rows, scannedBytes: scannedBytes ?? 0, queryId: id };
}
