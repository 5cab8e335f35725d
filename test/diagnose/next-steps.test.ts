/** Every finding says what to do next: one table over every diagnosis id, filled in by the engine, shown everywhere. */
import { describe, expect, it } from "vitest";
import { renderReportText } from "../../src/cli/report-text.ts";
import type { Check } from "../../src/diagnose/check.ts";
import { buildReport } from "../../src/diagnose/engine.ts";
import { NEXT_STEPS, nextStepFor } from "../../src/diagnose/next-steps.ts";
import { DIAGNOSIS_IDS, type DiagnosisId } from "../../src/domain/ids.ts";
import type { Finding } from "../../src/domain/report.ts";
import { renderReport } from "../../src/slack/blocks/report.ts";
import { allTargetsUnhealthy, buildSnapshot, IDS, setIngress } from "../helpers/snapshot-builder.ts";

const finding = (id: DiagnosisId, over: Partial<Finding> = {}): Finding => ({
  id,
  severity: "critical",
  confidence: 0.9,
  title: id,
  evidence: [],
  resources: [],
  fixes: [],
  ...over,
});

describe("next steps", () => {
  it.each([...DIAGNOSIS_IDS])("%s has a next step of its own", (id) => {
    // Read through the table, not the type: an id added to ids.ts but missing here fails at run time too.
    const step = (NEXT_STEPS as Partial<Record<string, (f: Finding) => string>>)[id]?.(finding(id));
    expect(step, `no next step for ${id}`).toBeTruthy();
    expect(step!.length).toBeGreaterThan(40);
    expect(step).toMatch(/[.!]$/);
  });

  it("gives distinct steps: no id borrows another's words", () => {
    const steps = DIAGNOSIS_IDS.map((id) => nextStepFor(finding(id)));
    expect(new Set(steps).size).toBe(steps.length);
  });

  it("names the automated fix when the finding offers it, and not otherwise", () => {
    const fix = { id: "allow-alb-to-target" as const, automated: true, summary: "allow" };
    expect(nextStepFor(finding("sg-blocks-alb-to-target", { fixes: [fix] }))).toContain("automated fix");
    expect(nextStepFor(finding("sg-blocks-alb-to-target"))).not.toContain("automated fix");
  });

  it("keeps a check's own, more specific step", () => {
    expect(nextStepFor(finding("websocket-idle-timeout", { nextStep: "Ping every 20 s." }))).toBe(
      "Ping every 20 s.",
    );
  });

  it("fills every finding of a real diagnosis; a symptom's step sends the reader to its cause", () => {
    // The SG revokes the ALB, so every target fails: no-healthy-targets follows from sg-blocks-alb-to-target.
    const report = buildReport(
      buildSnapshot(setIngress(IDS.appSg, []), allTargetsUnhealthy("Target.Timeout")),
    );
    expect(report.findings.length).toBeGreaterThan(1);
    for (const f of report.findings) expect(f.nextStep, f.id).toBeTruthy();
    const root = report.findings[0]!;
    expect(root.id).toBe("sg-blocks-alb-to-target");
    expect(root.nextStep).toContain("automated fix");
    const symptom = report.findings.find((f) => f.id === "no-healthy-targets")!;
    expect(symptom.causedBy).toBe("sg-blocks-alb-to-target");
    expect(symptom.nextStep).toMatch(/^Fix sg-blocks-alb-to-target first/);
  });
});

describe("next steps on every surface", () => {
  const hostile = "Run <!channel> *now* at https://evil.example/x\u202e";
  const check = (findings: Finding[]): Check => ({ name: "fixed", run: () => findings });
  const report = () =>
    buildReport(buildSnapshot(), {
      checks: [
        check([
          finding("keepalive-race", { nextStep: hostile }),
          finding("target-tls-failure", { severity: "warning" }),
        ]),
      ],
    });

  it("prints the root cause's and the other findings' next steps in the text report", () => {
    const text = renderReportText(report());
    expect(text).toMatch(/next: Run <!channel> \*now\*/);
    expect(text).toContain(`next: ${NEXT_STEPS["target-tls-failure"](finding("target-tls-failure"))}`);
    expect(text).not.toContain("\u202e");
  });

  it("shows them in Slack through the escaping boundary", () => {
    const all = JSON.stringify(renderReport(report()).blocks);
    expect(all).toContain("*Next step:* Run &lt;!channel&gt;");
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("https://evil");
    expect(all).toContain("_next:_ Check what the targets serve on the target port");
  });
});
