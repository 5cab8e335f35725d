/**
 * Pagination for the simulator's list actions: an opaque token that carries the offset, so a token from
 * another query still yields a bounded page. Each protocol names its own bad-token error.
 */
import { SimError } from "../contract.ts";

export function pageOf<T>(
  items: T[],
  token: string | undefined,
  size: number,
  tokenError = "InvalidNextTokenException",
) {
  let start = 0;
  if (token) {
    const decoded = /^sim-(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!decoded) throw new SimError(tokenError, "The pagination token is not valid.");
    start = Number(decoded[1]);
  }
  const page = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(`sim-${start + size}`).toString("base64url") : undefined;
  return { page, next };
}
