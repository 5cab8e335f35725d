/**
 * EC2's Describe* conventions: `Filters` (Name + Values, OR within a filter, AND across filters, `*` and
 * `?` wildcards, tag:KEY / tag-key), id lists that fail with <Kind>.NotFound naming the missing ids, and
 * MaxResults/NextToken paging with per-action bounds.
 */
import { SimError } from "../../contract.ts";
import type { Tag } from "../../world.ts";

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** filter name -> the values a resource has for it. */
export type FilterFields<T> = Record<string, (item: T) => (string | number | boolean | undefined)[]>;

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

function tagValues(tags: Tag[] | undefined, name: string): string[] | undefined {
  if (name === "tag-key") return (tags ?? []).map((t) => t.Key);
  if (name === "tag-value") return (tags ?? []).map((t) => t.Value);
  if (name.startsWith("tag:")) {
    const key = name.slice(4);
    return (tags ?? []).filter((t) => t.Key === key).map((t) => t.Value);
  }
  return undefined;
}

export function applyFilters<T extends object>(
  items: T[],
  filters: Filter[] | undefined,
  fields: FilterFields<T>,
): T[] {
  if (!filters?.length) return items;
  for (const f of filters) {
    const name = f.Name ?? "";
    if (!fields[name] && tagValues([], name) === undefined) {
      throw new SimError("InvalidParameterValue", `The filter '${name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every((f) => {
      const name = f.Name ?? "";
      const tags = (item as { Tags?: Tag[]; TagSet?: Tag[] }).Tags ?? (item as { TagSet?: Tag[] }).TagSet;
      const have = (tagValues(tags, name) ?? fields[name](item)).filter((v) => v !== undefined).map(String);
      return (f.Values ?? []).some((want) => {
        const re = wildcard(want);
        return have.some((h) => re.test(h));
      });
    }),
  );
}

/** Items with the given ids, in request order; unknown ids -> `code` naming them as AWS does. */
export function byIds<T>(
  items: T[],
  ids: string[] | undefined,
  idOf: (t: T) => string,
  notFound: (missing: string[]) => SimError,
): T[] {
  if (!ids?.length) return items;
  const index = new Map(items.map((t) => [idOf(t), t]));
  const missing = ids.filter((id) => !index.has(id));
  if (missing.length) throw notFound(missing);
  const unique = [...new Set(ids)];
  return unique.map((id) => index.get(id)!);
}

export function quotedList(ids: string[]): string {
  return ids.map((id) => `'${id}'`).join(", ");
}

/** byIds' error for a kind of resource: `The <what> 'x' does not exist` / `The <what>s 'x', 'y' do not exist`. */
export const notFoundError = (code: string, what: string) => (missing: string[]) =>
  new SimError(
    code,
    missing.length === 1
      ? `The ${what} '${missing[0]}' does not exist`
      : `The ${what}s ${quotedList(missing)} do not exist`,
  );

export interface PageBounds {
  min: number;
  max: number;
  /** The id-list parameter that cannot be combined with MaxResults (AWS: InvalidParameterCombination). */
  idParam?: string;
}

/**
 * One page; NextToken is opaque (base64 of the offset and a fingerprint of the query: the request's
 * other members, so a token is only valid for the same query).
 */
export function paginate<T>(
  items: T[],
  input: { MaxResults?: number; NextToken?: string },
  bounds: PageBounds,
  idsGiven: boolean,
): { page: T[]; NextToken?: string } {
  const { MaxResults, NextToken } = input;
  const fingerprint = queryFingerprint({ ...input });
  if (MaxResults !== undefined) {
    if (idsGiven && bounds.idParam) {
      throw new SimError(
        "InvalidParameterCombination",
        `The parameter ${bounds.idParam} cannot be used with the parameter maxResults`,
      );
    }
    if (MaxResults < bounds.min || MaxResults > bounds.max) {
      throw new SimError(
        "InvalidParameterValue",
        `Value ( ${MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`,
      );
    }
  }
  let offset = 0;
  if (NextToken) {
    const decoded = decodeToken(NextToken);
    if (!decoded || decoded.f !== fingerprint) {
      throw new SimError("InvalidParameterValue", `Invalid value '${NextToken}' for nextToken`);
    }
    offset = decoded.o;
  }
  if (MaxResults === undefined && !NextToken) return { page: items };
  const size = MaxResults ?? bounds.max;
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken(offset + size, fingerprint) : undefined;
  return { page, NextToken: next };
}

function encodeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64url");
}

function decodeToken(token: string): { o: number; f: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; f?: unknown };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0 && typeof v.f === "string") {
      return { o: v.o, f: v.f };
    }
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** A fingerprint of the query (filters and ids) so a token is only valid for the same query. */
function queryFingerprint(input: Record<string, unknown>): string {
  const { NextToken: _n, MaxResults: _m, ...rest } = input;
  let h = 2166136261;
  for (const ch of JSON.stringify(rest)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(36);
}
