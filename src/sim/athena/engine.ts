/**
 * The simulated Athena's SQL engine: DuckDB (the `@duckdb/node-api` dev dependency, imported on first use so
 * the simulator runs without it when no Athena query is made). A table is loaded from the simulated S3 when
 * a query first reads it: each object under a projected partition is gunzipped, split into lines and read
 * through the table's RegexSerDe regex (in JavaScript: the project's regex is valid in both), then appended
 * with its partition values and "$path". A load is reused until the objects under the table change.
 */
import { gunzipSync } from "node:zlib";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { World } from "../world.ts";
import { QueryFailure } from "./ddl.ts";
import type { AthenaW, ResultSet, TableW } from "./state.ts";
import { MACROS, translate } from "./translate.ts";
import { partitionValue } from "./partitions.ts";

interface Loaded {
  duckName: string;
  signature: string;
  /** Compressed size per partition value (for DataScannedInBytes). */
  bytesByPartition: Map<string, number>;
}

interface EngineState {
  db: Promise<DuckDBInstance>;
  loaded: Map<string, Promise<Loaded>>;
  seq: number;
}

async function openDb(): Promise<DuckDBInstance> {
  let mod: typeof import("@duckdb/node-api");
  try {
    mod = await import("@duckdb/node-api");
  } catch (e) {
    throw new QueryFailure(
      `the simulator's SQL engine (@duckdb/node-api, a dev dependency) is not installed: ${(e as Error).message}`,
    );
  }
  const db = await mod.DuckDBInstance.create(":memory:", { threads: "2" });
  const c = await db.connect();
  for (const m of MACROS) await c.run(m);
  c.closeSync();
  return db;
}

function engineOf(a: AthenaW): EngineState {
  if (!a.engine) a.engine = { db: openDb(), loaded: new Map(), seq: 0 } satisfies EngineState;
  const e = a.engine as EngineState;
  // A failed import must not stick: a later query retries.
  e.db.catch(() => {
    if (a.engine === e) a.engine = undefined;
  });
  return e;
}

/** The objects a table reads: under LOCATION, each with its partition value (projection), if it has one. */
function tableObjects(
  world: World,
  t: TableW,
): { key: string; size: number; partition: string; body: Buffer }[] {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(t.location);
  if (!m) return [];
  const bucket = world.buckets.get(m[1]);
  if (!bucket) throw new QueryFailure(`HIVE_CANNOT_OPEN_SPLIT: the bucket ${m[1]} does not exist`);
  const out = [];
  for (const [key, obj] of bucket.Objects) {
    if (!key.startsWith(m[2])) continue;
    const partition = partitionValue(t, `s3://${m[1]}/${key}`);
    if (partition === undefined) continue;
    out.push({ key: `s3://${m[1]}/${key}`, size: obj.Body.length, partition, body: obj.Body });
  }
  return out.sort((x, y) => (x.key < y.key ? -1 : 1));
}

const quoteIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function load(e: EngineState, world: World, t: TableW): Promise<Loaded> {
  const objects = tableObjects(world, t);
  const signature = objects.map((o) => `${o.key}:${o.size}`).join("|");
  const key = `${t.database}.${t.name}`;
  const cached = e.loaded.get(key);
  if (cached) {
    const got = await cached.catch(() => undefined);
    if (got && got.signature === signature) return got;
  }
  const p = (async (): Promise<Loaded> => {
    const db = await e.db;
    const c = await db.connect();
    try {
      const duckName = `t${++e.seq}_${t.name}`;
      const cols = [...t.columns, ...t.partitionColumns, "$path"];
      await c.run(
        `CREATE TABLE ${quoteIdent(duckName)} (${cols.map((x) => `${quoteIdent(x)} VARCHAR`).join(", ")})`,
      );
      const app = await c.createAppender(duckName);
      const re = new RegExp(`^(?:${t.regex})$`);
      const bytesByPartition = new Map<string, number>();
      for (const o of objects) {
        bytesByPartition.set(o.partition, (bytesByPartition.get(o.partition) ?? 0) + o.size);
        const text = readText(o.body, o.key);
        const lines = text.split("\n");
        if (lines.at(-1) === "") lines.pop();
        for (let line of lines) {
          if (line.endsWith("\r")) line = line.slice(0, -1);
          const g = re.exec(line);
          for (let i = 0; i < t.columns.length; i++) {
            const v = g?.[i + 1];
            if (v === undefined) app.appendNull();
            else app.appendVarchar(v);
          }
          for (const _ of t.partitionColumns) app.appendVarchar(o.partition);
          app.appendVarchar(o.key);
          app.endRow();
        }
      }
      app.closeSync();
      return { duckName, signature, bytesByPartition };
    } finally {
      c.closeSync();
    }
  })();
  e.loaded.set(key, p);
  return p;
}

function readText(body: Buffer, key: string): string {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
    try {
      return gunzipSync(body).toString("utf8");
    } catch (err) {
      throw new QueryFailure(`HIVE_CURSOR_ERROR: ${key}: ${(err as Error).message}`);
    }
  }
  return body.toString("utf8");
}

/** Partition values a query names (`day IN ('…')`, `day = '…'`); undefined: it reads every partition. */
function namedPartitions(sql: string, column: string): Set<string> | undefined {
  const col = `"?${column}"?`;
  const inList = new RegExp(`\\b${col}\\s+IN\\s*\\(((?:\\s*'[^']*'\\s*,?)+)\\)`, "i").exec(sql);
  if (inList) return new Set([...inList[1].matchAll(/'([^']*)'/g)].map((m) => m[1]));
  const eq = new RegExp(`\\b${col}\\s*=\\s*'([^']*)'`, "i").exec(sql);
  return eq ? new Set([eq[1]]) : undefined;
}

export interface QueryOutcome {
  result: ResultSet;
  scannedBytes: number;
}

export async function runSelect(
  world: World,
  a: AthenaW,
  sql: string,
  database: string,
): Promise<QueryOutcome> {
  const e = engineOf(a);
  const loaded = new Map<string, Loaded>();
  // First pass: which tables; then load them; then translate with their engine names.
  const first = translate(sql, database, (key) => (a.tables.has(key) ? key : undefined));
  for (const key of new Set(first.tables)) loaded.set(key, await load(e, world, a.tables.get(key)!));
  const { sql: duckSql } = translate(sql, database, (key) => {
    const l = loaded.get(key);
    return l ? quoteIdent(l.duckName) : undefined;
  });
  let scannedBytes = 0;
  for (const [key, l] of loaded) {
    const t = a.tables.get(key)!;
    const named = t.partitionColumns[0] ? namedPartitions(sql, t.partitionColumns[0]) : undefined;
    for (const [p, n] of l.bytesByPartition) if (!named || named.has(p)) scannedBytes += n;
  }
  const db = await e.db;
  const c: DuckDBConnection = await db.connect();
  try {
    // Trino divides integers as integers; DuckDB's "/" does not unless told (a per-connection setting).
    await c.run("SET integer_division = true");
    let reader;
    try {
      reader = await c.runAndReadAll(duckSql);
    } catch (err) {
      throw new QueryFailure(`SYNTAX_ERROR: ${(err as Error).message.split("\n")[0]}`);
    }
    const types = reader.columnTypes().map((x) => athenaType(String(x)));
    const names = reader.columnNames();
    const rows = reader.getRows().map((r) => r.map((v, i) => wireValue(v, types[i])));
    return { result: { columns: names.map((name, i) => ({ name, type: types[i] })), rows }, scannedBytes };
  } finally {
    c.closeSync();
  }
}

function athenaType(duck: string): string {
  const t = duck.toUpperCase();
  if (t === "VARCHAR") return "varchar";
  if (t === "BIGINT" || t === "HUGEINT" || t === "UBIGINT") return "bigint";
  if (t === "INTEGER" || t === "SMALLINT" || t === "TINYINT") return "integer";
  if (t === "DOUBLE" || t === "FLOAT") return "double";
  if (t.startsWith("DECIMAL")) return "decimal";
  if (t === "BOOLEAN") return "boolean";
  if (t.startsWith("TIMESTAMP")) return "timestamp";
  if (t.endsWith("[]")) return "array";
  return t.toLowerCase();
}

/** A value as Athena's GetQueryResults writes it (VarCharValue text), null for SQL NULL. */
function wireValue(v: unknown, type: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return type === "double" ? doubleText(v) : String(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "object" && "items" in (v as object)) {
    return `[${((v as { items: unknown[] }).items ?? []).map((x) => wireValue(x, "varchar") ?? "null").join(", ")}]`;
  }
  return String(v);
}

/** Java's Double.toString, which Athena's results use ("1.0", "1.0E-4"). */
function doubleText(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [m, ex] = x.toExponential().split("e");
    return `${m.includes(".") ? m : `${m}.0`}E${Number(ex)}`;
  }
  const s = String(x);
  return s.includes(".") ? s : `${s}.0`;
}
