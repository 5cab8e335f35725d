/**
 * The Athena table over one bucket/prefix of ALB access logs: its name, the DDL that creates it (idempotent,
 * partition projection by delivery day, so neither MSCK REPAIR nor a crawler is needed), and the RegexSerDe
 * regex. The regex is our own, built to accept what the streaming parser (src/logs/tokens.ts, parse.ts)
 * accepts: tokens separated by runs of spaces, a closing quote may touch the next token, backslash escapes
 * inside quotes, the oldest format ending at trace_id, unquoted or quoted list fields after error_reason.
 * AWS's published regex expects exactly one layout and misses older and newer lines.
 */
import { createHash } from "node:crypto";

/** A quoted token's content: no unescaped quote; `\x` escapes anything (unrolled: no per-character alternation, which overflows Java's stack on long user agents). */
const QUOTED = String.raw`"([^"\\]*(?:\\[\s\S][^"\\]*)*)"`;
/** An unquoted token: starts with anything but a quote, runs to the next space. */
const BARE = String.raw`([^ "][^ ]*)`;
/** What parseDecimal accepts, or "-". */
const NUM = String.raw`(-|-?(?:\d+(?:\.\d+)?|\.\d+))`;
/** The request type: lowercase letters and digits, 2 to 8 (http, https, h2, grpcs, ws, wss). */
const TYPE = "([a-z0-9]{2,8})";
/** ISO-8601 UTC as ALB writes it, with the ranges Date.parse checks for hour, minute and second. */
const TIME = String.raw`(\d{4}-\d\d-\d\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,15})?Z)`;

type Kind = "quoted" | "bare" | "num" | "type" | "time";
const PATTERN: Record<Kind, string> = { quoted: QUOTED, bare: BARE, num: NUM, type: TYPE, time: TIME };

/** The fields the table names, in the order ALB writes them, with the form each takes. */
export const TABLE_FIELDS: readonly [string, Kind][] = [
  ["type", "type"],
  ["time", "time"],
  ["elb", "bare"],
  ["client", "bare"],
  ["target", "bare"],
  ["request_processing_time", "num"],
  ["target_processing_time", "num"],
  ["response_processing_time", "num"],
  ["elb_status_code", "num"],
  ["target_status_code", "num"],
  ["received_bytes", "num"],
  ["sent_bytes", "num"],
  ["request", "quoted"],
  ["user_agent", "quoted"],
  ["ssl_cipher", "bare"],
  ["ssl_protocol", "bare"],
  ["target_group_arn", "bare"],
  ["trace_id", "quoted"],
  // From here on each field is optional: older formats stop after trace_id.
  ["domain_name", "quoted"],
  ["chosen_cert_arn", "quoted"],
  ["matched_rule_priority", "bare"],
  ["request_creation_time", "bare"],
  ["actions_executed", "quoted"],
  ["redirect_url", "quoted"],
  ["error_reason", "quoted"],
];
const REQUIRED_FIELDS = 18;

/**
 * Columns in regex-group order: `line` (the whole line, from a lookahead, for samples and for telling a
 * blank line from a malformed one), the fields, then `extra_fields` (everything after error_reason:
 * target lists, classification, conn_trace_id, and whatever AWS appends next).
 */
export const TABLE_COLUMNS: readonly string[] = [
  "line",
  ...TABLE_FIELDS.map(([name]) => name),
  "extra_fields",
];

/** The separator after a token: a quoted token may touch the next one, an unquoted one runs to a space. */
function after(kind: Kind): string {
  return kind === "quoted" ? " *" : " +";
}

function buildRegex(): string {
  const req = TABLE_FIELDS.slice(0, REQUIRED_FIELDS);
  const opt = TABLE_FIELDS.slice(REQUIRED_FIELDS);
  let body = " *";
  req.forEach(([, kind], i) => {
    body += PATTERN[kind];
    if (i < req.length - 1) body += after(kind);
  });
  // Optional fields nest: field k+1 can only be there if field k is.
  let tail = "";
  for (let i = opt.length - 1; i >= 0; i--) {
    const prev = i === 0 ? req[req.length - 1][1] : opt[i - 1][1];
    tail = `(?:${after(prev)}${PATTERN[opt[i][1]]}${tail})?`;
  }
  // Whatever follows error_reason (or an earlier field the layout does not match) is kept as extra_fields;
  // a bare last token needs its space, a quoted one may touch it.
  body += `${tail}(?: *([\\s\\S]*))`;
  // A line that is no access-log line still matches the second branch: every field is then NULL but
  // `line`, which is how the queries count malformed lines (RegexSerDe would make the whole row NULL).
  return `(?=([\\s\\S]*))(?:${body}|[\\s\\S]*)`;
}

/** The RegexSerDe `input.regex` (Java syntax; also valid JavaScript, which the simulator and tests use). */
export const ALB_LOG_REGEX = buildRegex();

export interface TableLocation {
  bucket: string;
  prefix?: string;
  accountId: string;
  region: string;
}

/** s3://bucket/prefix/AWSLogs/ACCOUNT/elasticloadbalancing/REGION/ (the table's root). */
export function tableRoot(loc: TableLocation): string {
  const p = (loc.prefix ?? "").replace(/^\/+|\/+$/g, "");
  return `s3://${loc.bucket}/${p ? `${p}/` : ""}AWSLogs/${loc.accountId}/elasticloadbalancing/${loc.region}/`;
}

/**
 * One table per log location: a readable part and a hash of the whole location (two buckets whose names
 * differ only in punctuation must not share a table). Athena names: lowercase, digits, underscore.
 */
export function tableName(loc: TableLocation): string {
  const hash = createHash("sha256").update(tableRoot(loc)).digest("hex").slice(0, 10);
  const readable = loc.bucket
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 40);
  return `alb_logs_${readable}_${hash}`;
}

/** A Hive (DDL) string literal: Hive reads backslash escapes in DDL strings, so they are doubled. */
export const hiveString = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

export function createDatabaseSql(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${database}\``;
}

export function createTableSql(database: string, loc: TableLocation): string {
  const root = tableRoot(loc);
  const cols = TABLE_COLUMNS.map((c) => `  \`${c}\` string`).join(",\n");
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${tableName(loc)}\` (`,
    cols,
    `)`,
    `PARTITIONED BY (\`day\` string)`,
    `ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'`,
    `WITH SERDEPROPERTIES ('serialization.format' = '1', 'input.regex' = ${hiveString(ALB_LOG_REGEX)})`,
    `LOCATION ${hiveString(root)}`,
    `TBLPROPERTIES (`,
    `  'projection.enabled' = 'true',`,
    `  'projection.day.type' = 'date',`,
    `  'projection.day.range' = '2015/01/01,NOW',`,
    `  'projection.day.format' = 'yyyy/MM/dd',`,
    `  'projection.day.interval' = '1',`,
    `  'projection.day.interval.unit' = 'DAYS',`,
    `  'storage.location.template' = ${hiveString(`${root}\${day}`)}`,
    `)`,
  ].join("\n");
}
