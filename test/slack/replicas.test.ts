/**
 * Two replicas of the bot behind one Slack app, sharing the real Redis (a unique key prefix per run):
 * Slack's retry of a slash command that lands on the other replica does not start a second diagnosis, and a
 * fix offer saved by one replica can be loaded by the other (the button may be clicked on either).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixOffer } from "../../src/remediate/offers.ts";
import type { Diagnoser } from "../../src/services/types.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.ts";
import {
  postSigned,
  slashBody,
  startFakeSlack,
  startTestApp,
  type FakeSlack,
  type TestApp,
} from "../helpers/slack-harness.ts";
import { keepaliveReport } from "./fixtures.ts";

describe("two replicas sharing Redis", () => {
  const prefix = uniquePrefix("slack");
  let fake: FakeSlack;
  const stores: Store[] = [];
  const apps: TestApp[] = [];
  const calls = [0, 0];

  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const i of [0, 1]) {
      const store = createRedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix });
      const diagnose: Diagnoser = async (ref) => {
        calls[i]++;
        const r = keepaliveReport();
        return { ...r, loadBalancer: { ...r.loadBalancer, name: ref } };
      };
      stores.push(store);
      apps.push(await startTestApp({ fake, store, diagnose }));
    }
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const s of stores) await s.close();
    await fake?.close();
    await deletePrefix(prefix);
  });

  it("ignores Slack's retry on the other replica, and either replica can load the fix offer", async () => {
    const hook = "replicated";
    const body = slashBody({
      text: "check my-alb",
      response_url: fake.responseUrl(hook),
      trigger_id: "555.666.replica",
    });
    const first = await postSigned(apps[0].eventsUrl, body, "application/x-www-form-urlencoded");
    expect(first.status).toBe(200);
    const final = await fake.waitFor(
      () => fake.postsTo(hook).find((p) => p.body.replace_original),
      10_000,
      "answer",
    );
    const retry = await postSigned(apps[1].eventsUrl, body, "application/x-www-form-urlencoded", {
      retryNum: 1,
    });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([1, 0]);
    expect(fake.postsTo(hook).filter((p) => p.body.replace_original)).toHaveLength(1);

    const value = JSON.stringify(final.body.blocks).match(/"value":"(fx_[^"]+)"/)![1];
    expect((await loadFixOffer(stores[1], value))?.fix.id).toBe("set-idle-timeout");
  });

  it("reports the Redis store as ready", async () => {
    const res = await fetch(`${apps[1].url}/readyz`);
    expect(((await res.json()) as { store: unknown }).store).toEqual({ kind: "redis", ok: true });
  });
});
