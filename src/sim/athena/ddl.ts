/**
 * The DDL the simulated Athena understands (Hive's dialect, as Athena runs DDL): CREATE DATABASE, CREATE
 * EXTERNAL TABLE with the RegexSerDe, LOCATION, PARTITIONED BY and TBLPROPERTIES (partition projection),
 * DROP TABLE. Anything else that looks like DDL fails as Athena would, with a reason.
 */
import type { AthenaW, TableW } from "./state.ts";

export class QueryFailure extends Error {}

/** Hive string literals read backslash escapes (the regex in a DDL string has its backslashes doubled). */
function hiveUnescape(body: string): string {
  return body.replace(/\\([\s\S])/g, (_, c: string) =>
    c === "n" ? "\n" : c === "t" ? "\t" : c === "0" ? "\0" : c,
  );
}

const STRING = String.raw`'((?:[^'\\]|\\[\s\S])*)'`;
const IDENT = "`?([A-Za-z0-9_]+)`?";
const QUALIFIED = `(?:${IDENT}\\.)?${IDENT}`;

export function isDdl(sql: string): boolean {
  return /^\s*(CREATE|DROP|ALTER|MSCK|SHOW|DESCRIBE)\b/i.test(sql);
}

function properties(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  const re = new RegExp(`${STRING}\\s*=\\s*${STRING}`, "g");
  for (const m of text.matchAll(re)) out[hiveUnescape(m[1])] = hiveUnescape(m[2]);
  return out;
}

function columnNames(text: string): string[] {
  return text
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const m = /^`?([A-Za-z0-9_]+)`?\s+([A-Za-z0-9_<>(),]+)$/.exec(c);
      if (!m)
        throw new QueryFailure(
          `line 1:1: mismatched input '${c.slice(0, 40)}'. Expecting: column definition`,
        );
      if (m[2].toLowerCase() !== "string")
        throw new QueryFailure(
          `the simulator's RegexSerDe tables take string columns only (${m[1]} is ${m[2]})`,
        );
      return m[1].toLowerCase();
    });
}

/** Runs one DDL statement against the catalog. */
export function runDdl(a: AthenaW, sql: string, database: string | undefined): void {
  const text = sql.trim().replace(/;\s*$/, "");
  let m = new RegExp(`^CREATE\\s+(?:DATABASE|SCHEMA)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}\\s*$`, "i").exec(
    text,
  );
  if (m) {
    const name = m[2].toLowerCase();
    if (a.databases.has(name) && !m[1]) throw new QueryFailure(`Database ${name} already exists`);
    a.databases.add(name);
    return;
  }
  m = new RegExp(`^DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?${QUALIFIED}\\s*$`, "i").exec(text);
  if (m) {
    const key = `${(m[2] ?? database ?? "default").toLowerCase()}.${m[3].toLowerCase()}`;
    if (!a.tables.delete(key) && !m[1]) throw new QueryFailure(`Table not found ${key}`);
    return;
  }
  if (/^CREATE\s+EXTERNAL\s+TABLE\b/i.test(text)) {
    createTable(a, text, database);
    return;
  }
  throw new QueryFailure(
    `the simulator runs CREATE DATABASE, CREATE EXTERNAL TABLE and DROP TABLE only: ${text.slice(0, 60)}`,
  );
}

function createTable(a: AthenaW, text: string, database: string | undefined): void {
  const head = new RegExp(
    `^CREATE\\s+EXTERNAL\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${QUALIFIED}\\s*\\(([^)]*)\\)`,
    "i",
  ).exec(text);
  if (!head) throw new QueryFailure("line 1:1: mismatched input. Expecting: a table name and columns");
  const db = (head[2] ?? database ?? "default").toLowerCase();
  const name = head[3].toLowerCase();
  if (!a.databases.has(db))
    throw new QueryFailure(`SemanticException [Error 10072]: Database does not exist: ${db}`);
  const key = `${db}.${name}`;
  if (a.tables.has(key)) {
    if (head[1]) return;
    throw new QueryFailure(`AlreadyExistsException: Table ${name} already exists`);
  }
  const rest = text.slice(head[0].length);
  const partitioned = /PARTITIONED\s+BY\s*\(([^)]*)\)/i.exec(rest);
  const serde = new RegExp(`ROW\\s+FORMAT\\s+SERDE\\s+${STRING}`, "i").exec(rest);
  const serdeProps = new RegExp(`WITH\\s+SERDEPROPERTIES\\s*\\(((?:${STRING}|[^)'])*)\\)`, "i").exec(rest);
  const location = new RegExp(`LOCATION\\s+${STRING}`, "i").exec(rest);
  const tblProps = new RegExp(`TBLPROPERTIES\\s*\\(((?:${STRING}|[^)'])*)\\)`, "i").exec(rest);
  if (!serde || hiveUnescape(serde[1]) !== "org.apache.hadoop.hive.serde2.RegexSerDe")
    throw new QueryFailure("the simulator reads tables with org.apache.hadoop.hive.serde2.RegexSerDe only");
  const regex = properties(serdeProps?.[1])["input.regex"];
  if (regex === undefined) throw new QueryFailure("SerDe properties must name input.regex");
  if (!location || !/^s3:\/\/[^/]+\//.test(hiveUnescape(location[1])))
    throw new QueryFailure("LOCATION must be an s3://bucket/prefix/ location");
  const table: TableW = {
    database: db,
    name,
    columns: columnNames(head[4]),
    partitionColumns: partitioned ? columnNames(partitioned[1]) : [],
    regex,
    location: hiveUnescape(location[1]),
    properties: properties(tblProps?.[1]),
  };
  try {
    new RegExp(`^(?:${regex})$`);
  } catch (e) {
    throw new QueryFailure(`input.regex is not a valid regular expression: ${(e as Error).message}`);
  }
  a.tables.set(key, table);
}
