/** A configuration error in the CLI names each bad variable and the reason, one `alb-doctor:` line each. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SOURCE_CLI_ARGS } from "../helpers/built.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("alb-doctor audit with a bad environment", { timeout: 60_000 }, () => {
  it("prints the variable and the reason, not just 'invalid configuration'", async () => {
    const env = { PATH: process.env.PATH ?? "", REDIS_URL: "localhost:6379", LOG_LEVEL: "loud" };
    const r = await promisify(execFile)(process.execPath, [...SOURCE_CLI_ARGS, "audit"], {
      cwd: ROOT,
      env,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "alb-doctor: invalid configuration: REDIS_URL: expected redis://host:port[/db]",
        expect.stringMatching(/^alb-doctor: invalid configuration: LOG_LEVEL: .+/),
      ]),
    );
    expect(lines).toHaveLength(2);
  });
});
