import { describe, expect, it } from "vitest";
import { idleTimeoutCheck } from "../../src/diagnose/checks/idle-timeout.ts";
import {
  accessLogs,
  buildSnapshot,
  edit,
  lbAttribute,
  logClasses,
  metric,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { allMinutes, logPaths, spreadOver } from "./fixtures/logs.ts";

/** TargetResponseTime Maximum at the same value in every minute of the window. */
const maxResponseTime = (seconds: number) =>
  metric(
    "TargetResponseTime",
    Array.from({ length: 60 }, () => seconds),
    { stat: "Maximum" },
  );

const slowReports: Mutator[] = [
  logClasses({ "elb-504-idle-timeout": 41 }),
  logPaths({
    "/v1/reports": { requests: 300, classes: { "elb-504-idle-timeout": 38 } },
    "/v1/orders": { requests: 60_000, classes: { "elb-504-idle-timeout": 3 } },
  }),
  edit((s) => {
    s.accessLogs!.latency.targetProcessing = { count: 72_000, p50: 0.05, p90: 0.2, p99: 41.2, max: 59.9 };
    s.accessLogs!.latency.total = { count: 72_000, p50: 0.06, p90: 0.21, p99: 41.3, max: 60.001 };
  }),
  metric(
    "HTTPCode_ELB_504_Count",
    spreadOver(
      41,
      allMinutes.filter((m) => m % 2 === 0),
    ),
  ),
  maxResponseTime(59.9),
];

const run = (...m: Mutator[]) => idleTimeoutCheck.run(buildSnapshot(...m));

describe("idle-timeout-exceeded", () => {
  it("fires on idle-timeout 504s, names the paths, and proposes a timeout covering the slowest requests", () => {
    const [f] = run(...slowReports);
    expect(f.id).toBe("idle-timeout-exceeded");
    expect(f.severity).toBe("warning"); // 41 of 72k requests
    expect(f.confidence).toBeGreaterThanOrEqual(0.85);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("41 of 41 ELB 504s ended at the 60 s idle timeout");
    expect(text).toContain("concentrated on /v1/reports (38), /v1/orders (3)");
    expect(text).toContain("TargetResponseTime of all target responses: Maximum 59.9 s");
    const [idle, keepalive] = f.fixes;
    expect(idle.id).toBe("set-idle-timeout");
    expect(idle.changes![0]).toMatchObject({ current: "60", proposed: "120" }); // 60.001 s, in whole seconds, × 2
    // The backend keep-alive must follow the raised idle timeout.
    expect(keepalive.snippets!.find((s) => s.label === "nginx")!.code).toBe("keepalive_timeout 125s;");
  });

  it("caps the proposal at 4000 s", () => {
    const [f] = run(...slowReports, lbAttribute("idle_timeout.timeout_seconds", "3000"));
    expect(f.fixes[0].changes![0].proposed).toBe("4000");
  });

  it("fires from metrics alone when TargetResponseTime Maximum sits at the idle timeout", () => {
    const [f] = run(
      accessLogs(null),
      metric("HTTPCode_ELB_504_Count", spreadOver(20, allMinutes)),
      maxResponseTime(60),
    );
    expect(f.confidence).toBeLessThanOrEqual(0.65);
    expect(f.confidence).toBeGreaterThan(0.5);
  });

  it("does not fire on metrics-only 504s far from the idle timeout (connect timeouts)", () => {
    expect(
      run(
        accessLogs(null),
        metric("HTTPCode_ELB_504_Count", spreadOver(20, allMinutes)),
        maxResponseTime(10),
      ),
    ).toEqual([]);
  });

  it("does not fire on connect-timeout 504s in the logs", () => {
    expect(run(logClasses({ "elb-504-connect-timeout": 30 }))).toEqual([]);
  });

  it("stays silent on a clean snapshot", () => {
    expect(run()).toEqual([]);
  });
});
