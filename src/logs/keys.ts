/**
 * Reads ALB access-log object keys (alb-facts §1.1) without downloading anything:
 *   [prefix/]AWSLogs/ACCT/elasticloadbalancing/REGION/YYYY/MM/DD/
 *     ACCT_elasticloadbalancing_REGION_app.NAME.ID_YYYYMMDDTHHMMZ_NODEIP_RANDOM.log.gz
 * The folder is the delivery day; the stamp is the end of the 5-minute interval the file covers.
 */

export interface AccessLogKey {
  accountId: string;
  region: string;
  /** "app.NAME.ID" as written in the file name. */
  lbFileId: string;
  /** Interval end, epoch ms. */
  endMs: number;
  nodeIp: string;
}

const FILE_NAME =
  /^(\d{12})_elasticloadbalancing_([a-z0-9-]+)_(app\.[^_]+)_(\d{8}T\d{4}Z)_([^_]+)_([^_]+)\.log(\.gz)?$/;

/** The parts of an access-log key, or null for anything else (connection logs, health-check logs, junk). */
export function parseLogKey(key: string): AccessLogKey | null {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const m = FILE_NAME.exec(name);
  if (!m) return null;
  const endMs = parseStamp(m[4]);
  if (Number.isNaN(endMs)) return null;
  return { accountId: m[1], region: m[2], lbFileId: m[3], endMs, nodeIp: m[5] };
}

/** "20140215T2340Z" -> epoch ms. */
export function parseStamp(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return NaN;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // Date.UTC rolls month 13 into the next year: a stamp must read back as itself.
  const d = new Date(ms);
  const same =
    d.getUTCMonth() + 1 === +m[2] &&
    d.getUTCDate() === +m[3] &&
    d.getUTCHours() === +m[4] &&
    d.getUTCMinutes() === +m[5];
  return same ? ms : NaN;
}

/** "app/NAME/ID" (the elb field / LoadBalancer dimension) -> "app.NAME.ID" (as in file names). */
export function lbFileId(lbResourceId: string): string {
  return lbResourceId.replaceAll("/", ".");
}

/** The folder for one delivery day, ending with "/": "[prefix/]AWSLogs/ACCT/elasticloadbalancing/REGION/YYYY/MM/DD/". */
export function dayFolder(
  prefix: string | undefined,
  accountId: string,
  region: string,
  dayMs: number,
): string {
  const d = new Date(dayMs);
  const p = (prefix ?? "").replace(/^\/+|\/+$/g, "");
  const ymd = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${p ? `${p}/` : ""}AWSLogs/${accountId}/elasticloadbalancing/${region}/${ymd}/`;
}

/** The listing prefix for one LB's files in one day folder (S3 filters by LB for us). */
export function lbDayPrefix(
  prefix: string | undefined,
  accountId: string,
  region: string,
  lbResourceId: string,
  dayMs: number,
): string {
  return `${dayFolder(prefix, accountId, region, dayMs)}${accountId}_elasticloadbalancing_${region}_${lbFileId(lbResourceId)}_`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
