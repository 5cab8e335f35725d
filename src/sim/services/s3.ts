/**
 * The S3 wire handler (REST-XML): path-style `/bucket/key` (and virtual-hosted `bucket.host/key`),
 * ListObjectsV2, GetObject (with Range), HeadObject, GetBucketPolicy, GetBucketLocation, HeadBucket and
 * ListBuckets. Errors are S3's `<Error><Code/><Message/>...<RequestId/></Error>` with S3's status codes;
 * HEAD errors carry no body (the SDK then names them by status, e.g. NotFound).
 */
import { randomBytes } from "node:crypto";
import { SimError, type ServiceHandler, type SimRequest, type SimResponse } from "../contract.ts";
import type { BucketW, World } from "../world.ts";
import { el, renderXml, XML_CONTENT_TYPE, type XmlChild } from "../wire/xml.ts";
import { listObjectsV2, renderXmlWithNs } from "./s3/list.ts";
import { getObject } from "./s3/objects.ts";
import { S3Error } from "./s3/errors.ts";

export { S3Error };

interface Target {
  bucket?: string;
  key?: string;
}

const IP_HOST = /^(\d{1,3}\.){3}\d{1,3}(:\d+)?$|^\[|^localhost(:\d+)?$/;

function targetOf(req: SimRequest, world: World): Target {
  const host = req.headers["host"] ?? "";
  const raw = req.rawPath.split("?")[0];
  // Virtual-hosted style: the first label of the Host names a bucket the account has.
  if (host && !IP_HOST.test(host)) {
    const label = host.split(".")[0];
    if (world.buckets.has(label) && host.includes(".")) {
      const key = raw.replace(/^\//, "");
      return { bucket: label, key: key ? decodeURIComponent(key) : undefined };
    }
  }
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(raw);
  if (!m) return {};
  return { bucket: decodeURIComponent(m[1]), key: m[2] ? decodeURIComponent(m[2]) : undefined };
}

function actionFor(req: SimRequest, t: Target): string {
  const q = req.query;
  const head = req.method === "HEAD";
  if (!t.bucket) return "ListBuckets";
  if (t.key) return head ? "HeadObject" : req.method === "GET" ? "GetObject" : `${req.method}Object`;
  if (head) return "HeadBucket";
  if (q.has("policy")) return req.method === "GET" ? "GetBucketPolicy" : `${req.method}BucketPolicy`;
  if (q.has("location")) return "GetBucketLocation";
  if (req.method === "GET") return q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
  return `${req.method}Bucket`;
}

function regionOfRequest(req: SimRequest): string | undefined {
  const auth = req.headers["authorization"] ?? "";
  return (
    /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(auth)?.[1] ??
    /^[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request$/.exec(req.query.get("X-Amz-Credential") ?? "")?.[1]
  );
}

function bucketOf(world: World, req: SimRequest, name: string): BucketW {
  const bucket = world.buckets.get(name);
  if (!bucket) {
    throw new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: name });
  }
  const region = regionOfRequest(req);
  if (region && region !== bucket.Region) {
    throw new S3Error(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; the region '${region}' is wrong; expecting '${bucket.Region}'`,
      400,
      { Region: bucket.Region },
      { "x-amz-bucket-region": bucket.Region },
    );
  }
  return bucket;
}

const xmlOk = (body: string, extra: Record<string, string> = {}): SimResponse => ({
  status: 200,
  headers: { "content-type": "application/xml", ...extra },
  body,
});

function listBuckets(world: World): SimResponse {
  const buckets: XmlChild[] = [...world.buckets.values()]
    .sort((a, b) => (a.Name < b.Name ? -1 : 1))
    .map((b) =>
      el(
        "Bucket",
        el("Name", b.Name),
        el("CreationDate", new Date("2026-01-01T00:00:00Z")),
        el("BucketRegion", b.Region),
      ),
    );
  return xmlOk(
    renderXmlWithNs("ListAllMyBucketsResult", [
      el("Owner", el("ID", `${world.accountId}canonical`), el("DisplayName", "simulator")),
      el("Buckets", buckets),
    ]),
  );
}

export const s3Handler: ServiceHandler = {
  service: "s3",

  actionOf(req) {
    // Faults are matched before the world is consulted; path-style is enough to name the action.
    const m = /^\/([^/?]+)(?:\/([^?]*))?/.exec(req.rawPath);
    return actionFor(req, { bucket: m?.[1], key: m?.[2] || undefined });
  },

  handle(req, world) {
    const t = targetOf(req, world);
    const action = actionFor(req, t);
    const params = { Bucket: t.bucket, Key: t.key, ...Object.fromEntries(req.query) };
    const done = (response: SimResponse) => ({ action, params, response });
    if (action === "ListBuckets") return done(listBuckets(world));
    const bucket = bucketOf(world, req, t.bucket!);
    const region = { "x-amz-bucket-region": bucket.Region };
    switch (action) {
      case "ListObjectsV2":
        return done(xmlOk(listObjectsV2(bucket, req.query), region));
      case "GetObject":
      case "HeadObject":
        return done(getObject(bucket, t.key!, req));
      case "HeadBucket":
        return done({ status: 200, headers: { ...region, "x-amz-access-point-alias": "false" }, body: "" });
      case "GetBucketLocation":
        return done(
          xmlOk(renderXmlWithNs("LocationConstraint", bucket.Region === "us-east-1" ? [] : [bucket.Region])),
        );
      case "GetBucketPolicy":
        if (bucket.Policy === undefined) {
          throw new S3Error("NoSuchBucketPolicy", "The bucket policy does not exist", 404, {
            BucketName: bucket.Name,
          });
        }
        return done({
          status: 200,
          headers: { "content-type": "application/json", ...region },
          body: bucket.Policy,
        });
      default:
        throw new S3Error("NotImplemented", `The simulator does not serve S3 ${action}.`, 501);
    }
  },

  errorResponse(err: SimError, req: SimRequest): SimResponse {
    const extra = err instanceof S3Error ? err.extra : {};
    const headers = err instanceof S3Error ? err.headers : {};
    if (req.method === "HEAD") {
      return { status: err.status, headers: { ...headers }, body: "" };
    }
    const body = renderXml(
      el(
        "Error",
        el("Code", err.code),
        el("Message", err.message),
        Object.entries(extra).map(([k, v]) => el(k, v)),
        el("RequestId", req.requestId ?? ""),
        el("HostId", randomBytes(24).toString("base64")),
      ),
    );
    return { status: err.status, headers: { "content-type": XML_CONTENT_TYPE, ...headers }, body };
  },
};
