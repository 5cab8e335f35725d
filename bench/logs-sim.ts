/** The simulator serving the benchmark files as an access-log bucket (for the S3 path of bench:logs). */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { startSimulator } from "../src/sim/index.ts";
import { loadScenarioObject } from "../src/sim/scenario.ts";

export async function startS3Simulator(paths: string[], _keyName: (i: number) => string) {
  const bucket = "bench-alb-logs";
  const prefix = "bench";
  const world = loadScenarioObject(
    {
      name: "bench-logs",
      region: "us-east-1",
      accountId: "123456789012",
      now: "2026-11-26T08:00:00Z",
      buckets: [{ Name: bucket }],
    },
    "<bench>",
  );
  const b = world.buckets.get(bucket);
  if (!b) throw new Error("the simulator did not create the bucket");
  for (const p of paths) {
    const name = basename(p);
    const day = name.match(/_(\d{4})(\d{2})(\d{2})T/) as RegExpMatchArray;
    const key = `${prefix}/AWSLogs/123456789012/elasticloadbalancing/us-east-1/${day[1]}/${day[2]}/${day[3]}/${name}`;
    b.Objects.set(key, { Body: readFileSync(p), LastModified: new Date(), ETag: `"${name}"` });
  }
  const sim = await startSimulator({ world });
  return { endpoint: sim.endpoint, bucket, prefix, close: () => sim.close() };
}
