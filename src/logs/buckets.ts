/**
 * Per-key request/error statistics with a bounded number of keys. When a map grows past its capacity,
 * the keys with the fewest errors (then requests) are folded into the OTHER bucket, so memory stays
 * flat however many distinct targets or paths a window holds, while the keys that matter (most errors)
 * survive. Counts are exact for kept keys from the moment they were (last) admitted.
 */
import type { BucketStats, ClassCounts, LogErrorClass } from "../domain/log-summary.ts";
import { Key } from "./keyhash.ts";

export const OTHER_KEY = "(other)";

export interface Stats {
  requests: number;
  errorTotal: number;
  /** ELB status -> count, 4xx/5xx only. */
  errors: Record<string, number>;
  classes: ClassCounts;
  /** Requests the target answered (a target status and a measured target time): the key's normal latency. */
  answered: number;
  /** Sum of their target times in whole microseconds: integer sums do not depend on the merge order. */
  answeredUs: number;
  maxAnsweredSeconds: number;
  /** Answered requests slower than SLOW_SECONDS. */
  slow: number;
  /** Sum of target_processing_time over the 502s with a measured target time (class elb-502-malformed-response). */
  measured502Us: number;
  /**
   * For paths: the target group their requests go to (paths rarely span groups; when one does, the first by
   * name, so the result does not depend on the order lines or partial aggregates arrive in), and its key hash.
   */
  group: string | null;
  groupH1: number;
  groupH2: number;
}

/** An answered request this slow is "slow" for the worker-starvation and long-request evidence. */
export const SLOW_SECONDS = 5;

export function newStats(): Stats {
  return {
    requests: 0,
    errorTotal: 0,
    errors: {},
    classes: {},
    answered: 0,
    answeredUs: 0,
    maxAnsweredSeconds: 0,
    slow: 0,
    measured502Us: 0,
    group: null,
    groupH1: 0,
    groupH2: 0,
  };
}

/** Records the target time of one line into stats (answered: the target sent a status). */
export function addTiming(s: Stats, tpt: number, answered: boolean, measured502: boolean): void {
  if (answered) {
    s.answered++;
    s.answeredUs += Math.round(tpt * 1e6);
    if (tpt > s.maxAnsweredSeconds) s.maxAnsweredSeconds = tpt;
    if (tpt >= SLOW_SECONDS) s.slow++;
  } else if (measured502) s.measured502Us += Math.round(tpt * 1e6);
}

export function addStats(into: Stats, from: Stats): void {
  into.requests += from.requests;
  into.errorTotal += from.errorTotal;
  into.answered += from.answered ?? 0;
  into.answeredUs += from.answeredUs ?? 0;
  into.maxAnsweredSeconds = Math.max(into.maxAnsweredSeconds, from.maxAnsweredSeconds ?? 0);
  into.slow += from.slow ?? 0;
  into.measured502Us += from.measured502Us ?? 0;
  if (from.group != null && (into.group === null || from.group < into.group)) {
    into.group = from.group;
    into.groupH1 = from.groupH1;
    into.groupH2 = from.groupH2;
  }
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
 * Stats per key. Keys are 64-bit hashes (keyhash.ts) looked up in an open-addressing table of int32
 * pairs, so the hot path neither allocates nor boxes a number for a key it has seen; the readable name is
 * stored once, when a key is admitted.
 */
export class BoundedStatsMap {
  readonly other = newStats();
  private stats: Stats[] = [];
  private names: string[] = [];
  private h1s: number[] = [];
  private h2s: number[] = [];
  /** Slot -> entry index + 1 (0: empty); at most half full, so probes stay short. */
  private slots: Int32Array;
  private keys1: Int32Array;
  private keys2: Int32Array;
  private readonly mask: number;
  private readonly scratch = new Key();

  /** keyOf: the key of a name (used when merging partial aggregates, which carry names). */
  constructor(
    readonly capacity: number,
    private readonly keyOf: (key: Key, name: string) => Key,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    this.keys1 = new Int32Array(size);
    this.keys2 = new Int32Array(size);
  }

  get size(): number {
    return this.stats.length;
  }

  get(key: Key): Stats | undefined {
    const h1 = key.h1;
    const h2 = key.h2;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i];
      if (slot === 0) return undefined;
      if (this.keys1[i] === h1 && this.keys2[i] === h2) return this.stats[slot - 1];
    }
  }

  /** Admits a new key (pruning first if full); call only when get(key) was undefined. */
  create(key: Key, name: string): Stats {
    if (this.stats.length >= this.capacity) this.prune();
    const s = newStats();
    this.stats.push(s);
    this.names.push(name);
    this.h1s.push(key.h1);
    this.h2s.push(key.h2);
    this.insert(key.h1, key.h2, this.stats.length);
    return s;
  }

  private insert(h1: number, h2: number, entry: number): void {
    let i = h1 & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = entry;
    this.keys1[i] = h1;
    this.keys2[i] = h2;
  }

  /** Folds the lighter half into OTHER and rebuilds the table from the rest. */
  private prune(): void {
    const order = this.stats.map((_, i) => i).sort((a, b) => weight(this.stats[b]) - weight(this.stats[a]));
    const keep = order.slice(0, Math.floor(this.capacity / 2));
    for (const i of order.slice(keep.length)) addStats(this.other, this.stats[i]);
    const pick = <T>(xs: T[]) => keep.map((i) => xs[i]);
    [this.stats, this.names, this.h1s, this.h2s] = [
      pick(this.stats),
      pick(this.names),
      pick(this.h1s),
      pick(this.h2s),
    ];
    this.slots.fill(0);
    for (let i = 0; i < this.stats.length; i++) this.insert(this.h1s[i], this.h2s[i], i + 1);
  }

  /** [name, stats] pairs, for merging elsewhere. */
  entries(): [string, Stats][] {
    return this.stats.map((s, i) => [this.names[i], s]);
  }

  mergeEntries(entries: [string, Stats][], other: Stats): void {
    for (const [name, s] of entries) {
      const k = this.keyOf(this.scratch, name);
      addStats(this.get(k) ?? this.create(k, name), s);
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
  const b: BucketStats = { requests: s.requests, errors: { ...s.errors }, classes: { ...s.classes } };
  if (s.answered > 0) {
    b.answered = {
      count: s.answered,
      meanSeconds: round6(s.answeredUs / s.answered / 1e6),
      maxSeconds: s.maxAnsweredSeconds,
      slow: s.slow,
    };
  }
  const measured = s.classes["elb-502-malformed-response"] ?? 0;
  if (measured > 0) b.measured502MeanSeconds = round6(s.measured502Us / measured / 1e6);
  if (s.group !== null) b.targetGroup = s.group;
  return b;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
