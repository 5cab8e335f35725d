/**
 * Path patterns: "/users/1234/orders/5f0c…-…" -> "/users/:id/orders/:id", so that errors group by
 * endpoint rather than by URL. Numeric and UUID segments are ids; the query string is dropped.
 */
const NUMERIC = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HAS_ID_CANDIDATE = /(^|\/)(\d|[0-9a-f]{8}-)/i;

export function pathPattern(path: string): string {
  if (!HAS_ID_CANDIDATE.test(path)) return path;
  return path
    .split("/")
    .map((seg) => (NUMERIC.test(seg) || UUID.test(seg) ? ":id" : seg))
    .join("/");
}

/**
 * The path of a logged request URL: "http://host:80/a/b?q" -> "/a/b"; a bare "/a?q" -> "/a";
 * anything without a path -> "/" ; null (malformed request "- - -") stays null.
 */
export function urlPath(url: string | null): string | null {
  if (url === null) return null;
  let start = 0;
  const scheme = url.indexOf("://");
  if (scheme >= 0 && scheme < 10) {
    start = scheme + 3;
    while (start < url.length && url[start] !== "/" && url[start] !== " ") start++;
    if (url[start] !== "/") return "/";
  }
  let end = url.length;
  for (let i = start; i < end; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f || c === 0x23 || c === 0x20) {
      end = i;
      break;
    }
  }
  const path = url.slice(start, end);
  return path === "" ? "/" : path;
}
