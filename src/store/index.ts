/** Picks the store from the config: Redis when REDIS_URL is set, the embedded memory store otherwise. */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { createMemoryStore } from "./memory.ts";
import { createRedisStore } from "./redis.ts";
import type { Store } from "./store.ts";

export type { Store, AuditEntry, AuditEvent } from "./store.ts";

export function createStore(config: Pick<Config, "REDIS_URL" | "REDIS_KEY_PREFIX">, logger?: Logger): Store {
  if (!config.REDIS_URL) {
    logger?.info("REDIS_URL unset: using the in-memory store (approvals do not survive a restart)");
    return createMemoryStore();
  }
  return createRedisStore({
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX ?? "alb-doctor:",
    logger,
  });
}
