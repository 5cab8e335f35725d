/**
 * GetObject and HeadObject: the object's bytes (or a single `Range: bytes=a-b | a- | -n` of them, 206 with
 * Content-Range), ETag, Last-Modified and Content-Length; If-Match / If-None-Match; NoSuchKey (404) and
 * InvalidRange (416) as S3 answers them. Access-log objects are stored gzipped and served as they are
 * (no Content-Encoding), exactly as ELB writes them.
 */
import type { SimRequest, SimResponse } from "../../contract.ts";
import type { BucketW } from "../../world.ts";
import { S3Error } from "./errors.ts";

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "invalid" | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Malformed or multi-range headers are ignored by S3: the whole object is returned.
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "invalid";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return undefined;
  if (start >= size) return "invalid";
  return { start, end };
}

export function getObject(bucket: BucketW, key: string, req: SimRequest): SimResponse {
  const obj = bucket.Objects.get(key);
  if (!obj) throw new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
  const size = obj.Body.length;
  const base: Record<string, string> = {
    "content-type": obj.ContentType ?? "application/octet-stream",
    etag: obj.ETag,
    "last-modified": obj.LastModified.toUTCString(),
    "accept-ranges": "bytes",
    "x-amz-bucket-region": bucket.Region,
    "x-amz-server-side-encryption": "AES256",
  };
  const ifMatch = req.headers["if-match"];
  if (ifMatch && ifMatch !== "*" && ifMatch !== obj.ETag) {
    throw new S3Error(
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
      412,
      {
        Condition: "If-Match",
      },
    );
  }
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch && (ifNoneMatch === "*" || ifNoneMatch === obj.ETag)) {
    return { status: 304, headers: { etag: obj.ETag, "last-modified": base["last-modified"] }, body: "" };
  }
  const range = parseRange(req.headers["range"], size);
  if (range === "invalid") {
    throw new S3Error(
      "InvalidRange",
      "The requested range is not satisfiable",
      416,
      {
        RangeRequested: req.headers["range"] ?? "",
        ActualObjectSize: String(size),
      },
      { "content-range": `bytes */${size}` },
    );
  }
  const head = req.method === "HEAD";
  if (range) {
    const part = obj.Body.subarray(range.start, range.end + 1);
    return {
      status: 206,
      headers: {
        ...base,
        "content-range": `bytes ${range.start}-${range.end}/${size}`,
        "content-length": String(part.length),
      },
      body: head ? Buffer.alloc(0) : part,
    };
  }
  return {
    status: 200,
    headers: { ...base, "content-length": String(size) },
    body: head ? Buffer.alloc(0) : obj.Body,
  };
}
