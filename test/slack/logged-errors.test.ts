/**
 * Errors reach the logs as errors: an Error with its type, message and stack; a string as a message (it was
 * spread into `{"0":"c","1":"o",...}`); secrets masked either way. The Redis store's "unreachable" warning,
 * from a real ioredis client pointed at a closed port, is the case seen in the field.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/slack/logger.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import { waitFor } from "../helpers/slack-harness.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger("info", sink) };
}

describe("err in log lines", () => {
  it("serializes Errors, strings and summaries as objects with a message", async () => {
    const { lines, logger } = capture();
    logger.error({ err: new RangeError("bad xoxb-123-secret") }, "an error");
    logger.warn({ err: "connection refused" }, "a string");
    logger.warn({ err: { code: "aws", message: "denied" } }, "a summary");
    logger.warn({ err: 42 }, "a number");
    await waitFor(() => lines.length === 4, 2000, "four lines");
    expect(lines[0].err).toMatchObject({ type: "RangeError", message: "bad [redacted]" });
    expect(String((lines[0].err as { stack: string }).stack)).not.toContain("xoxb-123");
    expect(lines[1].err).toEqual({ message: "connection refused" });
    expect(lines[2].err).toEqual({ code: "aws", message: "denied" });
    expect(lines[3].err).toEqual({ message: "42" });
  });

  it("logs the Redis store's unreachable warning with a readable error", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const { lines, logger } = capture();
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: "t:", logger });
    try {
      const line = await waitFor(
        () => lines.find((l) => l.msg === "redis store unreachable"),
        5000,
        "the warning",
      );
      const err = line.err as Record<string, unknown>;
      expect(err).not.toHaveProperty("0");
      expect(err.message).toMatch(/ECONNREFUSED/);
      expect(err.type).toBe("Error");
    } finally {
      await store.close();
    }
  });
});
