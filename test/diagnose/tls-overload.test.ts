import { describe, expect, it } from "vitest";
import { overloadCheck } from "../../src/diagnose/checks/overload.ts";
import { tlsCheck } from "../../src/diagnose/checks/tls.ts";
import {
  allTargetsUnhealthy,
  buildSnapshot,
  edit,
  healthCheck,
  IDS,
  logClasses,
  metric,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { allMinutes, logMinutes, logPaths, logTargets, spreadOver } from "./fixtures/logs.ts";

const https = edit((s) => {
  s.targetGroups[0].protocol = "HTTPS";
  s.targetGroups[0].port = 8443;
  for (const t of s.targetGroups[0].targets) t.port = 8443;
});
const tlsErrors = metric("TargetTLSNegotiationErrorCount", spreadOver(2400, allMinutes), {
  targetGroup: IDS.tgResourceId,
});
const everyRequestFails = [
  logClasses({ "elb-502-target-closed": 2400 }),
  logTargets({
    "10.0.11.10:8443": { requests: 1200, classes: { "elb-502-target-closed": 1200 } },
    "10.0.12.10:8443": { requests: 1200, classes: { "elb-502-target-closed": 1200 } },
  }),
];

describe("target-tls-failure", () => {
  const run = (...m: Mutator[]) => tlsCheck.run(buildSnapshot(...m));

  it("fires with TLS negotiation errors and every request failing, critical and confident", () => {
    const [f] = run(
      https,
      tlsErrors,
      ...everyRequestFails,
      healthCheck({ protocol: "HTTPS" }),
      allTargetsUnhealthy("Target.FailedHealthChecks"),
    );
    expect(f).toMatchObject({ id: "target-tls-failure", severity: "critical", confidence: 0.95 });
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("TargetTLSNegotiationErrorCount 2400");
    expect(text).toContain("2400 of 2400 requests to api's targets (100%)");
    expect(text).toContain("failing on every request: i-0a1, i-0a2");
  });

  it("from the metric alone: lower confidence", () => {
    const [f] = run(
      https,
      tlsErrors,
      edit((s) => delete s.accessLogs),
    );
    expect(f.confidence).toBe(0.75);
  });

  it("every request failing from one minute on (a TLS change at the targets) counts as every request", () => {
    const onset = allMinutes.map((i) => (i >= 33 ? 40 : 0));
    const [f] = run(
      https,
      metric(
        "RequestCount",
        allMinutes.map(() => 40),
        { targetGroup: IDS.tgResourceId },
      ),
      metric("TargetTLSNegotiationErrorCount", onset, { targetGroup: IDS.tgResourceId }),
    );
    expect(f.severity).toBe("critical");
    expect(f.confidence).toBe(0.9);
    expect(f.evidence.map((e) => e.detail)).toContainEqual(
      expect.stringMatching(
        /^since 2026-03-15T14:03Z every request to api fails: 1080 TLS negotiation errors for 1080 requests/,
      ),
    );
  });

  it("does not fire for an HTTP target group, nor without errors", () => {
    expect(run(tlsErrors, ...everyRequestFails)).toEqual([]);
    expect(run(https)).toEqual([]);
  });
});

describe("targets-overloaded", () => {
  const run = (...m: Mutator[]) => overloadCheck.run(buildSnapshot(...m));
  // Load ramps from 600 to 3000 requests a minute; connection errors appear and grow in the busy half.
  const load = allMinutes.map((i) => 600 + i * 40);
  const rising: Mutator[] = [
    metric("RequestCount", load),
    metric(
      "TargetConnectionErrorCount",
      load.map((r) => (r > 1800 ? Math.round((r - 1800) / 20) : 0)),
    ),
    metric(
      "TargetResponseTime",
      load.map((r) => r / 1000),
      { stat: "Average" },
    ),
  ];

  it("fires when connection errors and latency rise with the request rate", () => {
    const [f] = run(
      ...rising,
      logClasses({ "elb-504-connect-timeout": 25 }),
      logPaths({
        "/a": { requests: 100, classes: { "elb-504-connect-timeout": 10 } },
        "/b": { requests: 100, classes: { "elb-504-connect-timeout": 8 } },
        "/c": { requests: 100, classes: { "elb-504-connect-timeout": 7 } },
      }),
    );
    expect(f.id).toBe("targets-overloaded");
    expect(f.confidence).toBeGreaterThanOrEqual(0.8);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toMatch(
      /^TargetConnectionErrorCount \d+ rising with load: correlation with the request rate 0\.\d\d/,
    );
    expect(text).toContain("TargetResponseTime rises with RequestCount");
    expect(text).toContain("25 ELB 504s");
    expect(text).toContain("errors spread over 3 paths");
  });

  it("without the metric, connect-timeout 504s in the logs that rise with load", () => {
    const [f] = run(
      logClasses({ "elb-504-connect-timeout": 300 }),
      logMinutes((i) => ({
        requests: load[i],
        classes: load[i] > 2000 ? { "elb-504-connect-timeout": Math.round((load[i] - 2000) / 40) } : {},
      })),
    );
    expect(f.id).toBe("targets-overloaded");
    expect(f.evidence[0]).toMatchObject({
      source: "access-logs",
      detail: expect.stringMatching(/^300 connect-timeout 504s rising with load/),
    });
  });

  it("does not fire when connection errors are flat at every load (a network block, not load)", () => {
    expect(
      run(
        metric("RequestCount", load),
        metric(
          "TargetConnectionErrorCount",
          allMinutes.map(() => 20),
        ),
      ),
    ).toEqual([]);
  });

  it("does not fire when most requests fail to connect", () => {
    expect(
      run(
        metric("RequestCount", load),
        metric(
          "TargetConnectionErrorCount",
          load.map((r) => r),
        ),
      ),
    ).toEqual([]);
  });

  it("stays silent on a clean snapshot", () => {
    expect(run()).toEqual([]);
  });
});
