/**
 * The embedded store (REDIS_URL unset): the same semantics as the Redis store, in one process.
 * TTLs expire lazily on access against an injectable clock; every method is synchronous inside, so the
 * atomic operations (setIfAbsent, compareAndSet, incr) cannot interleave.
 */
import type { AuditEntry, Store } from "./store.ts";

interface Slot {
  value: string;
  /** epoch ms; undefined = no expiry */
  expiresAt?: number;
}

export interface MemoryStoreOptions {
  /** epoch ms; tests inject a clock to expire keys without waiting. */
  now?: () => number;
  /** Audit entries kept (oldest dropped first), like the Redis stream's MAXLEN. */
  auditLimit?: number;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const auditLimit = options.auditLimit ?? 10_000;
  const values = new Map<string, Slot>();
  const sets = new Map<string, Set<string>>();
  const indexes = new Map<string, Map<string, number>>();
  const audit: (AuditEntry & { entryId: string })[] = [];
  let lastEntryMs = 0;
  let entrySeq = 0;

  const live = (key: string): Slot | undefined => {
    const slot = values.get(key);
    if (slot?.expiresAt !== undefined && slot.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return slot;
  };
  const expiry = (ttlSeconds?: number) => (ttlSeconds === undefined ? undefined : now() + ttlSeconds * 1000);
  // Entry ids shaped like Redis stream ids (ms-seq), increasing.
  const nextEntryId = () => {
    const ms = Math.max(now(), lastEntryMs);
    entrySeq = ms === lastEntryMs ? entrySeq + 1 : 0;
    lastEntryMs = ms;
    return `${ms}-${entrySeq}`;
  };

  const index = (key: string) => {
    let map = indexes.get(key);
    if (!map) indexes.set(key, (map = new Map()));
    return map;
  };
  const unindex = (key: string, member: string) => {
    const map = indexes.get(key);
    map?.delete(member);
    if (map?.size === 0) indexes.delete(key);
  };

  return {
    kind: "memory",
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      values.set(key, { value, expiresAt: expiry(ttlSeconds) });
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key)) return false;
      values.set(key, { value, expiresAt: expiry(ttlSeconds) });
      return true;
    },
    async compareAndSet(key, expected, next, ttlSeconds) {
      const slot = live(key);
      if (!slot || slot.value !== expected) return false;
      // Without a TTL the key keeps the one it had (Redis SET ... KEEPTTL).
      values.set(key, {
        value: next,
        expiresAt: ttlSeconds === undefined ? slot.expiresAt : expiry(ttlSeconds),
      });
      return true;
    },
    async del(key) {
      values.delete(key);
    },
    async incr(key, ttlSeconds) {
      const slot = live(key);
      if (!slot) {
        values.set(key, { value: "1", expiresAt: expiry(ttlSeconds) });
        return 1;
      }
      const n = Number(slot.value);
      if (!Number.isInteger(n)) throw new Error(`value at ${key} is not an integer`);
      slot.value = String(n + 1);
      return n + 1;
    },
    async setIfAbsentIndexed(key, value, ttlSeconds, entry) {
      if (live(key)) return false;
      values.set(key, { value, expiresAt: expiry(ttlSeconds) });
      index(entry.index).set(entry.member, entry.score);
      return true;
    },
    async compareAndSetIndexed(key, expected, next, ttlSeconds, entry) {
      const slot = live(key);
      if (!slot || slot.value !== expected) return false;
      values.set(key, {
        value: next,
        expiresAt: ttlSeconds === undefined ? slot.expiresAt : expiry(ttlSeconds),
      });
      if (entry.score === null) unindex(entry.index, entry.member);
      else index(entry.index).set(entry.member, entry.score);
      return true;
    },
    async indexRange(key, maxScore, limit = 100) {
      return [...(indexes.get(key) ?? [])]
        .filter(([, score]) => score <= maxScore)
        .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, limit)
        .map(([member, score]) => ({ member, score }));
    },
    async removeFromIndex(key, member) {
      unindex(key, member);
    },
    async addToSet(key, member) {
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Set()));
      set.add(member);
    },
    async removeFromSet(key, member) {
      const set = sets.get(key);
      set?.delete(member);
      if (set?.size === 0) sets.delete(key);
    },
    async members(key) {
      return [...(sets.get(key) ?? [])];
    },
    async appendAudit(entry) {
      const entryId = nextEntryId();
      audit.push({ ...structuredClone(entry), entryId });
      if (audit.length > auditLimit) audit.splice(0, audit.length - auditLimit);
      return entryId;
    },
    async readAudit(opts = {}) {
      const limit = opts.limit ?? 50;
      const out: (AuditEntry & { entryId: string })[] = [];
      for (let i = audit.length - 1; i >= 0 && out.length < limit; i--) {
        if (opts.resource && !auditMatches(audit[i], opts.resource)) continue;
        out.push(structuredClone(audit[i]));
      }
      return out;
    },
    async ping() {},
    async close() {},
  };
}

/** `/alb history REF`: REF may be a load balancer name, a resource (ARN, sg-...) or a plan id. */
export function auditMatches(entry: AuditEntry, ref: string): boolean {
  return entry.loadBalancer === ref || entry.resource === ref || entry.planId === ref;
}
