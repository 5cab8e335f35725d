import { describe, expect, it } from "vitest";
import {
  codesFromDescription,
  healthCheckMisconfiguredCheck,
  matcherAccepts,
} from "../../src/diagnose/checks/health-check.ts";
import { healthCheckTooSlowCheck } from "../../src/diagnose/checks/health-check-too-slow.ts";
import { targetHealthCheck } from "../../src/diagnose/checks/health.ts";
import {
  allTargetsUnhealthy,
  buildSnapshot,
  edit,
  healthCheck,
  healthCheckPort,
  IDS,
  metric,
  targetHealth,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { allMinutes, logPaths, logTargets, spreadOver } from "./fixtures/logs.ts";

const health = (...m: Mutator[]) => targetHealthCheck.run(buildSnapshot(...m));
const settings = (...m: Mutator[]) => healthCheckMisconfiguredCheck.run(buildSnapshot(...m));
const timing = (...m: Mutator[]) => healthCheckTooSlowCheck.run(buildSnapshot(...m));

describe("target health states", () => {
  it("reports nothing when every target is healthy", () => {
    expect(health()).toEqual([]);
  });

  it("targets-unhealthy (warning) when some targets fail, with reasons", () => {
    const [f] = health(targetHealth("i-0a2", "unhealthy", "Target.Timeout", "Request timed out"));
    expect(f).toMatchObject({ id: "targets-unhealthy", severity: "warning" });
    expect(f.evidence[0].detail).toBe(
      "1 of 2 targets of api are unhealthy: Target.Timeout ×1 (Request timed out)",
    );
    expect(f.resources).toEqual([IDS.tgArn, "i-0a2"]);
  });

  it("no-healthy-targets (critical) when all fail, noting the fail-open behaviour", () => {
    const [f] = health(allTargetsUnhealthy());
    expect(f).toMatchObject({ id: "no-healthy-targets", severity: "critical" });
    expect(f.evidence.map((e) => e.detail).join("\n")).toContain("fails open");
  });

  it("draining targets do not count as active", () => {
    const [f] = health(
      targetHealth("i-0a1", "draining", "Target.DeregistrationInProgress"),
      targetHealth("i-0a2", "unhealthy", "Target.Timeout"),
    );
    expect(f.id).toBe("no-healthy-targets");
    expect(f.evidence[0].detail).toMatch(/^1 of 1 targets/);
  });

  it("no-registered-targets for a forwarded group with no targets, with the 503s", () => {
    const [f] = health(
      edit((s) => {
        s.targetGroups[0].targets = [];
      }),
      metric("HTTPCode_ELB_503_Count", spreadOver(900, allMinutes)),
    );
    expect(f).toMatchObject({ id: "no-registered-targets", severity: "critical", confidence: 0.95 });
    expect(f.evidence.map((e) => e.detail)).toContain("HTTPCode_ELB_503_Count 900 in the window");
  });

  it("ignores a group no listener forwards to", () => {
    expect(
      health(
        edit((s) => {
          s.targetGroups[0].targets = [];
          s.listeners[0].defaultActions = [{ type: "fixed-response", fixedResponseStatus: "404" }];
        }),
      ),
    ).toEqual([]);
  });

  it("a past flap seen only in UnHealthyHostCount is info", () => {
    const [f] = health(
      metric("UnHealthyHostCount", spreadOver(3, [10, 11, 12]), {
        stat: "Average",
        targetGroup: IDS.tgResourceId,
      }),
    );
    expect(f).toMatchObject({ id: "targets-unhealthy", severity: "info" });
  });

  it("says how far HealthyHostCount fell: its lowest datapoint", () => {
    const [f] = health(
      targetHealth("i-0a2", "unhealthy", "Target.Timeout", "Request timed out"),
      metric("UnHealthyHostCount", [0, 1, 2, 0], { stat: "Maximum", targetGroup: IDS.tgResourceId }),
      metric("HealthyHostCount", [2, 1, 0, 2], { stat: "Minimum", targetGroup: IDS.tgResourceId }),
    );
    expect(f.evidence.map((e) => e.detail).join("\n")).toContain("HealthyHostCount fell to 0");
  });
});

describe("health-check-misconfigured", () => {
  const mismatch404 = allTargetsUnhealthy(
    "Target.ResponseCodeMismatch",
    "Health checks failed with these codes: [404]",
  );

  it("proposes the health path the application answers, from the access logs", () => {
    const [f] = settings(
      mismatch404,
      logPaths({ "/healthz": { requests: 120 }, "/v1/orders": { requests: 50_000 } }),
    );
    expect(f).toMatchObject({ id: "health-check-misconfigured", severity: "critical" });
    expect(f.confidence).toBeGreaterThanOrEqual(0.85);
    expect(f.evidence[0].detail).toContain(
      "answer the health check HTTP /health on the traffic port 8080 with [404] while the matcher expects 200",
    );
    expect(f.fixes[0]).toMatchObject({ id: "fix-health-check", automated: true });
    expect(f.fixes[0].changes).toEqual([
      { resource: IDS.tgArn, setting: "HealthCheckPath", current: "/health", proposed: "/healthz" },
    ]);
  });

  it("proposes widening the matcher for a success-like code (301)", () => {
    const [f] = settings(
      allTargetsUnhealthy("Target.ResponseCodeMismatch", "Health checks failed with these codes: [301]"),
    );
    expect(f.fixes[0].changes![0]).toMatchObject({ setting: "Matcher", current: "200", proposed: "200,301" });
  });

  it.each([
    "/api/v1/../../admin/health",
    "/api/<!channel>/health",
    "/%2e%2e/admin/health",
    "/health/%E2%80%AE",
  ])("never proposes %j from traffic: guidance without a path instead", (hostile) => {
    const [f] = settings(
      mismatch404,
      logPaths({ [hostile]: { requests: 3000 }, "/v1/orders": { requests: 50_000 } }),
    );
    expect(f.id).toBe("health-check-misconfigured");
    expect(f.fixes.some((x) => x.automated)).toBe(false);
    expect(JSON.stringify(f.fixes)).not.toContain(hostile);
    expect(f.fixes[0]).toMatchObject({ id: "fix-health-check", automated: false });
    expect(f.evidence.map((e) => e.detail).join("\n")).toMatch(/not proposed as the health-check path/);
    expect(f.confidence).toBeLessThan(0.85);
  });

  it("prefers a plain answering path over a busier unsafe one", () => {
    const [f] = settings(
      mismatch404,
      logPaths({ "/x/../health": { requests: 9000 }, "/healthz": { requests: 120 } }),
    );
    expect(f.fixes[0].changes).toEqual([
      { resource: IDS.tgArn, setting: "HealthCheckPath", current: "/health", proposed: "/healthz" },
    ]);
  });

  it("without an answering path: still the finding, lower confidence, no automated change", () => {
    const [f] = settings(mismatch404);
    expect(f.confidence).toBeLessThan(0.85);
    expect(f.fixes).toEqual([]);
  });

  it("does not blame the settings when the app answers its health check with 5xx", () => {
    expect(
      settings(
        allTargetsUnhealthy("Target.ResponseCodeMismatch", "Health checks failed with these codes: [503]"),
      ),
    ).toEqual([]);
  });

  it("a health-check port where nothing listens, while the traffic port serves", () => {
    const [f] = settings(
      healthCheckPort(8081),
      allTargetsUnhealthy("Target.FailedHealthChecks", "Health checks failed"),
      logTargets({ "10.0.11.10:8080": { requests: 30_000 }, "10.0.12.10:8080": { requests: 30_000 } }),
    );
    expect(f.title).toContain("port 8081");
    expect(f.confidence).toBe(0.85);
    expect(f.evidence.map((e) => e.detail).join("\n")).toContain(
      "answered 60000 requests on the traffic port 8080",
    );
    expect(f.fixes[0].changes).toEqual([
      { resource: IDS.tgArn, setting: "HealthCheckPort", current: "8081", proposed: "traffic-port" },
    ]);
  });

  it("leaves a health-check port that times out to the network checks", () => {
    expect(settings(healthCheckPort(8081), allTargetsUnhealthy("Target.Timeout"))).toEqual([]);
  });

  it("matcher syntax and description parsing", () => {
    expect(matcherAccepts("200", 200)).toBe(true);
    expect(matcherAccepts("200,202", 202)).toBe(true);
    expect(matcherAccepts("200-299", 301)).toBe(false);
    expect(matcherAccepts("200-399", 301)).toBe(true);
    expect(codesFromDescription("Health checks failed with these codes: [404, 500]")).toEqual([404, 500]);
    expect(codesFromDescription(undefined)).toEqual([]);
  });
});

describe("health-check-too-slow", () => {
  const slow = healthCheck({ intervalSeconds: 60, unhealthyThreshold: 5, timeoutSeconds: 30 });

  it("fires when errors hit targets that turned unhealthy, and proposes faster settings", () => {
    const [f] = timing(
      slow,
      targetHealth("i-0a2", "unhealthy", "Target.Timeout"),
      logTargets({
        "10.0.12.10:8080": {
          requests: 5_000,
          classes: { "elb-504-connect-timeout": 40, "elb-502-target-closed": 12 },
        },
      }),
    );
    expect(f).toMatchObject({ id: "health-check-too-slow", severity: "warning" });
    expect(f.evidence[0].detail).toContain("up to 300 s");
    expect(f.evidence.map((e) => e.detail).join("\n")).toContain(
      "52 ELB 502/504s went to targets that are now unhealthy (i-0a2)",
    );
    expect(f.fixes[0].changes).toEqual([
      { resource: IDS.tgArn, setting: "HealthCheckIntervalSeconds", current: "60", proposed: "10" },
      { resource: IDS.tgArn, setting: "UnhealthyThresholdCount", current: "5", proposed: "2" },
      { resource: IDS.tgArn, setting: "HealthCheckTimeoutSeconds", current: "30", proposed: "5" },
    ]);
  });

  it("uses metrics when there are no logs: errors before UnHealthyHostCount rose", () => {
    const [f] = timing(
      slow,
      edit((s) => delete s.accessLogs),
      metric("UnHealthyHostCount", spreadOver(1, [40]), { stat: "Maximum", targetGroup: IDS.tgResourceId }),
      metric("HTTPCode_ELB_502_Count", spreadOver(30, [36, 37, 38])),
    );
    expect(f.id).toBe("health-check-too-slow");
    expect(f.evidence.map((e) => e.detail)).toContain(
      "30 ELB 502/504s in the 300 s before UnHealthyHostCount rose at 2026-03-15T14:10Z",
    );
  });

  it("does not fire on slow settings alone", () => {
    expect(timing(slow)).toEqual([]);
  });

  it("does not fire with default settings (60 s detection)", () => {
    expect(
      timing(
        targetHealth("i-0a2", "unhealthy", "Target.Timeout"),
        logTargets({ "10.0.12.10:8080": { requests: 10, classes: { "elb-502-target-closed": 5 } } }),
      ),
    ).toEqual([]);
  });
});
