/** `alb-doctor audit` reads the bot's audit stream in Redis: JSON and text, --limit and --lb filters. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { AuditEntry, Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from "../helpers/redis.ts";

const prefix = uniquePrefix("audit-cli");
let store: Store;
const saved = { url: process.env.REDIS_URL, prefix: process.env.REDIS_KEY_PREFIX };

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: "2026-03-15T14:30:00.000Z",
  event: "executed",
  planId: "pl_aaaaaaaa",
  fixId: "set-idle-timeout",
  actor: "U0BOB",
  loadBalancer: "my-alb",
  resource: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
  ...over,
});

beforeAll(async () => {
  store = createRedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix, connectTimeoutMs: 3000 });
  await store.appendAudit(entry({ event: "plan-created", actor: "U0ALICE" }));
  await store.appendAudit(
    entry({
      before: { "idle_timeout.timeout_seconds": "60" },
      after: { "idle_timeout.timeout_seconds": "120" },
      awsRequestId: "req-123",
    }),
  );
  await store.appendAudit(entry({ event: "rejected", planId: "pl_bbbbbbbb", loadBalancer: "other-alb" }));
  process.env.REDIS_URL = TEST_REDIS_URL;
  process.env.REDIS_KEY_PREFIX = prefix;
});
afterAll(async () => {
  process.env.REDIS_URL = saved.url;
  process.env.REDIS_KEY_PREFIX = saved.prefix;
  if (saved.url === undefined) delete process.env.REDIS_URL;
  if (saved.prefix === undefined) delete process.env.REDIS_KEY_PREFIX;
  await store.close();
  await deletePrefix(prefix);
});

const run = async (...args: string[]) => {
  const io = captureIo();
  const code = await main(["node", "alb-doctor", "audit", ...args], io);
  return { code, ...io };
};

describe("alb-doctor audit", () => {
  it("--json prints the entries newest first, filtered by --lb", async () => {
    const all = await run("--json");
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as AuditEntry[]).map((e) => e.event)).toEqual([
      "rejected",
      "executed",
      "plan-created",
    ]);
    const mine = JSON.parse((await run("--json", "--lb", "my-alb")).stdout) as AuditEntry[];
    expect(mine.map((e) => e.event)).toEqual(["executed", "plan-created"]);
    expect(mine[0]).toMatchObject({
      awsRequestId: "req-123",
      after: { "idle_timeout.timeout_seconds": "120" },
    });
    expect(JSON.parse((await run("--json", "--limit", "1")).stdout)).toHaveLength(1);
  });

  it("prints one line per entry with the change and the AWS request id", async () => {
    const out = await run("--lb", "pl_aaaaaaaa");
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("idle_timeout.timeout_seconds 60 -> 120");
    expect(lines[0]).toContain("request req-123");
    expect(lines[0]).toContain("by U0BOB");
  });

  it("refuses a bad --limit and a missing REDIS_URL with exit code 2", async () => {
    const bad = await run("--limit", "zero");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit/);
    delete process.env.REDIS_URL;
    const noRedis = await run();
    process.env.REDIS_URL = TEST_REDIS_URL;
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/REDIS_URL is not set/);
  });
});
