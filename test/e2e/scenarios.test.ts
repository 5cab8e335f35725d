/**
 * The full path for every shipped scenario: the real SDK clients against the simulator over HTTP, the
 * collector, the log analyzer and every check. Each scenario declares what a correct diagnosis says
 * (`expect:`); this asserts the root cause, what must and must not be found, and the key evidence.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/domain/report.ts";
import { diagnoseScenarioFile, type DiagnosedScenario } from "../helpers/scenario-run.ts";

const DIR = join(import.meta.dirname, "../../scenarios");
const files = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Expect {
  rootCause: string | null;
  includes?: string[];
  excludes?: string[];
  status?: Report["status"];
  evidence?: string[];
  loadBalancer?: string;
  /** What the report's noData (an empty window) must say: strings or /regex/, like evidence. */
  noData?: string[];
  /** Collection parts that must report an error (fault scenarios). */
  failedChecks?: string[];
  /** The owner the report must name (managedBy kind and owner). */
  managedBy?: { kind: string; owner: string };
}

describe.each(files)("scenario %s", (file) => {
  let run: DiagnosedScenario<Expect> | undefined;
  let report: Report;
  let expected: Expect;

  beforeAll(async () => {
    run = await diagnoseScenarioFile<Expect>(join(DIR, file), { logConcurrency: 4 });
    ({ report, expected } = run);
  });
  afterAll(async () => {
    await run?.close();
  });

  it("names the expected root cause", () => {
    const ids = report.findings.map((f) => `${f.id} (${f.severity}, ${f.confidence})`);
    if (expected.rootCause === null) {
      expect(
        report.findings.filter((f) => f.severity !== "info"),
        ids.join(", "),
      ).toEqual([]);
    } else {
      expect(report.findings[0]?.id, `findings: ${ids.join(", ")}`).toBe(expected.rootCause);
    }
  });

  it("has the expected status", () => {
    if (expected.status) expect(report.status).toBe(expected.status);
  });

  it("reports the parts that could not be collected", () => {
    const failed = report.checks.filter((c) => c.status === "error").map((c) => c.id);
    for (const id of expected.failedChecks ?? [])
      expect(failed, `check ${id} must report an error`).toContain(id);
  });

  it("names the owner of the load balancer, or none", () => {
    if (expected.managedBy) expect(report.managedBy).toMatchObject(expected.managedBy);
    else expect(report.managedBy).toBeUndefined();
  });

  it("finds what must be found and not what must not", () => {
    const ids = report.findings.map((f) => f.id);
    for (const id of expected.includes ?? []) expect(ids, `must include ${id}`).toContain(id);
    for (const id of expected.excludes ?? []) expect(ids, `must not include ${id}`).not.toContain(id);
  });

  it("counts the status its root cause is about in the summary figures", () => {
    // 503, 460 and 464 are the incident for these causes: a summary that shows only 502/504 hides it.
    const figureOf: Record<string, "elb503" | "elb460" | "elb464"> = {
      "no-registered-targets": "elb503",
      "client-closed-early": "elb460",
      "target-protocol-mismatch": "elb464",
    };
    const key = figureOf[report.findings[0]?.id ?? ""];
    if (key) expect(report.figures?.[key], key).toBeGreaterThan(0);
    if (report.figures?.targetResponseP99 != null) expect(report.figures.targetResponseP99Of).toBeTruthy();
  });

  it("says what to do next under every finding", () => {
    for (const f of report.findings) expect(f.nextStep?.trim(), `${f.id} has no next step`).toBeTruthy();
  });

  it("says an empty window is empty, and only then", () => {
    if (expected.status !== "no-data") {
      // A scenario with traffic never reads as empty (that would hide its incident behind "no data").
      expect(report.noData, JSON.stringify(report.noData)).toBeUndefined();
      return;
    }
    expect(report.noData).toBeDefined();
    expect(report.noData!.window).toEqual(report.window);
    expectNeedles(`${report.noData!.detail}\n${report.noData!.clock ?? ""}`, expected.noData ?? []);
    // Run on the scenario's own clock, the clock is right: no warning about it.
    expect(report.noData!.clock).toBeUndefined();
  });

  it("backs the root cause with the key evidence", () => {
    const root = report.findings[0];
    if (!root || !expected.evidence?.length) return;
    const text = root.evidence.map((e) => e.detail).join("\n");
    expectNeedles(text, expected.evidence);
    expect(root.confidence).toBeGreaterThan(0);
    expect(root.confidence).toBeLessThanOrEqual(1);
  });
});

/** Each needle is a plain substring or a /regex/flags. */
function expectNeedles(text: string, needles: string[]): void {
  for (const needle of needles) {
    const m = /^\/(.+)\/([dgimsuy]*)$/.exec(needle);
    if (m) expect(text).toMatch(new RegExp(m[1], m[2]));
    else expect(text).toContain(needle);
  }
}
