/**
 * A ServiceHandler for an AWS JSON 1.1 service (CloudTrail, ECS) from a table of actions: the action is the
 * last part of `X-Amz-Target`, the input is the JSON body, timestamps travel as epoch seconds both ways, and
 * errors are `{ "__type": "...", "message": "..." }` with the HTTP status, as the SDK's JSON protocol reads them.
 */
import {
  SimError,
  type HandlerResult,
  type ServiceHandler,
  type SimRequest,
  type SimResponse,
  type SimService,
} from "../contract.ts";
import type { World } from "../world.ts";

export type JsonAction = (
  input: Record<string, unknown>,
  world: World,
  req: SimRequest,
) => Record<string, unknown>;

export interface AwsJsonServiceSpec {
  service: SimService;
  /** For error shapes: `com.amazonaws.ecs#ClusterNotFoundException`. */
  namespace: string;
  actions: Record<string, JsonAction>;
}

const JSON_HEADERS = { "content-type": "application/x-amz-json-1.1" };

export function jsonActionOf(req: SimRequest): string {
  const target = req.headers["x-amz-target"] ?? "";
  return target.slice(target.lastIndexOf(".") + 1);
}

/** Dates -> epoch seconds (what AWS JSON protocols write); undefined members dropped. */
export function toJsonWire(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(toJsonWire);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonWire(x);
    return out;
  }
  return v;
}

export function createAwsJsonHandler(spec: AwsJsonServiceSpec): ServiceHandler {
  return {
    service: spec.service,
    actionOf: jsonActionOf,
    handle(req: SimRequest, world: World): HandlerResult {
      const action = jsonActionOf(req);
      const run = Object.hasOwn(spec.actions, action) ? spec.actions[action] : undefined;
      if (!run)
        throw new SimError(
          "UnknownOperationException",
          `The simulator does not serve ${action || "(no action)"}.`,
        );
      let input: Record<string, unknown>;
      try {
        const parsed: unknown = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not a structure");
        input = parsed as Record<string, unknown>;
      } catch (e) {
        throw new SimError(
          "SerializationException",
          `Could not read the request body: ${(e as Error).message}`,
        );
      }
      const output = run(input, world, req);
      return {
        action,
        params: input,
        response: { status: 200, headers: JSON_HEADERS, body: JSON.stringify(toJsonWire(output)) },
      };
    },
    errorResponse(err: SimError): SimResponse {
      return {
        status: err.status,
        headers: JSON_HEADERS,
        body: JSON.stringify({ __type: `${spec.namespace}#${err.code}`, message: err.message }),
      };
    },
  };
}

/** Input helpers: AWS's validation wording for the few checks the simulator makes. */
export function optionalNumber(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new SimError(
      "InvalidParameterException",
      `${name} must be an integer from ${min} to ${max}, got ${String(v)}.`,
    );
  }
  return v;
}

export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new SimError("InvalidParameterException", `${name} must be a string.`);
  return v;
}

/** Epoch seconds (the SDK's wire form) or an ISO string (hand-written requests). */
export function optionalTime(input: Record<string, unknown>, name: string): Date | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const d = typeof v === "number" ? new Date(v * 1000) : typeof v === "string" ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new SimError("InvalidTimeRangeException", `${name} is not a valid time.`);
  return d;
}
