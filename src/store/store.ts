/**
 * The one store behind approvals, dedupe keys, watched channels and the audit log.
 * Two implementations with the same semantics: Redis (ioredis, REDIS_URL) and in-memory (the embedded default).
 * Every method may throw AlbDoctorError("store-unavailable") when the backing store cannot be reached:
 * callers that change AWS must then fail closed.
 */
export interface Store {
  readonly kind: "redis" | "memory";

  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Atomic SET NX (EX ttl): true when this caller created the key. The basis of exactly-once. */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  /** Atomic compare-and-set: replaces the value only if it currently equals `expected`. */
  compareAndSet(key: string, expected: string, next: string, ttlSeconds?: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Atomic increment; creates the key at 0 first (with the TTL when given). */
  incr(key: string, ttlSeconds?: number): Promise<number>;

  /**
   * setIfAbsent that, when it creates the key, also puts `entry.member` into the sorted index `entry.index` with
   * `entry.score`, in one atomic step: an execution claim and its lease in the reconciler's index (a crash can
   * never leave one without the other).
   */
  setIfAbsentIndexed(
    key: string,
    value: string,
    ttlSeconds: number | undefined,
    entry: IndexEntry,
  ): Promise<boolean>;
  /**
   * compareAndSet that, when it replaces the value, also re-scores the member in the index (a new lease) or,
   * with `score: null`, removes it (the execution is over), in one atomic step.
   */
  compareAndSetIndexed(
    key: string,
    expected: string,
    next: string,
    ttlSeconds: number | undefined,
    entry: Omit<IndexEntry, "score"> & { score: number | null },
  ): Promise<boolean>;
  /** Members of a sorted index whose score is at most `maxScore`, lowest first (at most `limit`, default 100). */
  indexRange(index: string, maxScore: number, limit?: number): Promise<{ member: string; score: number }[]>;
  removeFromIndex(index: string, member: string): Promise<void>;

  /** Sets (watched channels). */
  addToSet(key: string, member: string): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  members(key: string): Promise<string[]>;

  /** Append-only audit log (a Redis stream, or memory). Returns the entry id. */
  appendAudit(entry: AuditEntry): Promise<string>;
  /** Newest first. */
  readAudit(options?: { limit?: number; resource?: string }): Promise<(AuditEntry & { entryId: string })[]>;

  /** Throws store-unavailable when the store does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A member of a sorted index (a Redis sorted set) and its score, e.g. a plan id and its lease expiry (epoch ms). */
export interface IndexEntry {
  index: string;
  member: string;
  score: number;
}

export type AuditEvent =
  | "plan-created"
  | "approved"
  | "rejected"
  | "refused"
  | "executed"
  | "execution-failed"
  | "verified"
  | "verification-failed"
  | "outcome-unknown" // the write call timed out and the resource could not be re-read: the reconciler decides
  | "not-applied" // an interrupted execution that, re-read from AWS, had not changed anything
  | "drift-detected"
  | "undo-planned"
  | "expired";

export interface AuditEntry {
  at: string; // ISO time
  event: AuditEvent;
  planId: string;
  fixId: string;
  /** Slack user id (or "cli:<user>") of who did it. */
  actor: string;
  /** Load balancer name, for `/alb history REF`. */
  loadBalancer: string;
  resource: string;
  /** The account alias of the plan (accounts file); absent for the bot's own account without a file. */
  account?: string;
  before?: unknown;
  after?: unknown;
  awsRequestId?: string;
  detail?: string;
}
