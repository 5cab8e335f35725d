/**
 * What happened to one request, as the access log's timing and status fields show it. One function per
 * cause; the patterns follow AWS's field semantics (alb-facts §1.2-§1.3, §3):
 *
 * | Kind                | target:port | req / target / resp time | elb | target | duration (time - creation) |
 * |---------------------|-------------|--------------------------|-----|--------|----------------------------|
 * | normal              | set         | 0.00x / lognormal / 0.00x| 2xx..4xx from target | = elb | sum + transfer   |
 * | keepalive-502       | set         | -1 / -1 / -1             | 502 | -      | a few ms                   |
 * | connect-refused-502 | set         | -1 / -1 / -1             | 502 | -      | about 1 ms                 |
 * | tls-502             | set         | -1 / -1 / -1             | 502 | -      | 5-60 ms (handshake)        |
 * | malformed-502       | set         | 0.00x / >= 0 / -1        | 502 | -      | target time                |
 * | idle-timeout-504    | set         | 0.00x / -1 / -1          | 504 | -      | the LB idle timeout        |
 * | connect-timeout-504 | set         | -1 / -1 / -1             | 504 | -      | 10 s (connect timeout)     |
 * | no-target-503       | -           | -1 / -1 / -1             | 503 | -      | about 0                    |
 * | lambda-error        | -           | 0.00x / >=0 or -1 / -1   | 502 | -      | error_reason = Lambda...   |
 * | target-5xx / 4xx    | set         | 0.00x / lognormal / 0.00x| N   | N      | as normal                  |
 * | client-460          | set         | 0.00x / -1 / -1          | 460 | -      | client's patience < idle   |
 * | client-abort-460    | set         | 0.00x / -1 / -1          | 460 | -      | 2-350 ms (closed at once)  |
 * | protocol-464        | -           | -1 / -1 / -1             | 464 | -      | about 0 (never forwarded)  |
 * | keepalive-502-timed | set         | 0.00x / 0.00x / -1       | 502 | -      | a few ms                   |
 * | worker-stall        | set         | 0.00x / 20-30 s / 0.00x  | 2xx from target | = elb | the wait + answer|
 * | worker-timeout-502  | set         | -1 / -1 / -1             | 502 | -      | the worker timeout (30 s)  |
 * | websocket           | set         | 0.000 / 0.00x / 0.000    | 101 | 101    | connection lifetime        |
 * | websocket-idle      | set         | 0.000 / 0.00x / 0.000    | 101 | 101    | the LB idle timeout        |
 *
 * protocol-464 is not a Kind: the generator writes it on its own when a request's protocol does not fit the
 * chosen group's ProtocolVersion (see protocolMismatch). WebSocket rows have type ws (wss on TLS listeners):
 * one row per connection, written when it closes.
 */
import type { ErrorKind, ErrorSpec } from "./spec.ts";
import type { Rng } from "./random.ts";
import type { Route } from "./routing.ts";

export interface Outcome {
  elbStatus: number;
  /** "-" when the target sent no (valid) response. */
  targetStatus: string;
  requestProcessing: number;
  targetProcessing: number;
  responseProcessing: number;
  /** Seconds from request_creation_time to time. */
  duration: number;
  /** false: the log shows "-" for target:port (no target chosen, or Lambda). */
  targetShown: boolean;
  errorReason: string;
  /** Response size; LB-generated error pages are small. */
  sentBytes: number;
  /** A WebSocket connection: the row's type is ws/wss. */
  webSocket?: boolean;
}

export interface OutcomeContext {
  rng: Rng;
  method: string;
  /** Latency draw for this request's path (seconds). */
  latency: number;
  idleTimeout: number;
  isLambda: boolean;
}

const LB_PAGE_BYTES = 272;
const small = (rng: Rng) => rng.int(0, 2) / 1000;

function normalStatus(rng: Rng, method: string): number {
  const u = rng.next();
  if (u < 0.012) return 404;
  if (u < 0.018) return 401;
  if (u < 0.022) return 400;
  if (method === "GET" && u < 0.06) return 304;
  if (method === "POST") return 201;
  if (method === "DELETE") return 204;
  return 200;
}

function answered(ctx: OutcomeContext, status: number): Outcome {
  const { rng } = ctx;
  const rp = small(rng);
  const resp = rng.next() < 0.9 ? 0 : 0.001;
  const transfer = rng.uniform(0, 0.004);
  const body = status === 304 || status === 204 ? 0 : Math.round(rng.logNormal(1800, 40000));
  return {
    elbStatus: status,
    targetStatus: String(status),
    requestProcessing: rp,
    targetProcessing: ctx.latency,
    responseProcessing: resp,
    duration: rp + ctx.latency + resp + transfer,
    targetShown: true,
    errorReason: "-",
    sentBytes: 180 + rng.int(0, 250) + body,
  };
}

function lbError(status: number, duration: number, targetShown = true): Outcome {
  return {
    elbStatus: status,
    targetStatus: "-",
    requestProcessing: -1,
    targetProcessing: -1,
    responseProcessing: -1,
    duration,
    targetShown,
    errorReason: "-",
    sentBytes: LB_PAGE_BYTES,
  };
}

/**
 * Whether the ALB refuses a request for the group's ProtocolVersion with 464 (alb-facts §3): anything but
 * gRPC to a GRPC group, HTTP/1.1 to an HTTP2 group, gRPC to an HTTP1 group.
 */
export function protocolMismatch(
  protocolVersion: string | undefined,
  req: { grpc: boolean; http2: boolean },
): boolean {
  const v = protocolVersion ?? "HTTP1";
  if (v === "GRPC") return !req.grpc;
  if (v === "HTTP2") return !req.http2;
  return req.grpc;
}

/** The 464 row: the ALB answers itself, no target is chosen. */
export function protocolRefused(rng: Rng): Outcome {
  return lbError(464, rng.uniform(0, 0.001), false);
}

/** A request the LB answers itself (redirect, fixed-response): no target, a small LB-written page. */
export function lbOnly(route: Route, rng: Rng): Outcome {
  const status = route.redirect
    ? Number((route.redirect.StatusCode ?? "HTTP_301").replace("HTTP_", ""))
    : route.fixedStatus!;
  return {
    ...lbError(status, rng.uniform(0, 0.001), false),
    sentBytes: route.redirect ? 150 + rng.int(0, 60) : 120 + rng.int(0, 200),
  };
}

/** Lambda failures where the function never ran (so no target time was measured). */
const LAMBDA_NOT_INVOKED =
  /AccessDenied|BadRequest|ConnectionTimeout|EC2|ENILimit|Invalid(Runtime|SecurityGroup|Subnet|Zip)|KMS|RequestTooLarge|ResourceNotFound|SubnetIPAddress|Throttling/;

export function normalOutcome(ctx: OutcomeContext): Outcome {
  // An answer slower than the idle timeout never arrives: the LB times out first.
  if (ctx.latency >= ctx.idleTimeout) return errorOutcome({ Kind: "idle-timeout-504", Rate: 1 }, ctx);
  const o = answered(ctx, normalStatus(ctx.rng, ctx.method));
  return ctx.isLambda ? { ...o, targetShown: false } : o;
}

export function errorOutcome(spec: ErrorSpec, ctx: OutcomeContext): Outcome {
  const { rng } = ctx;
  const kind: ErrorKind = spec.Kind;
  const fixed = spec.DurationSeconds;
  switch (kind) {
    case "keepalive-502":
      return lbError(502, fixed ?? rng.uniform(0.001, 0.006));
    case "keepalive-502-timed": {
      const rp = small(rng);
      const tp = rng.int(0, 2) / 1000;
      return {
        ...lbError(502, fixed ?? rp + tp + rng.uniform(0.0005, 0.003)),
        requestProcessing: rp,
        targetProcessing: tp,
      };
    }
    case "worker-timeout-502":
      return lbError(502, fixed ?? 30 + rng.uniform(0.001, 0.05));
    case "worker-stall": {
      const wait = fixed ?? rng.uniform(20, 30);
      const latency = Math.min(wait + ctx.latency, ctx.idleTimeout - 0.01);
      return answered({ ...ctx, latency }, 200);
    }
    case "websocket":
    case "websocket-idle": {
      const tp = rng.int(1, 3) / 1000;
      const life =
        fixed ??
        (kind === "websocket-idle"
          ? ctx.idleTimeout + rng.uniform(0.001, 0.3)
          : rng.uniform(2, ctx.idleTimeout * 0.9));
      return {
        elbStatus: 101,
        targetStatus: "101",
        requestProcessing: 0,
        targetProcessing: tp,
        responseProcessing: 0,
        duration: life,
        targetShown: true,
        errorReason: "-",
        sentBytes: 129 + rng.int(0, 4000),
        webSocket: true,
      };
    }
    case "connect-refused-502":
      return lbError(502, fixed ?? rng.uniform(0.0005, 0.002));
    case "tls-502":
      return lbError(502, fixed ?? rng.uniform(0.005, 0.06));
    case "connect-timeout-504":
      return lbError(504, fixed ?? 10 + rng.uniform(0, 0.004));
    case "no-target-503":
      return lbError(503, fixed ?? rng.uniform(0, 0.001), false);
    case "malformed-502": {
      const rp = small(rng);
      const tp = Math.min(ctx.latency, ctx.idleTimeout - 0.01);
      return {
        ...lbError(502, fixed ?? rp + tp + rng.uniform(0, 0.002)),
        requestProcessing: rp,
        targetProcessing: tp,
      };
    }
    case "idle-timeout-504": {
      const rp = small(rng);
      return {
        ...lbError(504, fixed ?? ctx.idleTimeout + rp + rng.uniform(0, 0.004)),
        requestProcessing: rp,
      };
    }
    case "client-460": {
      const rp = small(rng);
      const patience = fixed ?? rng.uniform(1, Math.max(1.5, Math.min(ctx.idleTimeout - 0.5, 30)));
      return { ...lbError(460, patience), requestProcessing: rp, sentBytes: 0 };
    }
    case "client-abort-460": {
      const rp = small(rng);
      return { ...lbError(460, fixed ?? rng.uniform(0.002, 0.35)), requestProcessing: rp, sentBytes: 0 };
    }
    case "lambda-error": {
      const reason = spec.Reason ?? "LambdaUnhandled";
      const rp = small(rng);
      const tp = LAMBDA_NOT_INVOKED.test(reason) ? -1 : Math.max(0.001, ctx.latency);
      const duration = fixed ?? rp + Math.max(tp, 0) + rng.uniform(0, 0.003);
      return {
        ...lbError(502, duration, false),
        requestProcessing: rp,
        targetProcessing: tp,
        errorReason: reason,
      };
    }
    case "target-5xx":
    case "target-4xx": {
      const status = spec.Status ?? (kind === "target-5xx" ? 500 : 404);
      const latency = Math.min(ctx.latency, ctx.idleTimeout - 0.01);
      const o = answered({ ...ctx, latency }, status);
      return { ...o, targetShown: !ctx.isLambda, duration: fixed ?? o.duration };
    }
  }
}
