/**
 * The Redis store (REDIS_URL), through ioredis. Every key carries REDIS_KEY_PREFIX.
 *
 * Failing closed matters more than riding out a blip: commands are never queued while disconnected
 * (enableOfflineQueue false) nor replayed after a reconnect (autoResendUnfulfilledCommands false), so a claim that
 * a caller saw fail can never land later. A command waits for the connection at most `connectTimeoutMs`, and for
 * an answer at most `commandTimeoutMs`; then it throws AlbDoctorError("store-unavailable").
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { AlbDoctorError } from "../domain/errors.ts";
import { auditMatches } from "./memory.ts";
import type { AuditEntry, Store } from "./store.ts";

export interface RedisStoreOptions {
  url: string;
  keyPrefix: string;
  logger?: Logger;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Approximate bound of the audit stream (XADD MAXLEN ~). */
  auditMaxLen?: number;
}

// SET with the new value only when the current one equals ARGV[1]. ARGV[3] = ttl seconds, or "" to keep the TTL.
const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
else redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
return 1`;

// INCR, and the TTL only when this call created the key (so a counter window does not slide).
const INCR_WITH_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 and ARGV[1] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

// SET NX (EX ttl) of KEYS[1], and only when it was created, ZADD KEYS[2] score ARGV[4] member ARGV[3].
// ARGV[2] = ttl seconds or "". Both keys live on one node (no cluster slots: one Redis).
const SET_NX_INDEXED = `
local ok
if ARGV[2] ~= '' then ok = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
else ok = redis.call('SET', KEYS[1], ARGV[1], 'NX') end
if not ok then return 0 end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return 1`;

// COMPARE_AND_SET, then ZADD KEYS[2] ARGV[5] ARGV[4], or ZREM when ARGV[5] is "".
const COMPARE_AND_SET_INDEXED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
else redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
if ARGV[5] == '' then redis.call('ZREM', KEYS[2], ARGV[4])
else redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4]) end
return 1`;

export function createRedisStore(options: RedisStoreOptions): Store {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const prefix = options.keyPrefix;
  const k = (key: string) => prefix + key;
  const auditKey = k("audit");
  const auditMaxLen = options.auditMaxLen ?? 10_000;

  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 1500,
    // Keep trying to reconnect in the background (capped backoff); callers meanwhile fail fast.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let lastErrorLog = 0;
  redis.on("error", (e: Error) => {
    // ioredis emits an error per reconnect attempt; log at most one every 10 s.
    if (Date.now() - lastErrorLog < 10_000) return;
    lastErrorLog = Date.now();
    options.logger?.warn({ err: e }, "redis store unreachable");
  });
  let closed = false;

  // One shared wait for the connection, so a burst of calls adds one listener, not hundreds.
  let connecting: Promise<void> | null = null;
  const waitForReady = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        reject(new Error(`not connected after ${connectTimeoutMs} ms (status ${redis.status})`));
      }, connectTimeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once("ready", onReady);
    }).finally(() => {
      connecting = null;
    });
  const ready = async () => {
    if (redis.status === "ready") return;
    if (closed) throw unavailable(new Error("store closed"));
    // Connecting (first use or after a drop): wait a little for it, never long.
    await (connecting ??= waitForReady());
  };
  const run = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      await ready();
      return await what();
    } catch (e) {
      throw e instanceof AlbDoctorError ? e : unavailable(e);
    }
  };

  return {
    kind: "redis",
    get: (key) => run(() => redis.get(k(key))),
    set: (key, value, ttlSeconds) =>
      run(async () => {
        if (ttlSeconds === undefined) await redis.set(k(key), value);
        else await redis.set(k(key), value, "EX", ttlSeconds);
      }),
    setIfAbsent: (key, value, ttlSeconds) =>
      run(async () => {
        const r =
          ttlSeconds === undefined
            ? await redis.set(k(key), value, "NX")
            : await redis.set(k(key), value, "EX", ttlSeconds, "NX");
        return r === "OK";
      }),
    compareAndSet: (key, expected, next, ttlSeconds) =>
      run(async () => {
        const r = await redis.eval(COMPARE_AND_SET, 1, k(key), expected, next, ttlSeconds ?? "");
        return r === 1;
      }),
    del: (key) => run(async () => void (await redis.del(k(key)))),
    incr: (key, ttlSeconds) =>
      run(async () => Number(await redis.eval(INCR_WITH_TTL, 1, k(key), ttlSeconds ?? ""))),
    setIfAbsentIndexed: (key, value, ttlSeconds, entry) =>
      run(async () => {
        const r = await redis.eval(
          SET_NX_INDEXED,
          2,
          k(key),
          k(entry.index),
          value,
          ttlSeconds ?? "",
          entry.member,
          entry.score,
        );
        return r === 1;
      }),
    compareAndSetIndexed: (key, expected, next, ttlSeconds, entry) =>
      run(async () => {
        const r = await redis.eval(
          COMPARE_AND_SET_INDEXED,
          2,
          k(key),
          k(entry.index),
          expected,
          next,
          ttlSeconds ?? "",
          entry.member,
          entry.score ?? "",
        );
        return r === 1;
      }),
    indexRange: (index, maxScore, limit = 100) =>
      run(async () => {
        const flat = await redis.zrangebyscore(k(index), "-inf", maxScore, "WITHSCORES", "LIMIT", 0, limit);
        const out: { member: string; score: number }[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2)
          out.push({ member: flat[i], score: Number(flat[i + 1]) });
        return out;
      }),
    removeFromIndex: (index, member) => run(async () => void (await redis.zrem(k(index), member))),
    addToSet: (key, member) => run(async () => void (await redis.sadd(k(key), member))),
    removeFromSet: (key, member) => run(async () => void (await redis.srem(k(key), member))),
    members: (key) => run(() => redis.smembers(k(key))),
    appendAudit: (entry) =>
      run(async () => {
        const id = await redis.xadd(
          auditKey,
          "MAXLEN",
          "~",
          auditMaxLen,
          "*",
          "entry",
          JSON.stringify(entry),
        );
        return id ?? "";
      }),
    readAudit: (opts = {}) =>
      run(async () => {
        const limit = opts.limit ?? 50;
        const out: (AuditEntry & { entryId: string })[] = [];
        // Newest first, in pages, filtering as we go (the stream is bounded, so this ends).
        let end = "+";
        const page = Math.max(limit, 100);
        for (;;) {
          const rows = await redis.xrevrange(auditKey, end, "-", "COUNT", page);
          for (const [entryId, fields] of rows) {
            const entry = parseEntry(fields);
            if (!entry || (opts.resource && !auditMatches(entry, opts.resource))) continue;
            out.push({ ...entry, entryId });
            if (out.length >= limit) return out;
          }
          if (rows.length < page) return out;
          end = `(${rows[rows.length - 1][0]}`;
        }
      }),
    ping: () => run(async () => void (await redis.ping())),
    async close() {
      closed = true;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

function parseEntry(fields: string[]): AuditEntry | null {
  const i = fields.indexOf("entry");
  if (i < 0) return null;
  try {
    return JSON.parse(fields[i + 1]) as AuditEntry;
  } catch {
    return null;
  }
}

function unavailable(cause: unknown): AlbDoctorError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AlbDoctorError("store-unavailable", `the store (Redis) is unavailable: ${why}`, { cause });
}
