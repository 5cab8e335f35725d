/**
 * A small, safe XML writer for the simulator's answers, and the response/error envelopes of the
 * awsQuery (ELBv2, STS, CloudWatch-query) and ec2Query protocols. All text and attribute values are
 * escaped here, so handlers never concatenate raw strings into XML.
 *
 * Two ways to build elements:
 *   el("Name", child1, child2...)           explicit nodes (children: nodes, strings, numbers, booleans, Dates)
 *   fromValue("Name", worldObject, opts)    mechanical: object keys become elements, arrays become lists of
 *                                           <member> (awsQuery) or <item> (EC2), undefined/null are left out
 */

export type XmlScalar = string | number | boolean | Date;
export type XmlChild = XmlNode | XmlScalar | null | undefined | false;

export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  children: XmlChild[];
}

export function el(name: string, ...children: (XmlChild | XmlChild[])[]): XmlNode {
  return { name, children: children.flat() };
}

export function elAttrs(
  name: string,
  attrs: Record<string, string>,
  ...children: (XmlChild | XmlChild[])[]
): XmlNode {
  return { name, attrs, children: children.flat() };
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than producing a document parsers reject.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

/** Scalars as AWS writes them: timestamps in ISO 8601 with milliseconds, booleans as true/false. */
export function scalarText(v: XmlScalar): string {
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function isNode(c: XmlChild): c is XmlNode {
  return typeof c === "object" && c !== null && !(c instanceof Date);
}

export function renderXml(node: XmlNode, declaration = true): string {
  const parts: string[] = [];
  if (declaration) parts.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  write(node, parts);
  return parts.join("");
}

function write(node: XmlNode, out: string[]): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(node.name))
    throw new Error(`invalid XML element name: ${node.name}`);
  out.push("<", node.name);
  for (const [k, v] of Object.entries(node.attrs ?? {})) out.push(" ", k, '="', escapeXml(v), '"');
  const children = node.children.filter((c) => c !== undefined && c !== null && c !== false);
  if (children.length === 0) {
    out.push("/>");
    return;
  }
  out.push(">");
  for (const c of children) {
    if (isNode(c as XmlChild)) write(c as XmlNode, out);
    else out.push(escapeXml(scalarText(c as XmlScalar)));
  }
  out.push("</", node.name, ">");
}

export interface FromValueOptions {
  /** Element wrapping each list entry: "member" (awsQuery) or "item" (EC2). */
  listItem: "member" | "item";
  /** Rename an object key to its XML element name (EC2: `GroupId` -> `groupId`, `IpPermissions` -> `ipPermissions`). */
  nameOf?: (key: string, path: string[]) => string;
}

/**
 * Serialize a plain value (a World shape) as an element. Objects become nested elements in key order;
 * arrays become `<name><member>..</member></name>`; Buffers, Maps, functions and undefined are left out.
 */
export function fromValue(
  name: string,
  value: unknown,
  opts: FromValueOptions,
  path: string[] = [],
): XmlNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    value instanceof Date
  ) {
    return el(name, value);
  }
  if (Array.isArray(value)) {
    return el(
      name,
      value.map((v) => fromValue(opts.listItem, v, opts, [...path, name])),
    );
  }
  if (typeof value === "object" && !(value instanceof Map) && !Buffer.isBuffer(value)) {
    const children: XmlChild[] = [];
    for (const [k, v] of Object.entries(value)) {
      const childName = opts.nameOf ? opts.nameOf(k, path) : k;
      children.push(fromValue(childName, v, opts, [...path, k]));
    }
    return el(name, children);
  }
  return undefined;
}

/** Members of a result structure: each key of `fields` as an element (undefined left out). */
export function fieldsToXml(fields: Record<string, unknown>, opts: FromValueOptions): XmlChild[] {
  return Object.entries(fields).map(([k, v]) => fromValue(opts.nameOf ? opts.nameOf(k, []) : k, v, opts));
}

export const AWS_QUERY = { listItem: "member" } as const satisfies FromValueOptions;

// ---------------------------------------------------------------- envelopes

/** `<XResponse xmlns=..><XResult>..</XResult><ResponseMetadata><RequestId>..` (what AwsQueryProtocol reads). */
export function awsQueryResponse(
  action: string,
  xmlns: string,
  result: XmlChild[],
  requestId: string,
): string {
  return renderXml(
    elAttrs(
      `${action}Response`,
      { xmlns },
      el(`${action}Result`, result),
      el("ResponseMetadata", el("RequestId", requestId)),
    ),
  );
}

/** Convenience: an awsQuery response whose result members come from a plain object. */
export function awsQueryResponseFrom(
  action: string,
  xmlns: string,
  fields: Record<string, unknown>,
  requestId: string,
): string {
  return awsQueryResponse(action, xmlns, fieldsToXml(fields, AWS_QUERY), requestId);
}

export interface WireError {
  code: string;
  message: string;
  /** Sender (client fault, 4xx) or Receiver (server fault, 5xx). */
  senderFault: boolean;
}

/**
 * awsQuery error body. AwsQueryProtocol reads Error.Code and maps it to the modeled exception whose
 * awsQueryError trait carries that code (LoadBalancerNotFound -> LoadBalancerNotFoundException).
 */
export function awsQueryError(err: WireError, requestId: string, xmlns?: string): string {
  return renderXml(
    elAttrs(
      "ErrorResponse",
      xmlns ? { xmlns } : {},
      el(
        "Error",
        el("Type", err.senderFault ? "Sender" : "Receiver"),
        el("Code", err.code),
        el("Message", err.message),
      ),
      el("RequestId", requestId),
    ),
  );
}

/** ec2Query response: `<XResponse xmlns=..><requestId>..</requestId>...members...</XResponse>` (no Result wrapper). */
export function ec2Response(action: string, xmlns: string, members: XmlChild[], requestId: string): string {
  return renderXml(elAttrs(`${action}Response`, { xmlns }, el("requestId", requestId), members));
}

/** ec2Query error body: `<Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>`. */
export function ec2Error(err: Pick<WireError, "code" | "message">, requestId: string): string {
  return renderXml(
    el(
      "Response",
      el("Errors", el("Error", el("Code", err.code), el("Message", err.message))),
      el("RequestID", requestId),
    ),
  );
}

export const XML_CONTENT_TYPE = "text/xml";
