/**
 * `alb-doctor check` as a user runs it, in-process (`main(argv, captureIo())`): exit codes, one-line errors on
 * stderr, the JSON report contract of docs findings.md, the text and Slack renderings. Scenarios run on the
 * in-process simulator through the real SDK clients.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import { renderReportText } from "../../src/cli/report-text.ts";
import { DIAGNOSIS_IDS, FIX_IDS } from "../../src/domain/ids.ts";
import type { Report } from "../../src/domain/report.ts";

const KEEPALIVE = "scenarios/keepalive-race.yaml";
const LB_ARN =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop-prod/7c1e9a04d2b35f68";
const dir = mkdtempSync(join(tmpdir(), "alb-doctor-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each scenario run loads a simulated account and scans its logs: seconds on a busy 2-core CI machine. They run
// one at a time: concurrent runs on a starved machine push AWS calls past their deadline and change the report.
const SLOW = { timeout: 180_000 };

async function run(...args: string[]) {
  const io = captureIo();
  const code = await main(["node", "alb-doctor", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The contract of every error: exactly one line on stderr, starting `alb-doctor:`, no stack, nothing on stdout. */
function expectOneLineError(r: { code: number; out: string; err: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.out).toBe("");
  expect(r.err).toMatch(/^alb-doctor: [^\n]+\n$/);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

function scenarioExpect(file: string): { rootCause: string | null; status: string } {
  return (parseYaml(readFileSync(file, "utf8")) as { expect: { rootCause: string | null; status: string } })
    .expect;
}

/** The findings.md contract, key by key; keys beyond it (figures, durationMs) are additive and allowed. */
function expectReportContract(report: Report) {
  expect(Object.keys(report)).toEqual(
    expect.arrayContaining(["loadBalancer", "window", "status", "findings", "checks"]),
  );
  expect(report.loadBalancer).toEqual({
    name: expect.any(String),
    arn: expect.stringMatching(/^arn:aws:elasticloadbalancing:/),
    dnsName: expect.any(String),
  });
  for (const t of [report.window.start, report.window.end]) expect(Number.isNaN(Date.parse(t))).toBe(false);
  expect(["healthy", "problems-found", "incomplete"]).toContain(report.status);
  for (const f of report.findings) {
    expect(DIAGNOSIS_IDS).toContain(f.id);
    expect(["critical", "warning", "info"]).toContain(f.severity);
    expect(f.confidence).toBeGreaterThanOrEqual(0);
    expect(f.confidence).toBeLessThanOrEqual(1);
    expect(f.title).toEqual(expect.any(String));
    expect(f.evidence.length).toBeGreaterThan(0);
    for (const e of f.evidence)
      expect(e).toMatchObject({ source: expect.any(String), detail: expect.any(String) });
    expect(Array.isArray(f.resources)).toBe(true);
    for (const fix of f.fixes) {
      expect(FIX_IDS).toContain(fix.id);
      expect(typeof fix.automated).toBe("boolean");
      expect(fix.summary).toEqual(expect.any(String));
    }
  }
  expect(report.checks.length).toBeGreaterThan(0);
  for (const c of report.checks) {
    expect(c.id).toEqual(expect.any(String));
    expect(["ok", "error", "skipped"]).toContain(c.status);
    expect(c.durationMs).toBeGreaterThanOrEqual(0);
    if (c.status === "error") expect(c.error).toEqual(expect.any(String));
  }
}

describe("alb-doctor usage", () => {
  it("--help lists the commands on stdout, exit 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: alb-doctor/);
    expect(r.out).toContain("alb-doctor check shop-prod --scenario scenarios/keepalive-race.yaml");
    for (const c of ["check", "logs", "sim", "scenarios", "audit"])
      expect(r.out).toMatch(new RegExp(`^\\s+${c}\\b`, "m"));
  });

  it("check --help documents the options and exit codes, exit 0", async () => {
    const r = await run("check", "--help");
    expect(r.code).toBe(0);
    for (const o of ["--region", "--window", "--end", "--scenario", "--json", "--blocks"])
      expect(r.out).toContain(o);
    expect(r.out).toContain(
      "Exit codes: 0 healthy, 1 problems found, 2 incomplete, no data in the window (nothing to judge: never healthy) or usage error",
    );
  });

  it(
    "an empty window is no-data, never healthy: exit 2, the text and the JSON name the window",
    SLOW,
    async () => {
      const text = await run("check", "reports-staging", "--scenario", "no-data");
      expect(text.code).toBe(2);
      expect(text.out).toMatch(/^reports-staging {2}NO DATA$/m);
      expect(text.out).toContain("Nothing to judge from 2026-03-28T02:00:00Z to 2026-03-28T03:00:00Z");
      expect(text.out).not.toContain("No problems found");
      const json = await run("check", "reports-staging", "--scenario", "no-data", "--json");
      expect(json.code).toBe(2);
      const report = JSON.parse(json.out) as Report;
      expect(report.status).toBe("no-data");
      expect(report.noData?.window).toEqual(report.window);
    },
  );

  it.each([
    { args: [], error: /no command given: one of check, scan, logs, sim, scenarios, audit/ },
    { args: ["diagnose", "x"], error: /unknown command 'diagnose'/ },
    { args: ["check"], error: /missing required argument 'ref'; see alb-doctor check --help/ },
    { args: ["check", "shop-prod", "--bogus"], error: /unknown option '--bogus'/ },
    {
      args: ["check", "shop-prod", "--json", "--blocks"],
      error: /'--json' cannot be used with option '--blocks'/,
    },
    { args: ["check", "shop-prod", "--concurrency", "0"], error: /--concurrency.*'0' is invalid/ },
    { args: ["check", "shop-prod", "--window", "5x"], error: /"5x" is not a window/ },
    { args: ["check", "shop-prod", "--window", "30s"], error: /"30s" is too short: at least 1m/ },
    { args: ["check", "shop-prod", "--window", "99d"], error: /"99d" is too long: at most 14d/ },
    { args: ["check", "shop-prod", "--end", "yesterday"], error: /"yesterday" is not a time: use ISO 8601/ },
    {
      args: ["check", "arn:aws:elasticloadbalancing:us-east-1:12:loadbalancer/app/x"],
      error: /is not a load balancer ARN/,
    },
    { args: ["check", "shop prod!"], error: /shop prod!/ },
    {
      args: ["check", "shop-prod", "--scenario", "nope/missing.yaml"],
      error: /nope\/missing\.yaml: cannot read the scenario file/,
    },
  ])("$args: one clear line on stderr, exit 2, before any AWS call", async ({ args, error }) => {
    expectOneLineError(await run(...args), error);
  });

  it("a scenario that is not YAML names the file and the line", async () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "name: x\nloadBalancers: [1, 2\n");
    expectOneLineError(
      await run("check", "x", "--scenario", file),
      new RegExp(`${file}: not valid YAML.*line \\d+`),
    );
  });

  it("an invalid scenario names the file and every bad key, one alb-doctor: line each", async () => {
    const file = join(dir, "invalid.yaml");
    writeFileSync(file, 'name: x\nregion: 42\nloadBalancers: "nope"\n');
    const r = await run("check", "x", "--scenario", file);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^alb-doctor: ${file}: region: `)),
        expect.stringMatching(new RegExp(`^alb-doctor: ${file}: loadBalancers: `)),
      ]),
    );
    for (const l of lines) expect(l).toMatch(/^alb-doctor: /);
  });
});

describe("alb-doctor check on the keep-alive race scenario", SLOW, () => {
  it("--json prints exactly the report contract, root cause first, exit 1", async () => {
    const r = await run("check", "shop-prod", "--scenario", KEEPALIVE, "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expectReportContract(report);
    expect(report.status).toBe("problems-found");
    expect(report.loadBalancer).toMatchObject({ name: "shop-prod", arn: LB_ARN });
    expect(report.findings[0].id).toBe(scenarioExpect(KEEPALIVE).rootCause);
    expect(report.window).toEqual({ start: "2026-03-15T13:30:00.000Z", end: "2026-03-15T14:30:00.000Z" });
  });

  it("the text report puts the root cause first with its evidence and fixes, numbers rounded", async () => {
    const r = await run("check", "shop-prod", "--scenario", KEEPALIVE);
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^shop-prod {2}PROBLEMS FOUND\n/);
    expect(r.out).toContain("window 2026-03-15 13:30 - 14:30 UTC (1h)");
    const root = r.out.indexOf("Root cause");
    expect(root).toBeGreaterThan(0);
    expect(r.out.slice(root)).toMatch(/^Root cause\n {2}.*\[keepalive-race\]/);
    expect(r.out).toMatch(/automated fix: .*\[set-idle-timeout\]/);
    expect(r.out).toMatch(/manual fix: .*\[raise-backend-keepalive\]/);
    expect(r.out).toContain("change idle_timeout.timeout_seconds: 60 -> ");
    expect(r.out).not.toMatch(/\d\.\d{4,}/); // no 0.34297913268944574
    expect(r.out).not.toContain("\x1b["); // not a TTY: no colour
  });

  it("--blocks prints the Slack message as pure JSON; --builder-link the Block Kit Builder link to it", async () => {
    const r = await run("check", "shop-prod", "--scenario", KEEPALIVE, "--blocks");
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    const message = JSON.parse(r.out) as { blocks: { type: string }[] };
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(JSON.stringify(message.blocks)).toContain("keepalive");
    const l = await run("check", "shop-prod", "--scenario", KEEPALIVE, "--builder-link");
    expect(l.code).toBe(1);
    expect(l.out).toMatch(/^https:\/\/app\.slack\.com\/block-kit-builder\/#\S+\n$/);
    const shown = JSON.parse(decodeURIComponent(l.out.trim().split("#")[1])) as {
      blocks: { type: string }[];
    };
    // The same message (a second run: only the "diagnosed in" time may differ).
    expect(shown.blocks.map((b) => b.type)).toEqual(message.blocks.map((b) => b.type));
    expect(JSON.stringify(shown.blocks)).toContain("keepalive");
  });

  it.each([
    { how: "full ARN", ref: LB_ARN },
    { how: "app/NAME/ID", ref: "app/shop-prod/7c1e9a04d2b35f68" },
    { how: "DNS name with a trailing dot", ref: "shop-prod-4025769106.us-east-1.elb.amazonaws.com." },
  ])("resolves a $how to the same load balancer", async ({ ref }) => {
    const r = await run("check", ref, "--scenario", KEEPALIVE, "--json");
    expect(r.err).toBe("");
    expect((JSON.parse(r.out) as Report).loadBalancer.arn).toBe(LB_ARN);
  });

  it.each([
    {
      how: "a name with a typo",
      ref: "shop-prd",
      args: [],
      error: /no load balancer named "shop-prd" in us-east-1; closest: shop-prod/,
    },
    {
      how: "an unknown app/NAME/ID",
      ref: "app/shop-prod/0000000000000000",
      args: [],
      error: /no load balancer matches .*shop-prod exists as/,
    },
    {
      how: "an ARN of another region",
      ref: LB_ARN.replace("us-east-1", "eu-west-1"),
      args: [],
      error: /ARN is in eu-west-1 .* pass --region eu-west-1/,
    },
    {
      how: "an ARN of another account",
      ref: LB_ARN.replace("123456789012", "999999999999"),
      args: [],
      error: /account 999999999999 .* account 123456789012/,
    },
    {
      how: "--region unlike the scenario's",
      ref: "shop-prod",
      args: ["--region", "eu-west-1"],
      error: /simulated account is in us-east-1, not eu-west-1/,
    },
  ])("$how: one clear line, exit 2", async ({ ref, args, error }) => {
    expectOneLineError(await run("check", ref, "--scenario", KEEPALIVE, ...args), error);
  });

  it("--scenario takes a shipped scenario by name", async () => {
    const r = await run("check", "shop-prod", "--scenario", "keepalive-race", "--json");
    expect(r.err).toBe("");
    expect((JSON.parse(r.out) as Report).findings[0].id).toBe("keepalive-race");
    expectOneLineError(
      await run("check", "shop-prod", "--scenario", "keepalive-rac"),
      /keepalive-rac: cannot read the scenario file/,
    );
  });

  it("--end moves the window", async () => {
    const r = await run(
      "check",
      "shop-prod",
      "--scenario",
      KEEPALIVE,
      "--json",
      "--window",
      "30m",
      "--end",
      "2026-03-15T14:00:00Z",
    );
    expect((JSON.parse(r.out) as Report).window).toEqual({
      start: "2026-03-15T13:30:00.000Z",
      end: "2026-03-15T14:00:00.000Z",
    });
  });
});

describe("alb-doctor check exit codes and root causes across scenarios", SLOW, () => {
  it.each(["healthy", "sg-blocks-alb-to-target", "idle-timeout-exceeded", "faults"])(
    "%s: findings[0] is the scenario's root cause, exit code follows the status",
    async (name) => {
      const file = `scenarios/${name}.yaml`;
      const expected = scenarioExpect(file);
      const lb = (parseYaml(readFileSync(file, "utf8")) as { loadBalancers: { LoadBalancerName: string }[] })
        .loadBalancers[0].LoadBalancerName;
      const r = await run("check", lb, "--scenario", file, "--json");
      const report = JSON.parse(r.out) as Report;
      expectReportContract(report);
      expect(report.status, JSON.stringify(report.checks)).toBe(expected.status);
      expect(r.code).toBe({ healthy: 0, "problems-found": 1, incomplete: 2 }[expected.status]);
      const problems = report.findings.filter((f) => f.severity !== "info");
      if (expected.rootCause === null) expect(problems).toEqual([]);
      else expect(report.findings[0].id).toBe(expected.rootCause);
    },
  );

  it("a healthy ALB whose network-ACL check is denied is incomplete: exit 2, the text names check and permission", async () => {
    const file = join(dir, "healthy-denied.yaml");
    const healthy = readFileSync("scenarios/healthy.yaml", "utf8");
    writeFileSync(
      file,
      `${healthy}\nfaults:\n  - { Service: ec2, Action: DescribeNetworkAcls, Error: UnauthorizedOperation, Message: "not authorized to perform: ec2:DescribeNetworkAcls" }\n`,
    );
    const json = await run("check", "cms-prod", "--scenario", file, "--json");
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as Report;
    expect(report.status).toBe("incomplete");
    // The text the same run would print (rendering is pure; rendering tests are in report-text.test.ts).
    const text = renderReportText(report);
    expect(text).toMatch(/^cms-prod {2}INCOMPLETE/);
    expect(text).toContain("not a clean bill of health");
    expect(text).toMatch(/x network-acls: .*ec2:DescribeNetworkAcls/);
    expect(report.checks).toContainEqual(expect.objectContaining({ id: "network-acls", status: "error" }));
  });
});
