/**
 * Query executions of the simulated Athena: StartQueryExecution queues one and returns at once; the work
 * runs on the event loop (DDL against the catalog, SELECT on the engine), moving QUEUED -> RUNNING ->
 * SUCCEEDED | FAILED | CANCELLED, and a successful result is written to the output location as CSV, as
 * Athena does (`<location><id>.csv`; DDL results as `<id>.txt`).
 */
import { createHash, randomUUID } from "node:crypto";
import type { World } from "../world.ts";
import { QueryFailure, isDdl, runDdl } from "./ddl.ts";
import { runSelect } from "./engine.ts";
import type { AthenaW, ExecutionW, ResultSet } from "./state.ts";

export function startExecution(
  world: World,
  a: AthenaW,
  e: Omit<ExecutionW, "id" | "state" | "submitted" | "statementType" | "scannedBytes" | "engineMs">,
): ExecutionW {
  const x: ExecutionW = {
    ...e,
    id: randomUUID(),
    state: "QUEUED",
    submitted: new Date(),
    statementType: isDdl(e.query) ? "DDL" : "DML",
    scannedBytes: 0,
    engineMs: 0,
  };
  a.executions.set(x.id, x);
  a.order.push(x.id);
  setImmediate(() => void run(world, a, x));
  return x;
}

function finish(x: ExecutionW, state: ExecutionW["state"], reason?: string): void {
  if (x.state === "CANCELLED") return; // stopped meanwhile: the stop wins, as in Athena
  x.state = state;
  if (reason !== undefined) x.reason = reason;
  x.completed = new Date();
}

async function run(world: World, a: AthenaW, x: ExecutionW): Promise<void> {
  if (x.state !== "QUEUED") return;
  x.state = "RUNNING";
  const started = Date.now();
  const minEnd = started + a.minRunMs;
  const failure = a.queryFailures.find(
    (f) =>
      x.query.toLowerCase().includes(f.Contains.toLowerCase()) &&
      (f.Times === undefined || f.fired < f.Times),
  );
  try {
    if (failure) {
      failure.fired++;
      await waitUntil(minEnd);
      finish(x, failure.State, failure.Reason);
      return;
    }
    let result: ResultSet;
    if (x.statementType === "DDL") {
      runDdl(a, x.query, x.database);
      result = { columns: [], rows: [] };
    } else {
      const out = await runSelect(world, a, x.query, x.database ?? "default");
      result = out.result;
      x.scannedBytes = out.scannedBytes;
    }
    writeResult(world, x, result);
    x.engineMs = Date.now() - started;
    await waitUntil(minEnd);
    if (x.state === "RUNNING") x.result = result;
    finish(x, "SUCCEEDED");
  } catch (err) {
    x.engineMs = Date.now() - started;
    await waitUntil(minEnd);
    const msg = err instanceof QueryFailure ? err.message : `INTERNAL_ERROR: ${(err as Error).message}`;
    finish(x, "FAILED", msg);
  }
}

function waitUntil(t: number): Promise<void> {
  const ms = t - Date.now();
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function csvField(v: string | null): string {
  return v === null ? "" : `"${v.replaceAll('"', '""')}"`;
}

/** The result file in the simulated S3; a missing output bucket fails the query, as in Athena. */
function writeResult(world: World, x: ExecutionW, r: ResultSet): void {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(x.outputLocation);
  if (!m)
    throw new QueryFailure(
      `The S3 location provided to save your query results is invalid: ${x.outputLocation}`,
    );
  const bucket = world.buckets.get(m[1]);
  if (!bucket)
    throw new QueryFailure(
      `Unable to verify/create output bucket ${m[1]}. Verify that the bucket exists and that you have s3:PutObject on it.`,
    );
  const prefix = m[2] && !m[2].endsWith("/") ? `${m[2]}/` : m[2];
  const text =
    x.statementType === "DDL"
      ? ""
      : [r.columns.map((c) => csvField(c.name)), ...r.rows.map((row) => row.map(csvField))]
          .map((l) => l.join(","))
          .join("\n") + "\n";
  const body = Buffer.from(text, "utf8");
  bucket.Objects.set(`${prefix}${x.id}.${x.statementType === "DDL" ? "txt" : "csv"}`, {
    Body: body,
    LastModified: new Date(),
    ETag: `"${createHash("md5").update(body).digest("hex")}"`,
    ContentType: x.statementType === "DDL" ? "text/plain" : "text/csv",
  });
}

export function stopExecution(x: ExecutionW): void {
  if (x.state === "QUEUED" || x.state === "RUNNING") {
    x.state = "CANCELLED";
    x.reason = "Query was cancelled by user";
    x.completed = new Date();
    x.result = undefined;
  }
}
