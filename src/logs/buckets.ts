/**
 * Per-key request/error statistics with a bounded number of keys. When a map grows past its capacity,
 * the keys with the fewest errors (then requests) are folded into the OTHER bucket, so memory stays
 * flat however many distinct targets or paths a window holds, while the keys that matter (most errors)
 * survive. Counts are exact for kept keys from the moment they were (last) admitted.
 */
import type { BucketStats, ClassCounts, LogErrorClass } from "../domain/log-summary.ts";

export const OTHER_KEY = "(other)";

export interface Stats {
  requests: number;
  errorTotal: number;
  /** ELB status -> count, 4xx/5xx only. */
  errors: Record<string, number>;
  classes: ClassCounts;
}

export function newStats(): Stats {
  return { requests: 0, errorTotal: 0, errors: {}, classes: {} };
}

export function addStats(into: Stats, from: Stats): void {
  into.requests += from.requests;
  into.errorTotal += from.errorTotal;
  for (const [k, v] of Object.entries(from.errors)) into.errors[k] = (into.errors[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.classes) as [LogErrorClass, number][]) {
    into.classes[k] = (into.classes[k] ?? 0) + v;
  }
}

/** Records one error line (status >= 400) into stats; cls when the line was classified. */
export function addError(s: Stats, status: number, cls: LogErrorClass | null): void {
  s.errorTotal++;
  s.errors[status] = (s.errors[status] ?? 0) + 1;
  if (cls !== null) s.classes[cls] = (s.classes[cls] ?? 0) + 1;
}

function weight(s: Stats): number {
  return s.errorTotal * 1e9 + s.requests;
}

/**
 * Stats per key, keys being numbers (a hash of the key's bytes, or a minute number) so the hot path
 * allocates nothing for keys it has seen; the readable name is stored once, when a key is admitted.
 */
export class BoundedStatsMap {
  readonly map = new Map<number, Stats>();
  readonly names = new Map<number, string>();
  readonly other = newStats();

  /** keyOf: the numeric key of a name (used when merging partial aggregates, which carry names). */
  constructor(
    readonly capacity: number,
    private readonly keyOf: (name: string) => number,
  ) {}

  /** Admits a new key (pruning first if full); call only when map.get(key) was undefined. */
  create(key: number, name: string): Stats {
    if (this.map.size >= this.capacity) this.prune();
    const s = newStats();
    this.map.set(key, s);
    this.names.set(key, name);
    return s;
  }

  /** Folds the lighter half into OTHER. */
  private prune(): void {
    const entries = [...this.map.entries()].sort((a, b) => weight(b[1]) - weight(a[1]));
    for (const [k, s] of entries.slice(Math.floor(this.capacity / 2))) {
      addStats(this.other, s);
      this.map.delete(k);
      this.names.delete(k);
    }
  }

  /** [name, stats] pairs, for merging elsewhere. */
  entries(): [string, Stats][] {
    return [...this.map.entries()].map(([k, s]) => [this.names.get(k) ?? String(k), s]);
  }

  mergeEntries(entries: [string, Stats][], other: Stats): void {
    for (const [name, s] of entries) {
      const k = this.keyOf(name);
      addStats(this.map.get(k) ?? this.create(k, name), s);
    }
    addStats(this.other, other);
  }

  /** The top `limit` keys by errors then requests, plus OTHER for everything else (if any). */
  top(limit: number, keyText?: (name: string) => string): Record<string, BucketStats> {
    const sorted = this.entries().sort((a, b) => weight(b[1]) - weight(a[1]));
    const out: Record<string, BucketStats> = {};
    const rest = newStats();
    addStats(rest, this.other);
    sorted.forEach(([name, s], i) => {
      if (i < limit) out[keyText ? keyText(name) : name] = toBucket(s);
      else addStats(rest, s);
    });
    if (rest.requests > 0) out[OTHER_KEY] = toBucket(rest);
    return out;
  }
}

export function toBucket(s: Stats): BucketStats {
  return { requests: s.requests, errors: { ...s.errors }, classes: { ...s.classes } };
}
