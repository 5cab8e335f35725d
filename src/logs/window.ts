/**
 * Which access-log objects hold a window's requests, found from S3 listings alone. Each file covers the
 * 5 minutes before the end stamp in its name, and sits in the folder of the day it was DELIVERED, which
 * can be the next day near midnight (late delivery) — so the day folders from (start - 1 day) to
 * (end + 1 day) are listed in parallel, each with a prefix naming this LB so that other LBs sharing the
 * prefix are never listed, and files are kept by their end stamp.
 */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { lbDayPrefix, lbFileId, parseLogKey } from "./keys.ts";
import { s3Error } from "./s3-errors.ts";
import { stopIfAborted } from "./limit.ts";

export const INTERVAL_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LogLocation {
  bucket: string;
  prefix?: string;
  accountId: string;
  region: string;
  /** app/NAME/ID */
  lbResourceId: string;
}

export interface LogObject {
  key: string;
  size: number;
  endMs: number;
}

/** Day starts (epoch ms, UTC midnight) whose folders may hold files for [startMs, endMs). */
export function dayFoldersFor(startMs: number, endMs: number): number[] {
  const first = Math.floor((startMs - DAY_MS) / DAY_MS) * DAY_MS;
  const last = Math.floor((endMs + DAY_MS) / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = first; d <= last; d += DAY_MS) days.push(d);
  return days;
}

/** A file ending at endStamp holds requests of (endStamp - 5 min, endStamp]: does that meet the window? */
export function fileOverlapsWindow(fileEndMs: number, startMs: number, endMs: number): boolean {
  return fileEndMs > startMs && fileEndMs - INTERVAL_MS <= endMs;
}

export async function listWindowObjects(
  s3: S3Client,
  loc: LogLocation,
  window: { startMs: number; endMs: number },
  signal?: AbortSignal,
): Promise<LogObject[]> {
  const wanted = lbFileId(loc.lbResourceId);
  const prefixes = dayFoldersFor(window.startMs, window.endMs).map((day) =>
    lbDayPrefix(loc.prefix, loc.accountId, loc.region, loc.lbResourceId, day),
  );
  const perDay = await Promise.all(prefixes.map((p) => listAll(s3, loc.bucket, p, signal)));
  const out: LogObject[] = [];
  for (const objects of perDay) {
    for (const o of objects) {
      const k = parseLogKey(o.key);
      if (k === null || k.lbFileId !== wanted) continue;
      if (fileOverlapsWindow(k.endMs, window.startMs, window.endMs)) out.push({ ...o, endMs: k.endMs });
    }
  }
  return out.sort((a, b) => a.endMs - b.endMs || (a.key < b.key ? -1 : 1));
}

async function listAll(
  s3: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
    } catch (e) {
      stopIfAborted(signal);
      throw s3Error(e, "ListObjectsV2", `s3:ListBucket on ${bucket}`);
    }
    for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
