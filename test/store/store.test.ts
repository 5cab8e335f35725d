/**
 * One table of store semantics, run against both implementations: the real Redis at 127.0.0.1:6379 (unique
 * prefix per run, deleted afterwards) and the in-memory store (with an injected clock for TTLs).
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/store/memory.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { AuditEntry, Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from "../helpers/redis.ts";

interface Backend {
  name: string;
  make(): Store;
  /** Lets `ms` pass for TTL purposes. */
  advance(ms: number): Promise<void>;
}

const prefixes: string[] = [];
const stores: Store[] = [];
let clock = Date.parse("2026-03-15T14:00:00Z");

const backends: Backend[] = [
  {
    name: "memory",
    make: () => createMemoryStore({ now: () => clock }),
    advance: async (ms) => void (clock += ms),
  },
  {
    name: "redis",
    make: () => {
      const keyPrefix = uniquePrefix("store");
      prefixes.push(keyPrefix);
      return createRedisStore({ url: TEST_REDIS_URL, keyPrefix, connectTimeoutMs: 3000 });
    },
    // Redis expires on its own clock: really wait (TTLs in these tests are 1 s).
    advance: (ms) => new Promise((r) => setTimeout(r, ms)),
  },
];

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const p of prefixes) await deletePrefix(p);
});

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: "2026-03-15T14:00:00.000Z",
  event: "plan-created",
  planId: "pl_1",
  fixId: "set-idle-timeout",
  actor: "U1",
  loadBalancer: "my-alb",
  resource: "arn:lb",
  ...over,
});

describe.each(backends)("store semantics: $name", (backend) => {
  let store: Store;
  beforeEach(() => {
    store = backend.make();
    stores.push(store);
  });

  it("get/set/del round-trip, missing keys are null", async () => {
    expect(await store.get("a")).toBeNull();
    await store.set("a", "1");
    expect(await store.get("a")).toBe("1");
    await store.set("a", "2");
    expect(await store.get("a")).toBe("2");
    await store.del("a");
    expect(await store.get("a")).toBeNull();
    await store.del("never-there");
  });

  it("set with a TTL expires; set without one persists", async () => {
    await store.set("t", "x", 1);
    await store.set("p", "y");
    expect(await store.get("t")).toBe("x");
    await backend.advance(1200);
    expect(await store.get("t")).toBeNull();
    expect(await store.get("p")).toBe("y");
  });

  it("setIfAbsent: only the first caller wins, until the key expires", async () => {
    expect(await store.setIfAbsent("claim", "U1", 1)).toBe(true);
    expect(await store.setIfAbsent("claim", "U2", 1)).toBe(false);
    expect(await store.get("claim")).toBe("U1");
    await backend.advance(1200);
    expect(await store.setIfAbsent("claim", "U3", 1)).toBe(true);
    expect(await store.get("claim")).toBe("U3");
  });

  it("setIfAbsent under 200 concurrent callers: exactly one true", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.setIfAbsent("race", `U${i}`, 60)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get("race")).toBe(`U${winner}`);
  });

  it("compareAndSet replaces only the expected value", async () => {
    expect(await store.compareAndSet("s", "pending", "approved")).toBe(false); // absent
    await store.set("s", "pending");
    expect(await store.compareAndSet("s", "rejected", "approved")).toBe(false);
    expect(await store.get("s")).toBe("pending");
    expect(await store.compareAndSet("s", "pending", "approved")).toBe(true);
    expect(await store.get("s")).toBe("approved");
  });

  it("compareAndSet keeps the TTL when none is given, sets it when given", async () => {
    await store.set("k", "a", 1);
    expect(await store.compareAndSet("k", "a", "b")).toBe(true);
    await store.set("k2", "a", 1);
    expect(await store.compareAndSet("k2", "a", "b", 60)).toBe(true);
    await backend.advance(1200);
    expect(await store.get("k")).toBeNull();
    expect(await store.get("k2")).toBe("b");
  });

  it("compareAndSet under 100 concurrent callers: exactly one wins", async () => {
    await store.set("state", "pending");
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.compareAndSet("state", "pending", `by-${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("incr counts atomically; the TTL is set on creation and does not slide", async () => {
    const counts = await Promise.all(Array.from({ length: 50 }, () => store.incr("n", 1)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await backend.advance(600);
    expect(await store.incr("n", 1)).toBe(51);
    await backend.advance(700);
    expect(await store.incr("n", 1)).toBe(1);
    expect(await store.incr("forever")).toBe(1);
  });

  it("setIfAbsentIndexed creates the key and its index entry together, or neither", async () => {
    const idx = { index: "executing", member: "pl_a", score: 5000 };
    expect(await store.setIfAbsentIndexed("claim:a", "mine", 60, idx)).toBe(true);
    expect(await store.setIfAbsentIndexed("claim:a", "theirs", 60, { ...idx, score: 1 })).toBe(false);
    expect(await store.get("claim:a")).toBe("mine");
    // The losing call did not touch the index either.
    expect(await store.indexRange("executing", 10_000)).toEqual([{ member: "pl_a", score: 5000 }]);
    expect(
      await store.setIfAbsentIndexed("claim:b", "b", undefined, { ...idx, member: "pl_b", score: 3000 }),
    ).toBe(true);
    expect(await store.setIfAbsentIndexed("claim:c", "c", 1, { ...idx, member: "pl_c", score: 9000 })).toBe(
      true,
    );
    // Lowest score first, only up to maxScore, at most limit.
    expect(await store.indexRange("executing", 6000)).toEqual([
      { member: "pl_b", score: 3000 },
      { member: "pl_a", score: 5000 },
    ]);
    expect(await store.indexRange("executing", 1e12, 1)).toEqual([{ member: "pl_b", score: 3000 }]);
    expect(await store.indexRange("executing", 2999)).toEqual([]);
    expect(await store.indexRange("never", 1e12)).toEqual([]);
    await backend.advance(1200);
    expect(await store.get("claim:c")).toBeNull(); // the TTL applies to the key (the index is cleaned by its user)
  });

  it("setIfAbsentIndexed under 100 concurrent callers: one winner, one index entry", async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.setIfAbsentIndexed("claim:race", `U${i}`, 60, { index: "ix", member: "pl_r", score: i }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.indexRange("ix", 1e12)).toEqual([{ member: "pl_r", score: winner }]);
  });

  it("compareAndSetIndexed re-scores or removes the member only when the value matched", async () => {
    await store.setIfAbsentIndexed("claim:x", "v1", 60, { index: "ix2", member: "pl_x", score: 100 });
    const entry = { index: "ix2", member: "pl_x" };
    expect(
      await store.compareAndSetIndexed("claim:x", "nope", "v2", undefined, { ...entry, score: 999 }),
    ).toBe(false);
    expect(await store.indexRange("ix2", 1e12)).toEqual([{ member: "pl_x", score: 100 }]);
    expect(await store.compareAndSetIndexed("claim:x", "v1", "v2", undefined, { ...entry, score: 700 })).toBe(
      true,
    );
    expect(await store.get("claim:x")).toBe("v2");
    expect(await store.indexRange("ix2", 1e12)).toEqual([{ member: "pl_x", score: 700 }]);
    expect(await store.compareAndSetIndexed("claim:x", "v2", "done", 60, { ...entry, score: null })).toBe(
      true,
    );
    expect(await store.get("claim:x")).toBe("done");
    expect(await store.indexRange("ix2", 1e12)).toEqual([]);
    expect(await store.compareAndSetIndexed("absent", "a", "b", undefined, { ...entry, score: 1 })).toBe(
      false,
    );
    expect(await store.indexRange("ix2", 1e12)).toEqual([]);
  });

  it("compareAndSetIndexed under 50 concurrent take-overs: exactly one wins", async () => {
    await store.setIfAbsentIndexed("claim:t", "stale", 60, { index: "ix3", member: "pl_t", score: 1 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.compareAndSetIndexed("claim:t", "stale", `owner-${i}`, undefined, {
          index: "ix3",
          member: "pl_t",
          score: 1000 + i,
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get("claim:t")).toBe(`owner-${winner}`);
    expect(await store.indexRange("ix3", 1e12)).toEqual([{ member: "pl_t", score: 1000 + winner }]);
    await store.removeFromIndex("ix3", "pl_t");
    await store.removeFromIndex("ix3", "never-there");
    expect(await store.indexRange("ix3", 1e12)).toEqual([]);
  });

  it("sets add, remove and list members without duplicates", async () => {
    await store.addToSet("ch", "C1");
    await store.addToSet("ch", "C2");
    await store.addToSet("ch", "C1");
    expect((await store.members("ch")).sort()).toEqual(["C1", "C2"]);
    await store.removeFromSet("ch", "C1");
    await store.removeFromSet("ch", "C9");
    expect(await store.members("ch")).toEqual(["C2"]);
    expect(await store.members("none")).toEqual([]);
  });

  it("audit: newest first, limit, filter by load balancer, resource or plan id", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await store.appendAudit(
          entry({ planId: `pl_${i}`, loadBalancer: i % 2 ? "other-alb" : "my-alb", before: { v: i } }),
        ),
      );
    expect(new Set(ids).size).toBe(5);
    const all = await store.readAudit();
    expect(all.map((e) => e.planId)).toEqual(["pl_4", "pl_3", "pl_2", "pl_1", "pl_0"]);
    expect(all[0].before).toEqual({ v: 4 });
    expect(all[0].entryId).toBe(ids[4]);
    expect((await store.readAudit({ limit: 2 })).map((e) => e.planId)).toEqual(["pl_4", "pl_3"]);
    expect((await store.readAudit({ resource: "my-alb" })).map((e) => e.planId)).toEqual([
      "pl_4",
      "pl_2",
      "pl_0",
    ]);
    expect((await store.readAudit({ resource: "other-alb", limit: 1 })).map((e) => e.planId)).toEqual([
      "pl_3",
    ]);
    expect((await store.readAudit({ resource: "pl_2" })).map((e) => e.planId)).toEqual(["pl_2"]);
    expect(await store.readAudit({ resource: "nothing" })).toEqual([]);
  });

  it("ping answers", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe("redis store when Redis is unreachable", () => {
  it("every call throws store-unavailable quickly instead of hanging", async () => {
    // Port 1 on localhost: nothing listens, connections are refused.
    const store = createRedisStore({
      url: "redis://127.0.0.1:1",
      keyPrefix: uniquePrefix("down"),
      connectTimeoutMs: 300,
    });
    stores.push(store);
    const calls: (() => Promise<unknown>)[] = [
      () => store.get("a"),
      () => store.setIfAbsent("a", "b", 10),
      () => store.compareAndSet("a", "b", "c"),
      () => store.setIfAbsentIndexed("a", "b", 10, { index: "i", member: "m", score: 1 }),
      () => store.indexRange("i", 1),
      () => store.appendAudit(entry({})),
      () => store.ping(),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "store-unavailable" });
  });

  it("a store that was working fails closed after close/disconnect", async () => {
    const keyPrefix = uniquePrefix("closed");
    prefixes.push(keyPrefix);
    const store = createRedisStore({ url: TEST_REDIS_URL, keyPrefix });
    await store.set("x", "1");
    await store.close();
    await expect(store.setIfAbsent("x", "2")).rejects.toMatchObject({ code: "store-unavailable" });
  });
});
