/**
 * The pacer's guarantee, measured where it is made: two replicas sharing one store never start Slack
 * calls in the same channel closer than the interval, and a replica that wakes up late does not squeeze in.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ChannelPacer } from "../../src/slack/pacer.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.ts";

const prefix = uniquePrefix("pacer");
const redisStores: Store[] = [];
afterAll(async () => {
  for (const s of redisStores) await s.close();
  await deletePrefix(prefix);
});

async function startTimes(stores: [Store, Store], interval: number, calls: number, channels = ["C1"]) {
  const pacers = stores.map((s) => new ChannelPacer(s, interval));
  const starts: Record<string, number[]> = {};
  await Promise.all(
    Array.from({ length: calls }, (_, i) => {
      const channel = channels[i % channels.length];
      return pacers[i % 2].run(channel, async () => {
        (starts[channel] ??= []).push(Date.now());
      });
    }),
  );
  return starts;
}

const gaps = (xs: number[]) => [...xs].sort((a, b) => a - b).flatMap((t, i, s) => (i ? [t - s[i - 1]] : []));

describe("ChannelPacer", () => {
  it.each([
    ["memory", () => [createMemoryStore(), createMemoryStore()] as const, false],
    [
      "redis",
      () =>
        [
          createRedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix }),
          createRedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix }),
        ] as const,
      true,
    ],
  ])("keeps the interval between calls across two replicas (%s)", async (_kind, make, shared) => {
    const [a, b] = make();
    if (shared) redisStores.push(a, b);
    const stores: [Store, Store] = shared ? [a, b] : [a, a];
    const starts = await startTimes(stores, 40, 16);
    expect(starts.C1).toHaveLength(16);
    expect(Math.min(...gaps(starts.C1))).toBeGreaterThanOrEqual(40);
  });

  it("paces channels independently", async () => {
    const store = createMemoryStore();
    const t0 = Date.now();
    const starts = await startTimes([store, store], 60, 8, ["C1", "C2"]);
    expect(Math.min(...gaps(starts.C1))).toBeGreaterThanOrEqual(60);
    expect(Math.min(...gaps(starts.C2))).toBeGreaterThanOrEqual(60);
    // 4 calls per channel, in parallel: about 4 slots, not 8.
    expect(Date.now() - t0).toBeLessThan(8 * 75);
  });

  it("falls back to its own slots when the store is down", async () => {
    const broken = createMemoryStore();
    await broken.close();
    const pacer = new ChannelPacer(broken, 30);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () => pacer.run("C1", async () => void starts.push(Date.now()))),
    );
    expect(starts).toHaveLength(5);
    expect(Math.min(...gaps(starts))).toBeGreaterThanOrEqual(30);
  });

  it("a call that wakes up late takes a new slot instead of crowding the next one", async () => {
    const store = createMemoryStore();
    let now = 1_000_000;
    const pacer = new ChannelPacer(store, 100, () => now);
    const first = await pacer.reserve("C1");
    const second = await pacer.reserve("C1");
    expect(second - first).toBeGreaterThanOrEqual(100);
    now = second + 200; // woke up long after its slot
    const calls: number[] = [];
    await pacer.run("C1", async () => void calls.push(now));
    expect(calls).toHaveLength(1);
  });
});
