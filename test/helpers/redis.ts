/** Real Redis for tests: a unique key prefix per run, and a cleanup that deletes exactly those keys. */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function uniquePrefix(area: string): string {
  return `alb-doctor-test:${area}:${process.pid}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under the prefix. */
export async function deletePrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export interface RedisProxy {
  url: string;
  /** Stops Redis as the app sees it: closes the port and cuts every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port (after stop): Redis is "back". */
  start(): Promise<void>;
  /**
   * Holds the bytes sent to Redis (they reach it only on resume): a Redis that stopped answering. With `from`,
   * commands pass until one containing that text (e.g. a script's "ZADD"); it and all after it are held.
   */
  pause(from?: string): void;
  /** Sends what was held, in order, and forwards again. */
  resume(): void;
}

/** A TCP proxy in front of the real Redis, so a test can "stop Redis" for one app without touching Redis. */
export async function startRedisProxy(target = new URL(TEST_REDIS_URL)): Promise<RedisProxy> {
  const sockets = new Set<Socket>();
  let paused = false;
  let holdFrom: string | undefined;
  const held: { upstream: Socket; data: Buffer }[] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (data: Buffer) => {
      if (paused && holdFrom !== undefined && !data.includes(holdFrom)) upstream.write(data);
      else if (paused) {
        holdFrom = undefined; // everything after the first held command waits too (Redis answers in order)
        held.push({ upstream, data });
      } else upstream.write(data);
    });
    client.on("end", () => upstream.end());
    upstream.pipe(client);
  });
  const listen = async (port: number) => {
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
  };
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    start: () => listen(port),
    pause(from) {
      paused = true;
      holdFrom = from;
    },
    resume() {
      paused = false;
      for (const { upstream, data } of held.splice(0)) if (!upstream.destroyed) upstream.write(data);
    },
  };
}
