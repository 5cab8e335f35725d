/**
 * The EC2 wire handler (ec2Query protocol): form-encoded `Action=...&Version=2016-11-15` requests, XML
 * answers `<XResponse><requestId/>...members...</XResponse>` with lists as <item>, and errors as
 * `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`, which the SDK
 * turns into its named exceptions by Code. Requests are read and answers written through the SDK's own
 * operation schemas (wire/smithy-shapes.ts), so member names match AWS's exactly.
 */
import {
  AuthorizeSecurityGroupIngress$,
  DescribeInstances$,
  DescribeNetworkAcls$,
  DescribeNetworkInterfaces$,
  DescribeSecurityGroupRules$,
  DescribeSecurityGroups$,
  DescribeSubnets$,
  RevokeSecurityGroupIngress$,
} from "@aws-sdk/client-ec2";
import { SimError, type ServiceHandler, type SimRequest, type SimResponse } from "../contract.ts";
import { queryActionOf, requestIdOf } from "../wire/aws-query-handler.ts";
import { parseQueryRequest } from "../wire/query.ts";
import { ec2Error, ec2Response, XML_CONTENT_TYPE } from "../wire/xml.ts";
import {
  inputSchema,
  outputSchema,
  queryToShape,
  shapeToXml,
  type ShapedAction,
} from "../wire/smithy-shapes.ts";
import { authorizeSecurityGroupIngress, revokeSecurityGroupIngress } from "./ec2/ingress.ts";
import { describeSecurityGroupRules, describeSecurityGroups } from "./ec2/security-groups.ts";
import {
  describeInstances,
  describeNetworkAcls,
  describeNetworkInterfaces,
  describeSubnets,
} from "./ec2/network.ts";

export const EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

const ACTIONS: Record<string, ShapedAction> = {
  DescribeSecurityGroups: { schema: DescribeSecurityGroups$, run: describeSecurityGroups },
  DescribeSecurityGroupRules: { schema: DescribeSecurityGroupRules$, run: describeSecurityGroupRules },
  AuthorizeSecurityGroupIngress: {
    schema: AuthorizeSecurityGroupIngress$,
    run: authorizeSecurityGroupIngress,
  },
  RevokeSecurityGroupIngress: { schema: RevokeSecurityGroupIngress$, run: revokeSecurityGroupIngress },
  DescribeNetworkAcls: { schema: DescribeNetworkAcls$, run: describeNetworkAcls },
  DescribeSubnets: { schema: DescribeSubnets$, run: describeSubnets },
  DescribeInstances: { schema: DescribeInstances$, run: describeInstances },
  DescribeNetworkInterfaces: { schema: DescribeNetworkInterfaces$, run: describeNetworkInterfaces },
};

export const EC2_ACTIONS = Object.keys(ACTIONS);

export const ec2Handler: ServiceHandler = {
  service: "ec2",

  actionOf(req) {
    return queryActionOf(req) || "Unknown";
  },

  handle(req, world) {
    const { action, params } = parseQueryRequest(req.body, req.query);
    const def = ACTIONS[action];
    if (!def) {
      throw new SimError(
        "InvalidAction",
        `The action ${action || "(none)"} is not valid for this web service.`,
      );
    }
    const input = queryToShape(inputSchema(def.schema), params, "ec2") as Record<string, unknown>;
    if (input.DryRun === true) {
      throw new SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    }
    const output = def.run(input, world);
    const body = ec2Response(
      action,
      EC2_XMLNS,
      shapeToXml(outputSchema(def.schema), output, "ec2"),
      requestIdOf(req),
    );
    return {
      action,
      params: input,
      response: { status: 200, headers: { "content-type": XML_CONTENT_TYPE }, body },
    };
  },

  errorResponse(err: SimError, req: SimRequest): SimResponse {
    return {
      status: err.status,
      headers: { "content-type": XML_CONTENT_TYPE },
      body: ec2Error({ code: err.code, message: err.message }, requestIdOf(req)),
    };
  },
};
