/**
 * The Athena query (Trino's dialect) that answers a window's LogSummary in one scan: one aggregation with
 * GROUPING SETS, one set per question (status, target status, error reason, class, the ALB's own 502/504
 * durations, and per target, target group, path pattern and minute: requests, errors, classes and target
 * times; agents; WebSocket clients and paths; latency quantiles; samples). The expressions mirror
 * src/logs/classify.ts, path-pattern.ts and aggregate.ts; a test holds the two engines to the same summary
 * on every shipped scenario. The window is restricted by the projected day partitions, the files' own
 * names ("$path": this LB's files whose 5-minute interval meets the window) and each line's time.
 */
import { CONNECT_TIMEOUT_SECONDS, idleTolerance } from "../classify.ts";
import { SLOW_SECONDS } from "../buckets.ts";

export interface WindowQuery {
  database: string;
  table: string;
  /** Projected partition values ("2026/03/15"). */
  days: string[];
  accountId: string;
  region: string;
  /** "app.NAME.ID", as in file names. */
  lbFileId: string;
  startMs: number;
  endMs: number;
  idleTimeoutSeconds: number;
}

/** The grouped columns, in the order grouping() reports them (leftmost = highest bit). */
export const GROUP_KEYS = [
  "s_k",
  "ts_k",
  "reason_k",
  "cls_k",
  "errsec_k",
  "target_k",
  "tg_k",
  "path_k",
  "minute_k",
  "agent_k",
  "wsclient_k",
  "wspath_k",
] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** The sets, as lists of keys; the summary mapper recognises each by its keys. */
export const GROUPING_SETS: GroupKey[][] = [
  [],
  ["s_k"],
  ["ts_k"],
  ["reason_k"],
  ["cls_k"],
  ["s_k", "errsec_k"],
  ...(["target_k", "tg_k", "path_k", "minute_k"] as const).flatMap((k): GroupKey[][] => [
    [k],
    [k, "s_k"],
    [k, "cls_k"],
  ]),
  ["agent_k", "s_k", "cls_k"],
  ["wsclient_k"],
  ["wspath_k"],
];

const str = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** A double literal in Trino (a plain 1.5 is a DECIMAL). */
const dbl = (x: number) => `${x}E0`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

const ISO = String.raw`^\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,15})?Z$`;

/**
 * Epoch milliseconds of an ISO time column, computed as the streaming parser does (whole seconds in ms,
 * plus the fraction times 1000), so both engines put a line on the same side of a window bound.
 */
function epochMs(col: string): string {
  return (
    `(to_unixtime(from_iso8601_timestamp(substr(${col}, 1, 19) || 'Z')) * 1000E0 + ` +
    `coalesce(TRY_CAST('0' || regexp_extract(${col}, '(\\.\\d+)Z$', 1) AS double), 0E0) * 1000E0)`
  );
}

/** The stamp in a file name as "YYYYMMDDTHHMM" (string order is time order). */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, "");
}

function classify(idle: number, tol: number): string {
  return `CASE
      WHEN s = 460 THEN 'client-closed'
      WHEN s = 464 THEN 'protocol-mismatch'
      WHEN ts BETWEEN 500 AND 599 THEN 'target-5xx'
      WHEN s = 505 AND ts IS NULL THEN 'protocol-mismatch'
      WHEN reason LIKE 'Lambda%' THEN 'lambda-error'
      WHEN reason LIKE 'Auth%' THEN 'auth-error'
      WHEN reason LIKE 'WAF%' THEN 'waf-error'
      WHEN s = 561 THEN 'auth-error'
      WHEN strpos(coalesce(actions, ''), 'fixed-response') > 0 THEN 'elb-5xx-other'
      WHEN ts IS NOT NULL THEN 'elb-5xx-other'
      WHEN s = 503 AND target = '-' THEN 'elb-503-no-target'
      WHEN s = 502 AND target <> '-' AND tpt >= 0 THEN 'elb-502-malformed-response'
      WHEN s = 502 AND target <> '-' THEN 'elb-502-target-closed'
      WHEN s = 504 AND abs(d - ${dbl(idle)}) <= ${dbl(tol)} THEN 'elb-504-idle-timeout'
      WHEN s = 504 AND (tpt IS NULL OR tpt < 0) AND abs(d - ${dbl(CONNECT_TIMEOUT_SECONDS)}) <= 1.5E0
        THEN 'elb-504-connect-timeout'
      WHEN s = 504 THEN 'elb-504-other'
      ELSE 'elb-5xx-other'
    END`;
}

/** urlPath + pathPattern of path-pattern.ts over the request's URL part (after the method's space). */
const PATH_NAME = `CASE WHEN url = '-' THEN '-' ELSE array_join(transform(split(
      CASE
        WHEN regexp_like(url, '^[\\s\\S]{0,9}?://')
          THEN coalesce(regexp_extract(url, '^[\\s\\S]{0,9}?://[^/ ]*(/[^?# ]*)', 1), '/')
        WHEN regexp_extract(url, '^[^?# ]*') = '' THEN '/'
        ELSE regexp_extract(url, '^[^?# ]*')
      END, '/'), x -> CASE WHEN regexp_like(x, '^[0-9]+$')
        OR regexp_like(x, '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
        THEN ':id' ELSE x END), '/') END`;

export function summaryQuery(q: WindowQuery): string {
  const idle = q.idleTimeoutSeconds;
  const tol = idleTolerance({ idleTimeoutSeconds: idle });
  const file = `/${q.accountId}_elasticloadbalancing_${q.region}_${q.lbFileId}_`.replace(/[.]/g, "\\.");
  const fileStamp = `regexp_extract("$path", '${file}(\\d{8}T\\d{4})Z_[^_/]+_[^_/]+\\.log(\\.gz)?$', 1)`;
  const firstMinute = Math.floor(q.startMs / 60000) * 60000;
  const lastMinute = (Math.floor(q.endMs / 60000) + 5) * 60000;
  const answered = "inw AND ts IS NOT NULL AND tpt >= 0";
  const atIdle = `ws AND abs(d - ${dbl(idle)}) <= ${dbl(tol)}`;
  const sets = GROUPING_SETS.map((s) => `(${s.join(", ")})`).join(", ");
  return `WITH f AS (
  SELECT * FROM ${ident(q.database)}.${ident(q.table)}
  WHERE day IN (${q.days.map(str).join(", ")})
    AND ${fileStamp} > ${str(stamp(firstMinute))} AND ${fileStamp} <= ${str(stamp(lastMinute))}
),
p AS (
  SELECT line, type, client, target, target_group_arn AS tg, request, user_agent, "$path" AS path,
    coalesce(TRY_CAST(elb_status_code AS integer), 0) AS s,
    TRY_CAST(target_status_code AS integer) AS ts,
    TRY_CAST(target_processing_time AS double) AS tpt,
    NULLIF(error_reason, '-') AS reason,
    NULLIF(actions_executed, '-') AS actions,
    substr("time", 1, 16) || 'Z' AS minute,
    CASE WHEN type IS NOT NULL THEN ${epochMs('"time"')} END AS t_ms,
    CASE WHEN regexp_like(request_creation_time, '${ISO}') THEN ${epochMs("request_creation_time")} END AS c_ms,
    CASE WHEN strpos(request, ' ') = 0 THEN substr(request, length(request))
      ELSE substr(request, strpos(request, ' ') + 1) END AS url
  FROM f
),
w AS (
  SELECT *, (t_ms - c_ms) / 1000E0 AS d, coalesce(t_ms >= ${dbl(q.startMs)} AND t_ms < ${dbl(q.endMs)}, false) AS inw
  FROM p
),
c AS (
  SELECT *,
    CASE WHEN inw AND (s BETWEEN 500 AND 599 OR s IN (460, 464)) THEN ${classify(idle, tol)} END AS cls,
    inw AND s = 101 AND type IN ('ws', 'wss') AS ws,
    CASE WHEN inw THEN ${PATH_NAME} END AS pathname
  FROM w
),
k AS (
  SELECT *,
    CASE WHEN inw AND s BETWEEN 0 AND 999 THEN s END AS s_k,
    CASE WHEN inw AND ts BETWEEN 0 AND 999 THEN ts END AS ts_k,
    CASE WHEN inw THEN reason END AS reason_k,
    cls AS cls_k,
    CASE WHEN s IN (502, 504) AND ts IS NULL AND d >= 1 AND cls IS NOT NULL
      THEN CAST(least(4000E0, floor(d)) AS bigint) END AS errsec_k,
    CASE WHEN inw THEN target END AS target_k,
    CASE WHEN inw THEN tg END AS tg_k,
    pathname AS path_k,
    CASE WHEN inw THEN minute END AS minute_k,
    CASE WHEN cls IN ('client-closed', 'protocol-mismatch') THEN
      CASE WHEN regexp_extract(url, ' ([^ ]*)$', 1) LIKE 'HTTP/%' THEN regexp_extract(url, ' ([^ ]*)$', 1) ELSE '-' END
      || ' ' || substr(user_agent, 1, 160) END AS agent_k,
    CASE WHEN ${atIdle} THEN
      CASE WHEN regexp_like(client, '^.+:') THEN regexp_extract(client, '^(.*):[^:]*$', 1) ELSE client END
    END AS wsclient_k,
    CASE WHEN ${atIdle} THEN pathname END AS wspath_k
  FROM c
)
SELECT grouping(${GROUP_KEYS.join(", ")}) AS g,
  ${GROUP_KEYS.map((c) => `CAST(${c} AS varchar) AS ${c}`).join(", ")},
  count_if(inw) AS n,
  count_if(line <> '') AS lines_total,
  count_if(type IS NULL AND line <> '') AS lines_malformed,
  count_if(${answered}) AS answered,
  sum(CASE WHEN ${answered} THEN round(tpt * 1E6) END) AS answered_us,
  max(CASE WHEN ${answered} THEN tpt END) AS answered_max,
  count_if(${answered} AND tpt >= ${dbl(SLOW_SECONDS)}) AS slow,
  sum(CASE WHEN cls = 'elb-502-malformed-response' THEN round(tpt * 1E6) END) AS measured_us,
  min(CASE WHEN inw AND tg <> '-' THEN tg END) AS path_group,
  count_if(inw AND tpt >= 0) AS tpt_n,
  approx_percentile(CASE WHEN inw AND tpt >= 0 THEN tpt END, ARRAY[0.5E0, 0.9E0, 0.99E0]) AS tpt_q,
  max(CASE WHEN inw AND tpt >= 0 THEN tpt END) AS tpt_max,
  count_if(inw AND d >= 0) AS d_n,
  approx_percentile(CASE WHEN inw AND d >= 0 THEN d END, ARRAY[0.5E0, 0.9E0, 0.99E0]) AS d_q,
  max(CASE WHEN inw AND d >= 0 THEN d END) AS d_max,
  array_join(min_by(line, CASE WHEN cls IS NOT NULL THEN t_ms END, 3), chr(10)) AS samples,
  array_join(min_by(substr(line, 1, 2000), CASE WHEN type IS NULL AND line <> '' THEN path END, 3), chr(10)) AS malformed_samples,
  count_if(ws) AS ws_n,
  max(CASE WHEN ws THEN d END) AS ws_max,
  count_if(ws AND d > ${dbl(idle + tol)}) AS ws_longer,
  count_if(${atIdle}) AS ws_idle
FROM k
GROUP BY GROUPING SETS (${sets})`;
}
