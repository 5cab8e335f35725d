/**
 * Athena's SQL (Trino's dialect) -> DuckDB's, for the simulator only: the queries the project sends stay
 * Trino. Only what the two spell differently is translated (function names, regexp_extract's NULL on no
 * match, ISO-8601 parsing, the table names of the catalog); integer division is a DuckDB setting
 * (engine.ts). A function outside the supported list fails the query, as Athena fails an unknown one.
 */
import { QueryFailure } from "./ddl.ts";

/** Trino name -> DuckDB name (same arguments). Names mapping to themselves are spelled the same. */
const FUNCTIONS: Record<string, string> = {
  count: "count",
  count_if: "count_if",
  sum: "sum",
  min: "min",
  max: "max",
  avg: "avg",
  // Trino's is a sketch; the simulator answers the exact value at rank q * (n - 1) (the lower one).
  approx_percentile: "athena_approx_percentile",
  approx_distinct: "approx_count_distinct",
  arbitrary: "any_value",
  coalesce: "coalesce",
  nullif: "nullif",
  abs: "abs",
  floor: "floor",
  ceil: "ceil",
  ceiling: "ceil",
  round: "round",
  greatest: "greatest",
  least: "least",
  length: "length",
  substr: "substr",
  substring: "substr",
  strpos: "strpos",
  lower: "lower",
  upper: "upper",
  trim: "trim",
  concat: "concat",
  starts_with: "starts_with",
  regexp_like: "regexp_matches",
  // DuckDB answers '' where Trino answers NULL (no match): a macro restores NULL.
  regexp_extract: "athena_regexp_extract",
  split: "string_split",
  transform: "list_transform",
  array_join: "array_to_string",
  cardinality: "len",
  to_unixtime: "epoch",
  from_iso8601_timestamp: "athena_from_iso8601_timestamp",
  from_unixtime: "to_timestamp",
  row_number: "row_number",
  rank: "rank",
  if: "if",
  grouping: "grouping",
  chr: "chr",
  min_by: "min_by",
  max_by: "max_by",
};

/** Words that may stand before "(" without being a function call. */
const KEYWORDS = new Set([
  "in",
  "sets",
  "rollup",
  "cube",
  "as",
  "values",
  "over",
  "filter",
  "cast",
  "try_cast",
  "exists",
  "and",
  "or",
  "not",
  "when",
  "then",
  "else",
  "on",
  "using",
  "from",
  "join",
  "by",
  "select",
  "where",
  "with",
  "union",
  "all",
  "distinct",
  "array",
  "case",
  "end",
  "is",
  "null",
  "having",
  "partition",
  "order",
  "group",
  "limit",
  "asc",
  "desc",
  "like",
  "between",
  "inner",
  "left",
  "right",
  "outer",
  "cross",
  "intersect",
  "except",
]);

/** DuckDB macros that stand for Trino functions (created once per engine). */
export const MACROS = [
  `CREATE OR REPLACE MACRO athena_approx_percentile(x, q) AS CASE WHEN count(x) > 0 THEN list_sort(list(x))[CAST(floor(q * (count(x) - 1)) AS BIGINT) + 1] END`,
  `CREATE OR REPLACE MACRO athena_approx_percentiles(x, qs) AS CASE WHEN count(x) > 0 THEN list_transform(qs, q -> list_sort(list(x))[CAST(floor(q * (count(x) - 1)) AS BIGINT) + 1]) END`,
  `CREATE OR REPLACE MACRO athena_regexp_extract(s, p, g := 0) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END`,
  `CREATE OR REPLACE MACRO athena_from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
];

type Tok = { kind: "str" | "qid" | "word" | "num" | "sym" | "space"; text: string };

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /('(?:[^']|'')*')|("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_$]*)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(\s+|--[^\n]*)|(->|<=|>=|<>|!=|\|\||[^\s])/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(sql)) !== null) {
    last = re.lastIndex;
    const kind = m[1] ? "str" : m[2] ? "qid" : m[3] ? "word" : m[4] ? "num" : m[5] ? "space" : "sym";
    out.push({ kind, text: m[0] });
  }
  if (last !== sql.length) throw new QueryFailure(`line 1:${last + 1}: mismatched input '${sql[last]}'`);
  return out;
}

const identName = (t: Tok) =>
  (t.kind === "qid" ? t.text.slice(1, -1).replaceAll('""', '"') : t.text).toLowerCase();

/** Whether the call starting at toks[i] (a function name) has an ARRAY[...] second argument. */
function secondArgIsArray(toks: Tok[], i: number): boolean {
  let depth = 0;
  for (let j = i + 1; j < toks.length; j++) {
    const t = toks[j].text;
    if (t === "(" || t === "[") depth++;
    else if (t === ")" || t === "]") {
      if (--depth === 0) return false;
    } else if (t === "," && depth === 1) {
      const next = toks.slice(j + 1).find((x) => x.kind !== "space");
      return next?.text.toLowerCase() === "array" || next?.text === "[";
    }
  }
  return false;
}

export interface Translated {
  sql: string;
  /** Catalog keys ("db.table") the query reads. */
  tables: string[];
}

/**
 * Rewrites `sql` for DuckDB. `resolve` maps a catalog key to the engine's table name (undefined: no such
 * table). CTE names are left alone.
 */
export function translate(
  sql: string,
  database: string,
  resolve: (key: string) => string | undefined,
): Translated {
  const toks = tokenize(sql.trim().replace(/;\s*$/, ""));
  const ctes = new Set<string>();
  toks.forEach((t, i) => {
    if (t.kind !== "word" && t.kind !== "qid") return;
    const next = toks.slice(i + 1).filter((x) => x.kind !== "space");
    if (next[0]?.text.toLowerCase() === "as" && next[1]?.text === "(") {
      const before = toks
        .slice(0, i)
        .filter((x) => x.kind !== "space")
        .at(-1)
        ?.text.toLowerCase();
      if (before === "with" || before === ",") ctes.add(identName(t));
    }
  });
  const tables: string[] = [];
  const out: string[] = [];
  let prev = "";
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === "space") {
      out.push(" ");
      continue;
    }
    if ((prev === "from" || prev === "join") && (t.kind === "word" || t.kind === "qid")) {
      // [catalog.][db.]table
      const parts = [identName(t)];
      let j = i;
      while (toks[j + 1]?.text === "." && toks[j + 2] && ["word", "qid"].includes(toks[j + 2].kind)) {
        parts.push(identName(toks[j + 2]));
        j += 2;
      }
      if (parts.length === 3 && parts[0] === "awsdatacatalog") parts.shift();
      if (parts.length === 1 && ctes.has(parts[0])) {
        out.push(t.text);
      } else {
        const key = parts.length === 2 ? `${parts[0]}.${parts[1]}` : `${database}.${parts[0]}`;
        const name = parts.length <= 2 ? resolve(key) : undefined;
        if (!name)
          throw new QueryFailure(`TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${key}' does not exist`);
        tables.push(key);
        out.push(name);
      }
      i = j;
      prev = "table";
      continue;
    }
    if (t.kind === "word") {
      const lower = t.text.toLowerCase();
      const nextTok = toks.slice(i + 1).find((x) => x.kind !== "space");
      if (nextTok?.text === "(" && !KEYWORDS.has(lower)) {
        const mapped = Object.hasOwn(FUNCTIONS, lower) ? FUNCTIONS[lower] : undefined;
        if (!mapped)
          throw new QueryFailure(
            `FUNCTION_NOT_FOUND: line 1:1: Function '${lower}' not registered (the simulator supports: ${Object.keys(FUNCTIONS).join(", ")})`,
          );
        out.push(
          mapped === "athena_approx_percentile" && secondArgIsArray(toks, i)
            ? "athena_approx_percentiles"
            : mapped,
        );
        prev = lower;
        continue;
      }
      prev = lower;
      out.push(t.text);
      continue;
    }
    prev = t.text.toLowerCase();
    out.push(t.text);
  }
  return { sql: out.join(""), tables };
}
