/**
 * `alb-doctor logs --files` text: "most errors" lists rank by 5xx first (the 502s are what the user is after,
 * not a flood of 404s) and leave out targets and paths without any error.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";

const TG = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";

/** One access-log line: target, ELB and target status, path. */
function line(target: string, elb: number, tgt: number | "-", path: string, i: number): string {
  const t = `2018-11-30T22:23:${String(i % 60).padStart(2, "0")}.186641Z`;
  return (
    `http ${t} app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 ${target} 0.000 0.001 0.000 ` +
    `${elb} ${tgt} 34 366 "GET http://www.example.com:80${path} HTTP/1.1" "curl/7.46.0" - - ${TG} ` +
    `"Root=1-58337364-23a8c76965a2ef7629b185e${i % 10}" "-" "-" 0 ${t} "forward" "-" "-" "${target}" "${tgt}" "-" "-" TID_1`
  );
}

describe("alb-doctor logs --files: targets and paths with most errors", () => {
  it("ranks 5xx before 4xx and lists no target without errors", async () => {
    const lines: string[] = [];
    let i = 0;
    for (let n = 0; n < 30; n++) lines.push(line("10.0.0.1:80", 404, 404, "/missing", i++));
    for (let n = 0; n < 3; n++) lines.push(line("10.0.0.2:80", 502, "-", "/checkout", i++));
    for (let n = 0; n < 50; n++) lines.push(line("10.0.0.3:80", 200, 200, "/ok", i++));
    const dir = mkdtempSync(join(tmpdir(), "alb-doctor-rank-"));
    const file = join(dir, "a.log");
    writeFileSync(file, lines.join("\n") + "\n");
    const io = captureIo();
    expect(await main(["node", "alb-doctor", "logs", "--files", file, "--workers", "0"], io)).toBe(0);
    const targets = io.stdout.split("Targets with most errors:\n")[1].split("\n\n")[0].split("\n");
    expect(targets.map((l) => l.trim().split(/\s+/)[0])).toEqual(["10.0.0.2:80", "10.0.0.1:80"]);
    const paths = io.stdout.split("Paths with most errors:\n")[1].split("\n\n")[0].split("\n");
    expect(paths.map((l) => l.trim().split(/\s+/)[0])).toEqual(["/checkout", "/missing"]);
  });
});
