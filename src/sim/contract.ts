/**
 * The contract between the simulator's HTTP server (src/sim/server.ts) and its per-service wire handlers
 * (src/sim/services/*). The server reads the request, finds the service from the SigV4 credential scope
 * (elasticloadbalancing, ec2, monitoring, s3, sts), applies injected faults, logs the call, and hands
 * the request to the service's handler. Handlers parse their protocol, act on the World, and serialize
 * the answer (or a SimError in their protocol's error shape).
 */
import type { SimService } from "./calls.ts";
import type { World } from "./world.ts";

export type { CallLogEntry, SimService } from "./calls.ts";

export interface SimRequest {
  method: string;
  /** Path without the query string, URL-decoded per segment is up to the handler (S3 keys). */
  path: string;
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** Set by the server before the handler runs: the id to echo in the body and the request-id header. */
  requestId?: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export interface HandlerResult {
  response: SimResponse;
  /** The action the handler recognised (for the call log and fault matching), e.g. "DescribeLoadBalancers". */
  action: string;
  /** Parsed input parameters for the call log. */
  params?: Record<string, unknown>;
}

export interface ServiceHandler {
  service: SimService;
  /** Which action a request is, before handling it (so faults can be matched without side effects). */
  actionOf(req: SimRequest): string;
  handle(req: SimRequest, world: World): Promise<HandlerResult> | HandlerResult;
  /** Serialize an error in this protocol's shape (used for injected faults and thrown SimErrors). */
  errorResponse(err: SimError, req: SimRequest): SimResponse;
}

/** An AWS error as the service would answer it: code (ValidationError, LoadBalancerNotFound...), HTTP status, message. */
export class SimError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = "SimError";
    this.code = code;
    this.status = status;
    this.senderFault = status < 500;
  }
}
