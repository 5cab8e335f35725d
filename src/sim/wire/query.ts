/**
 * Parsing of query-protocol requests (awsQuery for ELBv2/STS/CloudWatch-query, ec2Query for EC2).
 * Both send `Action=...&Version=...` plus flattened keys; this turns the flat keys into a nested value:
 *   awsQuery  `Names.member.1=a`                       -> { Names: ["a"] }
 *             `Attributes.member.1.Key=k&...Value=v`   -> { Attributes: [{ Key: "k", Value: "v" }] }
 *             `Tags.entry.1.key=k&Tags.entry.1.value=v` -> { Tags: [{ key: "k", value: "v" }] } (map entries)
 *   ec2Query  `GroupId.1=sg-1`                         -> { GroupId: ["sg-1"] }
 *             `Filter.1.Name=vpc-id&Filter.1.Value.1=x` -> { Filter: [{ Name: "vpc-id", Value: ["x"] }] }
 * An empty list is sent as `Names=` (awsQuery serializes empty lists); qList() reads it as [].
 */
import { SimError } from "../contract.ts";

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = { [key: string]: QueryValue };

export interface QueryRequest {
  action: string;
  version?: string;
  params: QueryParams;
}

/** Parse a form-urlencoded body (and, for GET requests, the URL's query) into action, version and nested params. */
export function parseQueryRequest(body: Buffer | string, urlQuery?: URLSearchParams): QueryRequest {
  const form = new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"));
  const flat: [string, string][] = [];
  for (const [k, v] of urlQuery ?? []) flat.push([k, v]);
  for (const [k, v] of form) flat.push([k, v]);
  let action = "";
  let version: string | undefined;
  const rest: [string, string][] = [];
  for (const [k, v] of flat) {
    if (k === "Action") action = v;
    else if (k === "Version") version = v;
    else rest.push([k, v]);
  }
  return { action, version, params: nestQueryParams(rest) };
}

type Tree = { [key: string]: Tree | string };

/** Build the nested value from flat dotted keys. Later duplicates win (as AWS does for repeated keys). */
export function nestQueryParams(pairs: Iterable<[string, string]>): QueryParams {
  const root: Tree = {};
  for (const [key, value] of pairs) {
    if (!key) continue;
    const parts = key.split(".");
    let node: Tree = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i];
      const next = node[p];
      if (typeof next === "object") node = next;
      else {
        // A scalar where a structure is needed (`Names=` then `Names.member.1=`): the structure wins.
        const created: Tree = {};
        node[p] = created;
        node = created;
      }
    }
    const last = parts[parts.length - 1];
    if (typeof node[last] !== "object") node[last] = value;
  }
  return normalize(root) as QueryParams;
}

function isIndex(k: string): boolean {
  return /^[1-9][0-9]*$/.test(k);
}

function normalize(node: Tree | string): QueryValue {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every(isIndex)) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => normalize(node[String(i)]));
  }
  // awsQuery wraps list members in `member` and map entries in `entry`: unwrap them to the list itself.
  if (keys.length === 1 && (keys[0] === "member" || keys[0] === "entry")) {
    const inner = normalize(node[keys[0]]);
    return Array.isArray(inner) ? inner : [inner];
  }
  const out: { [key: string]: QueryValue } = {};
  for (const k of keys) out[k] = normalize(node[k]);
  return out;
}

// ---- typed accessors: handlers read params through these so wrong shapes become AWS-style errors ----

/** A list parameter: absent or empty (`Names=`) is []. A single scalar is a one-element list. */
export function qList(v: QueryValue | undefined): QueryValue[] {
  if (v === undefined || v === "") return [];
  return Array.isArray(v) ? v : [v];
}

/** A list of strings (ARNs, names, ids). */
export function qStrings(v: QueryValue | undefined, name = "parameter"): string[] {
  return qList(v).map((x) => {
    if (typeof x !== "string") throw new SimError("ValidationError", `${name} must be a list of strings`);
    return x;
  });
}

export function qString(v: QueryValue | undefined, name = "parameter"): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new SimError("ValidationError", `${name} must be a string`);
  return v;
}

export function qRequiredString(v: QueryValue | undefined, name: string): string {
  const s = qString(v, name);
  if (s === undefined || s === "") {
    throw new SimError(
      "ValidationError",
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return s;
}

export function qInt(v: QueryValue | undefined, name = "parameter"): number | undefined {
  const s = qString(v, name);
  if (s === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(s)) throw new SimError("ValidationError", `${name} must be an integer, got '${s}'`);
  return Number(s);
}

export function qBool(v: QueryValue | undefined, name = "parameter"): boolean | undefined {
  const s = qString(v, name);
  if (s === undefined) return undefined;
  if (s !== "true" && s !== "false") throw new SimError("ValidationError", `${name} must be true or false`);
  return s === "true";
}

/** A structure parameter (e.g. Matcher): absent is undefined. */
export function qObject(v: QueryValue | undefined, name = "parameter"): QueryParams | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new SimError("ValidationError", `${name} must be a structure`);
  }
  return v;
}

/** A list of `{Key, Value}` structures (ELBv2 attributes, tags) as ordered pairs. */
export function qKeyValues(v: QueryValue | undefined, name = "parameter"): { Key: string; Value?: string }[] {
  return qList(v).map((item) => {
    const o = qObject(item, name) ?? {};
    const key = qString(o.Key, `${name}.Key`);
    if (key === undefined) throw new SimError("ValidationError", `${name}: every entry needs a Key`);
    return { Key: key, Value: qString(o.Value, `${name}.Value`) };
  });
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}
