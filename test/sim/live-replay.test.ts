import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/sim/scenario.ts";

/** Status codes of every generated line, in key order: what a replay must keep whatever the wall clock. */
// The shipped scenario without its explicit seeds: the generator must then seed itself stably.
const UNSEEDED = readFileSync("scenarios/keepalive-race.yaml", "utf8").replace(/\bSeed: *[^,}\n]+,? */g, "");

function statuses(wallClock: Date): string[] {
  const world = loadScenario(UNSEEDED, { live: true, wallClock });
  const out: string[] = [];
  for (const bucket of world.buckets.values()) {
    for (const key of [...bucket.Objects.keys()].sort()) {
      const text = gunzipSync(bucket.Objects.get(key)!.Body).toString("utf8");
      for (const line of text.split("\n").filter(Boolean)) out.push(line.split(" ")[8]);
    }
  }
  return out;
}

describe("--live replay", () => {
  it("draws the same generated traffic whatever the wall clock", () => {
    const a = statuses(new Date("2026-11-26T09:00:00Z"));
    const b = statuses(new Date("2026-12-01T17:31:00Z"));
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
  });
});
