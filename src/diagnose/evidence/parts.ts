import type { Snapshot } from "../../domain/snapshot.ts";

/** A collection part that failed: what it would have filled is unknown, not empty. */
export function partFailed(s: Snapshot, id: string): boolean {
  return s.parts.some((p) => p.id === id && p.status === "error");
}
