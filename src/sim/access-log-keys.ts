/**
 * S3 object keys of ALB access-log files, named the way Elastic Load Balancing names them (alb-facts §1.1):
 *
 *   [prefix/]AWSLogs/ACCT/elasticloadbalancing/REGION/YYYY/MM/DD/
 *     ACCT_elasticloadbalancing_REGION_app.NAME.ID_YYYYMMDDTHHMMZ_NODEIP_RANDOM.log.gz
 *
 * The folder date is the DELIVERY date (files arrive a few minutes after the interval ends), so a file whose
 * interval ends at 00:00Z sits in the next day's folder. The stamp in the file name is the interval END.
 * Keys are bucket-relative (no bucket name). The simulator builds keys with accessLogObjectKey; the log
 * analyzer can read them back with parseAccessLogKey.
 */

export interface AccessLogKeyInput {
  /** The LB's access_logs.s3.prefix; empty or absent means no prefix. Leading/trailing slashes are ignored. */
  prefix?: string;
  accountId: string;
  region: string;
  /** The LB resource id as in the access log's `elb` field and the LoadBalancer dimension: app/NAME/ID. */
  lbResourceId: string;
  /** End of the logging interval. */
  end: Date;
  /** IP address of the LB node that wrote the file. */
  nodeIp: string;
  /** The random suffix AWS appends (a short lowercase alphanumeric string). */
  random: string;
  /** When the file was delivered; default DEFAULT_DELIVERY_DELAY_MS after `end`. */
  deliveredAt?: Date;
}

/** ELB delivers a file a few minutes after its interval ends. */
export const DEFAULT_DELIVERY_DELAY_MS = 2 * 60 * 1000;

export type LogFileKind = "access" | "connection" | "health-check";

const KIND_FILE_PREFIX: Record<LogFileKind, string> = {
  access: "",
  connection: "conn_log_",
  "health-check": "health_check_log_",
};

export interface ParsedAccessLogKey {
  kind: LogFileKind;
  /** The prefix before AWSLogs/, without a trailing slash; "" when none. */
  prefix: string;
  accountId: string;
  region: string;
  /** Delivery date from the folder, YYYY-MM-DD. */
  folderDate: string;
  /** app/NAME/ID */
  lbResourceId: string;
  lbName: string;
  lbId: string;
  /** Interval end. */
  end: Date;
  /** Interval start (AWS writes one file per node per 5 minutes). */
  start: Date;
  nodeIp: string;
  random: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function folderOf(d: Date): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** YYYYMMDDTHHMMZ (UTC, minutes precision) */
export function formatEndStamp(d: Date): string {
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`
  );
}

function parseEndStamp(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function normalizePrefix(prefix: string | undefined): string {
  return (prefix ?? "").replace(/^\/+|\/+$/g, "");
}

/** The key prefix under which one LB's files for one delivery day live (handy for ListObjectsV2 Prefix). */
export function accessLogDayPrefix(input: {
  prefix?: string;
  accountId: string;
  region: string;
  day: Date;
}): string {
  const p = normalizePrefix(input.prefix);
  const base = `AWSLogs/${input.accountId}/elasticloadbalancing/${input.region}/${folderOf(input.day)}/`;
  return p ? `${p}/${base}` : base;
}

export function accessLogObjectKey(input: AccessLogKeyInput, kind: LogFileKind = "access"): string {
  const parts = input.lbResourceId.split("/");
  if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) {
    throw new Error(`lbResourceId must look like app/NAME/ID, got ${JSON.stringify(input.lbResourceId)}`);
  }
  const delivered = input.deliveredAt ?? new Date(input.end.getTime() + DEFAULT_DELIVERY_DELAY_MS);
  const file =
    `${KIND_FILE_PREFIX[kind]}${input.accountId}_elasticloadbalancing_${input.region}_${parts.join(".")}` +
    `_${formatEndStamp(input.end)}_${input.nodeIp}_${input.random}.log.gz`;
  return accessLogDayPrefix({ ...input, day: delivered }) + file;
}

const KEY_RE = new RegExp(
  "^(?:(.*)/)?AWSLogs/([^/]+)/elasticloadbalancing/([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/" +
    "(conn_log_|health_check_log_)?([^_/]+)_elasticloadbalancing_([^_/]+)_" +
    // LB names allow letters, digits and hyphens only, so the first two dots split type.NAME.ID
    "(app|net|gwy)\\.([A-Za-z0-9-]+)\\.([A-Za-z0-9]+)_(\\d{8}T\\d{4}Z)_([0-9A-Fa-f.:]+)_([A-Za-z0-9]+)\\.log\\.gz$",
);

const FILE_PREFIX_KIND: Record<string, LogFileKind> = {
  conn_log_: "connection",
  health_check_log_: "health-check",
};

/** Reads an access-log (or connection/health-check log) object key back; undefined if it is not one. */
export function parseAccessLogKey(key: string): ParsedAccessLogKey | undefined {
  const m = KEY_RE.exec(key);
  if (!m) return undefined;
  const [
    ,
    prefix,
    acct,
    region,
    yyyy,
    mm,
    dd,
    filePrefix,
    fileAcct,
    fileRegion,
    type,
    name,
    id,
    stamp,
    ip,
    rnd,
  ] = m;
  if (fileAcct !== acct || fileRegion !== region) return undefined;
  const end = parseEndStamp(stamp);
  if (!end) return undefined;
  return {
    kind: filePrefix ? FILE_PREFIX_KIND[filePrefix] : "access",
    prefix: prefix ?? "",
    accountId: acct,
    region,
    folderDate: `${yyyy}-${mm}-${dd}`,
    lbResourceId: `${type}/${name}/${id}`,
    lbName: name,
    lbId: id,
    end,
    start: new Date(end.getTime() - 5 * 60 * 1000),
    nodeIp: ip,
    random: rnd,
  };
}

/**
 * A stable stand-in for AWS's random file suffix (8 lowercase alphanumerics) derived from a seed string,
 * so a scenario yields the same keys on every load.
 */
export function stableLogKeyRandom(seed: string): string {
  let h = 2166136261;
  let out = "";
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (let round = 0; out.length < 8; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    let x = h;
    for (let i = 0; i < 4 && out.length < 8; i++) {
      out += alphabet[x % alphabet.length];
      x = Math.floor(x / alphabet.length);
    }
  }
  return out;
}
