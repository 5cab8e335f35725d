/**
 * The simulator's HTTP server. For each request: find the service (SigV4 credential scope, or the
 * protocol's own markers when unsigned), ask its handler which action it is, apply injected faults
 * (latency, then an error in the service's own error shape, `Times` counted), let the handler answer,
 * add the request-id header, and append the call to world.callLog.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { ServiceHandler, SimRequest, SimResponse, SimService } from "./contract.ts";
import { SimError } from "./contract.ts";
import type { FaultW, World } from "./world.ts";
import { faultError } from "./faults.ts";
import { worldFor } from "./accounts.ts";
import { accountClock } from "./clock.ts";

const SCOPE_SERVICES: Record<string, SimService> = {
  elasticloadbalancing: "elbv2",
  ec2: "ec2",
  monitoring: "cloudwatch",
  s3: "s3",
  sts: "sts",
  cloudtrail: "cloudtrail",
  autoscaling: "autoscaling",
  ecs: "ecs",
  athena: "athena",
};

const QUERY_VERSIONS: Record<string, SimService> = {
  "2015-12-01": "elbv2",
  "2016-11-15": "ec2",
  "2010-08-01": "cloudwatch",
  "2011-06-15": "sts",
  "2011-01-01": "autoscaling",
};

/** X-Amz-Target prefixes of the AWS JSON 1.1 services (unsigned requests; the AWS CLI signs). */
const JSON_TARGETS: [string, SimService][] = [
  ["CloudTrail_20131101.", "cloudtrail"],
  ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", "cloudtrail"],
  ["AmazonEC2ContainerServiceV20141113.", "ecs"],
  ["AmazonAthena.", "athena"],
];

/** The service a request is for: the SigV4 scope, else protocol markers (unsigned requests). */
export function serviceOf(req: SimRequest): SimService | undefined {
  const auth = req.headers["authorization"] ?? "";
  const scope =
    /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] ??
    /^[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/.exec(req.query.get("X-Amz-Credential") ?? "")?.[1];
  if (scope) return SCOPE_SERVICES[scope];
  const target = req.headers["x-amz-target"] ?? "";
  if (
    target.startsWith("GraniteServiceVersion20100801") ||
    req.path.startsWith("/service/GraniteServiceVersion20100801")
  ) {
    return "cloudwatch";
  }
  const json = JSON_TARGETS.find(([prefix]) => target.startsWith(prefix));
  if (json) return json[1];
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/x-www-form-urlencoded") || req.query.has("Action")) {
    const form = new URLSearchParams(req.body.toString("utf8"));
    const version = form.get("Version") ?? req.query.get("Version") ?? "";
    return QUERY_VERSIONS[version];
  }
  return "s3";
}

export interface SimServerOptions {
  /** The World to serve; read through this function so a reload can swap it. */
  world: () => World;
  handlers: ServiceHandler[];
  port?: number;
  host?: string;
}

export interface SimServer {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const handlers = new Map(options.handlers.map((h) => [h.service, h]));
  const server: Server = createServer((req, res) => {
    void serve(req, res, options.world(), handlers).catch((e) => {
      // Only reached when writing the answer itself failed; the client sees a dropped connection.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`simulator error: ${(e as Error).message}`);
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const MAX_CALL_LOG = 100_000;

/** Far above any request the project sends; a bigger body is refused instead of buffered. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function newRequestId(service: SimService | undefined): string {
  return service === "s3" ? randomBytes(8).toString("hex").toUpperCase() : randomUUID();
}

/** Faults that apply to this call: matching service and action, and not used up. */
function activeFaults(world: World, service: SimService, action: string): FaultW[] {
  return world.faults.filter(
    (f) =>
      f.Service === service &&
      (f.Action === "*" || f.Action === action) &&
      (f.Times === undefined || f.fired < f.Times),
  );
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  root: World,
  handlers: Map<SimService, ServiceHandler>,
): Promise<void> {
  const started = performance.now();
  // Prefixing (not resolving against a base) keeps a path like //bucket/key a path, not a host.
  const url = new URL(`http://simulator${req.url?.startsWith("/") ? req.url : "/"}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  const body = await readBody(req);
  if (!body) {
    res.writeHead(413, { "content-type": "text/plain", connection: "close" });
    res.end(`request body over ${MAX_BODY_BYTES} bytes\n`);
    return;
  }
  const simReq: SimRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    rawPath: (req.url ?? "/").split("?")[0],
    query: url.searchParams,
    headers,
    body,
  };
  const service = serviceOf(simReq);
  simReq.requestId = newRequestId(service);
  // The account (and region) the request's credentials reach; its own faults and call log apply.
  const world = worldFor(root, simReq);
  const handler = service ? handlers.get(service) : undefined;
  if (!service || !handler) {
    send(res, simReq, service, accountClock(world), {
      status: 400,
      headers: { "content-type": "text/plain" },
      body: `The simulator does not serve ${service ?? "this request"} (no handler).\n`,
    });
    return;
  }

  let action = "Unknown";
  let response: SimResponse;
  let errorCode: string | undefined;
  let params: Record<string, unknown> | undefined;
  try {
    action = handler.actionOf(simReq) || "Unknown";
    const faults = activeFaults(world, service, action);
    const latency = faults.reduce((sum, f) => sum + (f.LatencyMs ?? 0), 0);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const failing = faults.find((f) => f.Error !== undefined);
    for (const f of faults) if (f === failing || (f.Error === undefined && f.Times !== undefined)) f.fired++;
    if (failing) throw faultError(failing, service, action, world);
    const result = await handler.handle(simReq, world);
    action = result.action;
    params = result.params;
    response = result.response;
  } catch (e) {
    const err =
      e instanceof SimError
        ? e
        : new SimError("InternalFailure", `The simulator failed: ${(e as Error)?.message ?? String(e)}`, 500);
    errorCode = err.code;
    response = handler.errorResponse(err, simReq);
  }
  send(res, simReq, service, accountClock(world), response);
  // A long-running `alb-doctor sim` must not grow without bound: keep the most recent calls.
  if (world.callLog.length >= MAX_CALL_LOG) world.callLog.splice(0, world.callLog.length - MAX_CALL_LOG + 1);
  world.callLog.push({
    seq: (world.callLog.at(-1)?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    service,
    action,
    ...(params ? { params } : {}),
    status: response.status,
    ...(errorCode ? { errorCode } : {}),
    latencyMs: Math.round(performance.now() - started),
    requestId: simReq.requestId,
  });
}

function send(
  res: ServerResponse,
  req: SimRequest,
  service: SimService | undefined,
  clock: Date,
  r: SimResponse,
): void {
  const headers: Record<string, string> = { ...r.headers };
  const lower = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
  // AWS dates its answers by its own clock; so does the simulated account (Node would use the wall clock),
  // so a client can see that the account's time is not its own. Errors go undated: the SDK retries an error
  // whose Date shows a skew once ("clock skew corrected"), which would fire an injected fault twice.
  if (r.status < 400 && !lower.has("date")) headers["date"] = clock.toUTCString();
  else if (r.status >= 400) res.sendDate = false;
  if (service === "s3") {
    if (!lower.has("x-amz-request-id")) headers["x-amz-request-id"] = req.requestId ?? "";
    if (!lower.has("x-amz-id-2")) headers["x-amz-id-2"] = randomBytes(24).toString("base64");
  } else if (!lower.has("x-amzn-requestid")) {
    headers["x-amzn-RequestId"] = req.requestId ?? "";
  }
  const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body;
  if (!lower.has("content-length")) headers["content-length"] = String(body.length);
  res.writeHead(r.status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
