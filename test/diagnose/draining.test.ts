import { describe, expect, it } from "vitest";
import { drainingCheck } from "../../src/diagnose/checks/draining.ts";
import {
  accessLogs,
  buildSnapshot,
  edit,
  IDS,
  logClasses,
  metric,
  targetHealth,
  tgAttribute,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { deployDrainingTarget } from "./fixtures/incidents.ts";
import { allMinutes, logMinutes, logTargets, spreadOver } from "./fixtures/logs.ts";

const B = "10.0.12.10:8080";

const run = (...m: Mutator[]) => drainingCheck.run(buildSnapshot(...m));

describe("deregistration-draining", () => {
  it("fires on 502s concentrated on a draining target inside the draining window", () => {
    const [f] = run(...deployDrainingTarget);
    expect(f).toMatchObject({ id: "deregistration-draining", severity: "critical" });
    expect(f.confidence).toBeGreaterThanOrEqual(0.9);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain(`90 of 90 ELB 502/504s went to draining or deregistered targets: i-0a2 (${B}) 90`);
    expect(text).toContain("90 of 90 ELB 502/504s fall in the last 300 s of the window");
    expect(f.resources).toEqual([IDS.tgArn, "i-0a2"]);
  });

  it("with a delay shorter than the slowest request, proposes a longer delay with current and proposed values", () => {
    const [f] = run(
      ...deployDrainingTarget,
      tgAttribute("deregistration_delay.timeout_seconds", "30"),
      edit((s) => {
        s.accessLogs!.latency.total.max = 45;
      }),
    );
    expect(f.evidence.map((e) => e.detail)).toContain(
      "deregistration_delay.timeout_seconds 30 is shorter than the slowest request seen (45.0 s)",
    );
    expect(f.fixes).toEqual([
      expect.objectContaining({
        id: "set-deregistration-delay",
        automated: true,
        changes: [
          {
            resource: IDS.tgArn,
            setting: "deregistration_delay.timeout_seconds",
            current: "30",
            proposed: "70",
          },
        ],
      }),
    ]);
  });

  it("with an ample delay, blames the application's shutdown and offers no attribute change", () => {
    const [f] = run(...deployDrainingTarget);
    expect(f.fixes).toEqual([]);
    expect(f.evidence.map((e) => e.detail).join("\n")).toContain("the targets stop before draining ends");
  });

  it("after the deploy: 502s on addresses no longer registered, with a short delay", () => {
    const [f] = run(
      tgAttribute("deregistration_delay.timeout_seconds", "5"),
      edit((s) => {
        s.accessLogs!.latency.total.max = 20;
      }),
      logClasses({ "elb-502-target-closed": 40 }),
      logTargets({ "10.0.13.10:8080": { requests: 900, classes: { "elb-502-target-closed": 40 } } }),
    );
    expect(f.id).toBe("deregistration-draining");
    expect(f.evidence[0].detail).toContain("10.0.13.10:8080 (deregistered) 40");
    expect(f.fixes[0].changes![0]).toMatchObject({ current: "5", proposed: "30" });
  });

  it("from metrics alone: 502s in the draining window while a target drains, lower confidence", () => {
    const [f] = run(...deployDrainingTarget, accessLogs(null));
    expect(f.confidence).toBeLessThanOrEqual(0.6);
    expect(f.evidence[0].source).toBe("metrics");
  });

  it("does not fire for 502s on healthy targets spread over the hour (keep-alive race)", () => {
    expect(
      run(
        logClasses({ "elb-502-target-closed": 120 }),
        logTargets({ [B]: { requests: 36_000, classes: { "elb-502-target-closed": 120 } } }),
        metric("HTTPCode_ELB_502_Count", spreadOver(120, allMinutes)),
      ),
    ).toEqual([]);
  });

  it("does not blame a deploy for errors on unknown addresses when the delay covers the slowest request", () => {
    expect(
      run(
        logClasses({ "elb-502-target-closed": 40 }),
        logTargets({ "10.0.13.10:8080": { requests: 900, classes: { "elb-502-target-closed": 40 } } }),
      ),
    ).toEqual([]);
  });

  it("does not blame a deploy when the draining target only took its share of errors spread over the hour", () => {
    expect(
      run(
        targetHealth("i-0a2", "draining", "Target.DeregistrationInProgress"),
        logClasses({ "elb-502-target-closed": 31 }),
        logTargets({
          "10.0.11.10:8080": { requests: 30_000, classes: { "elb-502-target-closed": 23 } },
          [B]: { requests: 10_000, classes: { "elb-502-target-closed": 8 } },
        }),
        logMinutes((i) => ({ requests: 1200, classes: i % 2 ? { "elb-502-target-closed": 1 } : {} })),
      ),
    ).toEqual([]);
  });

  it("does not fire for a draining target that took no errors", () => {
    expect(
      run(
        targetHealth("i-0a2", "draining", "Target.DeregistrationInProgress"),
        logClasses({ "elb-502-target-closed": 10 }),
        logTargets({ "10.0.11.10:8080": { requests: 36_000, classes: { "elb-502-target-closed": 10 } } }),
      ),
    ).toEqual([]);
  });

  it("stays silent on a clean snapshot", () => {
    expect(run()).toEqual([]);
  });
});
