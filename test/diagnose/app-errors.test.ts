import { describe, expect, it } from "vitest";
import { clientClosedCheck } from "../../src/diagnose/checks/client-closed.ts";
import { lambdaCheck } from "../../src/diagnose/checks/lambda.ts";
import { malformedCheck } from "../../src/diagnose/checks/malformed.ts";
import { target5xxCheck } from "../../src/diagnose/checks/target-5xx.ts";
import {
  accessLogs,
  buildSnapshot,
  edit,
  IDS,
  logClasses,
  metric,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { allMinutes, logPaths, logTargets, spreadOver } from "./fixtures/logs.ts";

/** The application answers 502 itself on /v1/checkout (a proxy inside the target). */
export const appReturns502: Mutator[] = [
  edit((s) => {
    const logs = s.accessLogs!;
    logs.byStatus["502"] = 300;
    logs.byTargetStatus["502"] = 300;
    logs.byClass["target-5xx"] = 300;
  }),
  logPaths({ "/v1/checkout": { requests: 900, classes: { "target-5xx": 300 }, errors: { "502": 300 } } }),
  logTargets({
    "10.0.11.10:8080": { requests: 36_000, classes: { "target-5xx": 300 }, errors: { "502": 300 } },
  }),
  metric("HTTPCode_Target_5XX_Count", spreadOver(300, allMinutes)),
];

describe("target-returned-5xx", () => {
  const run = (...m: Mutator[]) => target5xxCheck.run(buildSnapshot(...m));

  it("says the application produced the 502s, with paths and targets", () => {
    const [f] = run(...appReturns502);
    expect(f).toMatchObject({ id: "target-returned-5xx", severity: "critical", confidence: 0.95 });
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain(
      "300 of 300 5xx responses were returned by the targets themselves (target_status_code 502 ×300)",
    );
    expect(text).toContain("/v1/checkout 300 (33% of its requests)");
    expect(text).toContain("i-0a1 10.0.11.10:8080 300");
    expect(f.resources).toEqual(expect.arrayContaining(["i-0a1", IDS.tgArn]));
  });

  it("weighs the share of the 5xx that the targets returned", () => {
    const [mixed] = run(...appReturns502, logClasses({ "elb-502-target-closed": 300 }));
    expect(mixed.confidence).toBeCloseTo(0.8, 2);
  });

  it("metrics only: from HTTPCode_Target_5XX_Count", () => {
    const [f] = run(accessLogs(null), metric("HTTPCode_Target_5XX_Count", spreadOver(100, allMinutes)));
    expect(f.confidence).toBe(0.8);
  });

  it("does not fire on ALB-generated 502s", () => {
    expect(
      run(
        logClasses({ "elb-502-target-closed": 300 }),
        metric("HTTPCode_ELB_502_Count", spreadOver(300, allMinutes)),
      ),
    ).toEqual([]);
  });
});

describe("malformed-target-response", () => {
  const run = (...m: Mutator[]) => malformedCheck.run(buildSnapshot(...m));

  it("fires with moderate confidence, naming the path", () => {
    const [f] = run(
      logClasses({ "elb-502-malformed-response": 80 }),
      logPaths({ "/v1/export": { requests: 100, classes: { "elb-502-malformed-response": 80 } } }),
    );
    expect(f.id).toBe("malformed-target-response");
    expect(f.confidence).toBe(0.75);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("80 of 80 502s without a response pile up on /v1/export");
    expect(text).toContain("/v1/export fails 80% of requests");
  });

  it("a few piled-up lines beside a keep-alive race are info only", () => {
    const [f] = run(
      logClasses({ "elb-502-malformed-response": 6, "elb-502-target-closed": 412 }),
      logPaths({ "/v1/export": { requests: 100, classes: { "elb-502-malformed-response": 6 } } }),
    );
    expect(f.severity).toBe("info");
  });

  it("does not read the row shape alone as malformed: rows without per-path data are not claimed", () => {
    expect(run(logClasses({ "elb-502-malformed-response": 6, "elb-502-target-closed": 412 }))).toEqual([]);
  });

  it("does not fire without such lines or without logs", () => {
    expect(run()).toEqual([]);
    expect(run(accessLogs(null))).toEqual([]);
  });
});

describe("lambda-target-error", () => {
  const run = (...m: Mutator[]) => lambdaCheck.run(buildSnapshot(...m));

  it("lists error_reason codes with counts and advice", () => {
    const [f] = run(
      edit((s) => {
        s.accessLogs!.byErrorReason = { LambdaUnhandled: 34, LambdaThrottling: 5, AuthInvalidCookie: 3 };
      }),
      metric("LambdaUserError", spreadOver(39, allMinutes)),
    );
    expect(f.title).toBe("The Lambda target fails: LambdaUnhandled");
    expect(f.confidence).toBe(0.9);
    expect(f.evidence.map((e) => e.detail)).toEqual([
      "LambdaUnhandled ×34: the function threw an unhandled exception: read its CloudWatch Logs",
      expect.stringMatching(/^LambdaThrottling ×5: .*concurrency/),
      "LambdaUserError 39, LambdaInternalError 0 in the window",
    ]);
  });

  it("metrics only: lower confidence", () => {
    const [f] = run(accessLogs(null), metric("LambdaInternalError", spreadOver(4, [1, 2])));
    expect(f.confidence).toBe(0.7);
  });

  it("stays silent without Lambda errors", () => {
    expect(run()).toEqual([]);
  });
});

describe("client-closed-early", () => {
  const run = (...m: Mutator[]) => clientClosedCheck.run(buildSnapshot(...m));
  const slow = edit((s) => {
    s.accessLogs!.latency.targetProcessing = { count: 72_000, p50: 0.2, p90: 2, p99: 14.5, max: 29.8 };
  });

  it("fires on 460s with long target times", () => {
    const [f] = run(
      slow,
      logClasses({ "client-closed": 120 }),
      edit((s) => void (s.accessLogs!.byStatus["460"] = 120)),
      logPaths({ "/v1/search": { requests: 4000, classes: { "client-closed": 110 } } }),
    );
    expect(f).toMatchObject({ id: "client-closed-early", severity: "warning", confidence: 0.8 });
    expect(f.evidence[0].detail).toContain("120 requests ended with 460");
    expect(f.evidence[0].detail).toContain("p99 14.5 s");
  });

  it("does not fire when targets are fast (clients leaving for their own reasons)", () => {
    expect(run(logClasses({ "client-closed": 120 }))).toEqual([]);
  });
});
