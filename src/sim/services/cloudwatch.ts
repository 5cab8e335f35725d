/**
 * The CloudWatch wire handler, in the three protocols CloudWatch serves, chosen per request:
 *  - AWS JSON 1.0: `X-Amz-Target: GraniteServiceVersion20100801.<Op>`, application/x-amz-json-1.0, timestamps
 *    as epoch seconds (the installed SDK client and the AWS CLI).
 *  - Smithy RPC v2 CBOR: POST /service/GraniteServiceVersion20100801/operation/<Op>, application/cbor,
 *    `smithy-protocol: rpc-v2-cbor`, timestamps as CBOR tag 1 (newer SDKs).
 *  - AWS Query: form `Action=<Op>&Version=2010-08-01`, XML answers (older CLIs and SDKs).
 * CloudWatch is awsQueryCompatible: JSON and CBOR errors carry `x-amzn-query-error: Code;Sender`, from
 * which the SDK restores the query-era error code, next to the `__type` shape name.
 */
import * as cw from "@aws-sdk/client-cloudwatch";
import { GetMetricData$, GetMetricStatistics$ } from "@aws-sdk/client-cloudwatch";
import { cbor, dateToTag } from "@smithy/core/cbor";
import { SimError, type ServiceHandler, type SimRequest, type SimResponse } from "../contract.ts";
import { awsQueryErrorResponse, queryActionOf, requestIdOf } from "../wire/aws-query-handler.ts";
import { parseQueryRequest } from "../wire/query.ts";
import { awsQueryResponse, XML_CONTENT_TYPE } from "../wire/xml.ts";
import {
  inputSchema,
  outputSchema,
  queryToShape,
  shapeToXml,
  type ShapedAction,
} from "../wire/smithy-shapes.ts";
import { getMetricData, getMetricStatistics } from "./cloudwatch/metrics.ts";

export const CLOUDWATCH_XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
const TARGET_PREFIX = "GraniteServiceVersion20100801.";
const CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/";
const NAMESPACE = "com.amazonaws.cloudwatch";

type Protocol = "json" | "cbor" | "query";

const ACTIONS: Record<string, ShapedAction> = {
  GetMetricData: { schema: GetMetricData$, run: getMetricData },
  GetMetricStatistics: { schema: GetMetricStatistics$, run: getMetricStatistics },
};

/** Query error code -> the modeled error shape name (InvalidParameterValue -> InvalidParameterValueException). */
const SHAPE_OF_CODE: Map<string, string> = (() => {
  const map = new Map<string, string>();
  for (const value of Object.values(cw)) {
    if (!Array.isArray(value) || value[0] !== -3 || typeof value[2] !== "string") continue;
    const traits = value[3] as { awsQueryError?: [string, number] } | undefined;
    if (traits?.awsQueryError) map.set(traits.awsQueryError[0], value[2]);
  }
  return map;
})();

function protocolOf(req: SimRequest): Protocol {
  if (req.headers["x-amz-target"]) return "json";
  if (req.path.startsWith(CBOR_PATH)) return "cbor";
  return "query";
}

function actionName(req: SimRequest): string {
  switch (protocolOf(req)) {
    case "json":
      return (req.headers["x-amz-target"] ?? "").replace(TARGET_PREFIX, "");
    case "cbor":
      return req.path.slice(CBOR_PATH.length);
    default:
      return queryActionOf(req);
  }
}

/** Dates -> whatever the protocol writes; undefined members dropped. */
function mapDates(v: unknown, f: (d: Date) => unknown): unknown {
  if (v instanceof Date) return f(v);
  if (Array.isArray(v)) return v.map((x) => mapDates(x, f));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = mapDates(x, f);
    return out;
  }
  return v;
}

function decodeInput(req: SimRequest, protocol: Protocol, def: ShapedAction): Record<string, unknown> {
  try {
    if (protocol === "query") {
      return queryToShape(
        inputSchema(def.schema),
        parseQueryRequest(req.body, req.query).params,
        "awsQuery",
      ) as Record<string, unknown>;
    }
    if (!req.body.length) return {};
    const v =
      protocol === "json"
        ? JSON.parse(req.body.toString("utf8"))
        : cbor.deserialize(new Uint8Array(req.body));
    if (!v || typeof v !== "object") throw new Error("not a structure");
    return v as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SimError) throw e;
    throw new SimError("SerializationException", `Could not read the request body: ${(e as Error).message}`);
  }
}

const CBOR_HEADERS = { "content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor" };
const JSON_HEADERS = { "content-type": "application/x-amz-json-1.0" };

export const cloudwatchHandler: ServiceHandler = {
  service: "cloudwatch",

  actionOf(req) {
    return actionName(req) || "Unknown";
  },

  handle(req, world) {
    const protocol = protocolOf(req);
    const action = actionName(req);
    const def = ACTIONS[action];
    if (!def) {
      throw new SimError(
        protocol === "query" ? "InvalidAction" : "UnknownOperationException",
        `The simulator does not serve CloudWatch ${action || "(no action)"}.`,
      );
    }
    const input = decodeInput(req, protocol, def);
    const output = def.run(input, world);
    let response: SimResponse;
    if (protocol === "json") {
      const body = JSON.stringify(mapDates(output, (d) => d.getTime() / 1000));
      response = { status: 200, headers: JSON_HEADERS, body };
    } else if (protocol === "cbor") {
      const body = Buffer.from(cbor.serialize(mapDates(output, dateToTag)));
      response = { status: 200, headers: CBOR_HEADERS, body };
    } else {
      const members = shapeToXml(outputSchema(def.schema), output, "awsQuery");
      response = {
        status: 200,
        headers: { "content-type": XML_CONTENT_TYPE },
        body: awsQueryResponse(action, CLOUDWATCH_XMLNS, members, requestIdOf(req)),
      };
    }
    return { action, params: input, response };
  },

  errorResponse(err: SimError, req: SimRequest): SimResponse {
    const protocol = protocolOf(req);
    if (protocol === "query") return awsQueryErrorResponse(err, req, CLOUDWATCH_XMLNS);
    const shape = SHAPE_OF_CODE.get(err.code) ?? err.code;
    const payload = { __type: `${NAMESPACE}#${shape}`, message: err.message };
    const compat = { "x-amzn-query-error": `${err.code};${err.senderFault ? "Sender" : "Receiver"}` };
    return protocol === "json"
      ? { status: err.status, headers: { ...JSON_HEADERS, ...compat }, body: JSON.stringify(payload) }
      : {
          status: err.status,
          headers: { ...CBOR_HEADERS, ...compat },
          body: Buffer.from(cbor.serialize(payload)),
        };
  },
};
