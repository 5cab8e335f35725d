/**
 * Model-driven (de)serialization for the query-family protocols, using the operation schemas that the
 * AWS SDK v3 clients export (`DescribeSecurityGroups$`, `GetMetricData$`, ...). Those schemas carry the
 * wire names from the service model (ec2QueryName, xmlName), so the simulator reads requests and writes
 * answers with exactly the names AWS uses, instead of a hand-kept list of exceptions such as
 * SecurityGroups -> <securityGroupInfo>, Tags -> <tagSet>, UserIdGroupPairs -> Groups.N / <groups>.
 *
 * - queryToShape: the nested params from wire/query.ts (keyed by wire names) -> an object in the SDK's
 *   input shape (member names, numbers, booleans, Dates).
 * - shapeToXml: an object in the SDK's output shape -> XML children, list entries as <item> (EC2) or
 *   <member> (awsQuery) unless the model names them.
 */
import { NormalizedSchema } from "@smithy/core/schema";
import type { QueryValue } from "./query.ts";
import { el, type XmlChild } from "./xml.ts";
import { SimError } from "../contract.ts";
import type { World } from "../world.ts";

export type QueryFlavor = "ec2" | "awsQuery";
/** An operation schema as the SDK exports it: [9, namespace, name, traits, input, output]. */
export type OperationSchemaRef = readonly unknown[];

/** An action whose input is read, and output written, through its SDK operation schema. */
export interface ShapedAction {
  schema: OperationSchemaRef;
  // Inputs arrive in the SDK's request shape; each action declares the exact SDK type it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run: (input: any, world: World) => Record<string, unknown>;
}

type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

export function inputSchema(op: OperationSchemaRef): NormalizedSchema {
  return NormalizedSchema.of(op[4] as SchemaRef);
}

export function outputSchema(op: OperationSchemaRef): NormalizedSchema {
  return NormalizedSchema.of(op[5] as SchemaRef);
}

/** The query key of a struct member, as the SDK's QueryShapeSerializer writes it. */
function queryKey(memberName: string, ns: NormalizedSchema, flavor: QueryFlavor): string {
  const t = ns.getMergedTraits() as { xmlName?: string; ec2QueryName?: string };
  if (flavor === "ec2") {
    if (t.ec2QueryName) return t.ec2QueryName;
    const k = t.xmlName ?? memberName;
    return k[0].toUpperCase() + k.slice(1);
  }
  return t.xmlName ?? memberName;
}

function invalid(path: string, expected: string, got: unknown): SimError {
  return new SimError(
    "InvalidParameterValue",
    `Invalid value for parameter ${path}: expected ${expected}, got ${JSON.stringify(got)}`,
  );
}

export function queryToShape(
  ns: NormalizedSchema,
  value: QueryValue | undefined,
  flavor: QueryFlavor,
  path = "",
): unknown {
  if (value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (typeof value !== "object" || Array.isArray(value)) throw invalid(path, "a structure", value);
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const key = queryKey(name, member, flavor);
      const v = queryToShape(member, value[key], flavor, path ? `${path}.${key}` : key);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (value === "") return [];
    let items: QueryValue = value;
    // awsQuery lists whose member has its own name arrive as { thatName: [...] }.
    if (typeof items === "object" && !Array.isArray(items)) {
      const keys = Object.keys(items);
      if (keys.length === 1) items = items[keys[0]];
    }
    const list = Array.isArray(items) ? items : [items];
    return list.map((v, i) => queryToShape(ns.getValueSchema(), v, flavor, `${path}.${i + 1}`));
  }
  if (ns.isMapSchema()) {
    if (typeof value !== "object" || Array.isArray(value)) throw invalid(path, "a map", value);
    const entries = Array.isArray(value) ? value : Object.values(value);
    const out: Record<string, unknown> = {};
    for (const e of entries as Record<string, QueryValue>[]) {
      const k = e.key ?? e.Key;
      if (typeof k === "string") out[k] = queryToShape(ns.getValueSchema(), e.value ?? e.Value, flavor, path);
    }
    return out;
  }
  if (typeof value !== "string") throw invalid(path, "a single value", value);
  if (ns.isNumericSchema()) {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw invalid(path, "a number", value);
    return n;
  }
  if (ns.isBooleanSchema()) {
    if (value !== "true" && value !== "false") throw invalid(path, "true or false", value);
    return value === "true";
  }
  if (ns.isTimestampSchema()) {
    const d = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    if (Number.isNaN(d.getTime())) throw invalid(path, "a timestamp", value);
    return d;
  }
  return value;
}

function xmlNameOf(memberName: string, ns: NormalizedSchema): string {
  return (ns.getMergedTraits() as { xmlName?: string }).xmlName ?? memberName;
}

function scalar(ns: NormalizedSchema, v: unknown): string | number | boolean | Date {
  if (ns.isTimestampSchema()) return v instanceof Date ? v : new Date(String(v));
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string" || v instanceof Date) return v;
  return String(v);
}

/** The element(s) for `value` under `name`, following the schema; undefined values are left out. */
export function valueToXml(
  name: string,
  ns: NormalizedSchema,
  value: unknown,
  flavor: QueryFlavor,
): XmlChild | XmlChild[] {
  if (value === undefined || value === null) return undefined;
  if (ns.isStructSchema()) return el(name, shapeToXml(ns, value as Record<string, unknown>, flavor));
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    // Flattened lists repeat the list's own element; wrapped ones nest <item>/<member> (or the model's name).
    if (ns.getMergedTraits().xmlFlattened) {
      return (value as unknown[]).flatMap((v) => valueToXml(name, member, v, flavor));
    }
    const itemName = xmlNameOf(flavor === "ec2" ? "item" : "member", member);
    return el(
      name,
      (value as unknown[]).flatMap((v) => valueToXml(itemName, member, v, flavor)),
    );
  }
  if (ns.isMapSchema()) {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      el("entry", el("key", k), valueToXml("value", ns.getValueSchema(), v, flavor)),
    );
    return el(name, entries);
  }
  return el(name, scalar(ns, value));
}

/** The members of a structure as XML children, in the model's member order. */
export function shapeToXml(
  ns: NormalizedSchema,
  value: Record<string, unknown>,
  flavor: QueryFlavor,
): XmlChild[] {
  const out: XmlChild[] = [];
  for (const [name, member] of ns.structIterator()) {
    const x = valueToXml(xmlNameOf(name, member), member, value[name], flavor);
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}
