/**
 * A ServiceHandler for an awsQuery service (ELBv2, STS; CloudWatch's legacy protocol) from a table of
 * actions. Each action gets the nested params and the World and returns the members of its Result
 * (a plain object serialized with <member> lists) or throws a SimError; this wraps them in the
 * protocol's envelopes. An unknown action is InvalidAction, as AWS answers.
 */
import { randomUUID } from "node:crypto";
import type { HandlerResult, ServiceHandler, SimRequest, SimResponse, SimService } from "../contract.ts";
import { SimError } from "../contract.ts";
import type { World } from "../world.ts";
import { parseQueryRequest, type QueryParams } from "./query.ts";
import {
  awsQueryError,
  awsQueryResponse,
  AWS_QUERY,
  fieldsToXml,
  XML_CONTENT_TYPE,
  type XmlChild,
} from "./xml.ts";

export type QueryAction = (
  params: QueryParams,
  world: World,
  req: SimRequest,
) => Record<string, unknown> | { xml: XmlChild[] };

export interface AwsQueryServiceSpec {
  service: SimService;
  /** The XML namespace of responses, e.g. http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/ */
  xmlns: string;
  actions: Record<string, QueryAction>;
}

export function requestIdOf(req: SimRequest): string {
  return req.requestId ?? randomUUID();
}

export function awsQueryErrorResponse(err: SimError, req: SimRequest, xmlns?: string): SimResponse {
  return {
    status: err.status,
    headers: { "content-type": XML_CONTENT_TYPE },
    body: awsQueryError(
      { code: err.code, message: err.message, senderFault: err.senderFault },
      requestIdOf(req),
      xmlns,
    ),
  };
}

/** The action of a query-protocol request (form body or URL query). */
export function queryActionOf(req: SimRequest): string {
  return parseQueryRequest(req.body, req.query).action;
}

export function createAwsQueryHandler(spec: AwsQueryServiceSpec): ServiceHandler {
  return {
    service: spec.service,
    actionOf: queryActionOf,
    handle(req: SimRequest, world: World): HandlerResult {
      const { action, params } = parseQueryRequest(req.body, req.query);
      const run = Object.hasOwn(spec.actions, action) ? spec.actions[action] : undefined;
      if (!run) {
        const what = action
          ? `The action ${action} is not valid for this web service.`
          : "Missing Action parameter.";
        throw new SimError(action ? "InvalidAction" : "MissingAction", what);
      }
      const out = run(params, world, req);
      const members =
        "xml" in out && Array.isArray(out.xml) ? (out.xml as XmlChild[]) : fieldsToXml(out, AWS_QUERY);
      return {
        action,
        params,
        response: {
          status: 200,
          headers: { "content-type": XML_CONTENT_TYPE },
          body: awsQueryResponse(action, spec.xmlns, members, requestIdOf(req)),
        },
      };
    },
    errorResponse: (err, req) => awsQueryErrorResponse(err, req),
  };
}
