/**
 * ListObjectsV2 as S3 answers it: keys in UTF-8 binary order, `prefix`, `delimiter` rolling keys up into
 * CommonPrefixes, `start-after`, `max-keys` (default and cap 1000, counting keys and prefixes alike),
 * an opaque continuation token, and `encoding-type=url` (which the AWS CLI always asks for).
 */
import { SimError } from "../../contract.ts";
import type { BucketW } from "../../world.ts";
import { el, elAttrs, renderXml, type XmlChild } from "../../wire/xml.ts";

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

/**
 * UTF-8 byte order without encoding: UTF-16 code-unit order agrees with it except between a surrogate
 * (a character beyond U+FFFF, 4 UTF-8 bytes starting 0xF0) and a unit in U+E000..U+FFFF (3 bytes, 0xEE..0xEF).
 */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

interface Cursor {
  /** The last key or common prefix handed out. */
  last: string;
  prefixRolled: boolean;
}

function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), "utf8").toString("base64");
}

function decodeToken(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as Partial<Cursor>;
    if (typeof c.last === "string" && typeof c.prefixRolled === "boolean") {
      return { last: c.last, prefixRolled: c.prefixRolled };
    }
  } catch {
    // fall through
  }
  throw new SimError("InvalidArgument", "The continuation token provided is incorrect", 400);
}

const urlEncode = (s: string) => encodeURIComponent(s).replace(/%2F/g, "/");

export function listObjectsV2(bucket: BucketW, q: URLSearchParams): string {
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const startAfter = q.get("start-after") ?? "";
  const token = q.get("continuation-token");
  const encoding = q.get("encoding-type");
  if (encoding !== null && encoding !== "url") {
    throw new SimError("InvalidArgument", "Invalid Encoding Method specified in Request", 400);
  }
  const rawMax = q.get("max-keys");
  if (rawMax !== null && !/^\d+$/.test(rawMax)) {
    throw new SimError("InvalidArgument", "Provided max-keys not an integer or within integer range", 400);
  }
  const maxKeys = Math.min(rawMax === null ? 1000 : Number(rawMax), 1000);
  const cursor = token !== null ? decodeToken(token) : undefined;

  const keys = [...bucket.Objects.keys()].filter((k) => k.startsWith(prefix)).sort(byteOrder);
  const contents: string[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let lastOut: Cursor | undefined;
  for (const key of keys) {
    if (cursor) {
      if (byteOrder(key, cursor.last) <= 0) continue;
      if (cursor.prefixRolled && key.startsWith(cursor.last)) continue;
    } else if (startAfter && byteOrder(key, startAfter) <= 0) continue;
    let rolled: string | undefined;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) rolled = key.slice(0, at + delimiter.length);
    }
    if (rolled !== undefined && prefixes[prefixes.length - 1] === rolled) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (rolled !== undefined) {
      prefixes.push(rolled);
      lastOut = { last: rolled, prefixRolled: true };
    } else {
      contents.push(key);
      lastOut = { last: key, prefixRolled: false };
    }
  }
  const enc = (s: string) => (encoding === "url" ? urlEncode(s) : s);
  const children: XmlChild[] = [
    el("Name", bucket.Name),
    el("Prefix", enc(prefix)),
    ...(delimiter ? [el("Delimiter", enc(delimiter))] : []),
    el("MaxKeys", maxKeys),
    ...(encoding ? [el("EncodingType", encoding)] : []),
    el("IsTruncated", truncated),
    el("KeyCount", contents.length + prefixes.length),
    ...(token !== null ? [el("ContinuationToken", token)] : []),
    ...(truncated && lastOut ? [el("NextContinuationToken", encodeToken(lastOut))] : []),
    ...(startAfter && !cursor ? [el("StartAfter", enc(startAfter))] : []),
    ...contents.map((key) => {
      const o = bucket.Objects.get(key)!;
      return el(
        "Contents",
        el("Key", enc(key)),
        el("LastModified", o.LastModified),
        el("ETag", o.ETag),
        el("Size", o.Body.length),
        el("StorageClass", "STANDARD"),
        // S3 computes a full-object CRC64NVME checksum for every new object (since 2025) and lists it.
        el("ChecksumAlgorithm", "CRC64NVME"),
        el("ChecksumType", "FULL_OBJECT"),
      );
    }),
    ...prefixes.map((p) => el("CommonPrefixes", el("Prefix", enc(p)))),
  ];
  return renderXmlWithNs("ListBucketResult", children);
}

export function renderXmlWithNs(root: string, children: XmlChild[]): string {
  return renderXml(elAttrs(root, { xmlns: S3_XMLNS }, children));
}
