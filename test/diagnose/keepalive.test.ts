import { describe, expect, it } from "vitest";
import { keepaliveCheck } from "../../src/diagnose/checks/keepalive.ts";
import {
  accessLogs,
  buildSnapshot,
  edit,
  lbAttribute,
  logClasses,
  metric,
  targetHealth,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { deployDrainingTarget, keepaliveRace } from "./fixtures/incidents.ts";
import { allMinutes, logTargets, spreadOver } from "./fixtures/logs.ts";

const A = "10.0.11.10:8080";
const B = "10.0.12.10:8080";

const run = (...m: Mutator[]) => keepaliveCheck.run(buildSnapshot(...m));

describe("keepalive-race", () => {
  it("fires on closed-connection 502s spread over healthy targets, with the evidence in numbers", () => {
    const [f, ...rest] = run(...keepaliveRace);
    expect(rest).toHaveLength(0);
    expect(f.id).toBe("keepalive-race");
    expect(f.severity).toBe("critical");
    expect(f.confidence).toBeGreaterThanOrEqual(0.85);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain(
      "412 of 418 ELB 502s have target_status_code '-' and no response (412 as '-1 -1 -1', 6 with a target time",
    );
    expect(text).toContain("how they spread over paths is unknown");
    expect(text).toContain("spread over 2 healthy targets");
    expect(text).toContain("at low and high load");
    expect(text).toMatch(/idle_timeout.timeout_seconds is 60 s/);
    expect(f.resources).toEqual(expect.arrayContaining(["i-0a1", "i-0a2"]));
  });

  it("offers the backend keep-alive first, computed from the idle timeout, then a lower idle timeout with its risk", () => {
    const [f] = run(...keepaliveRace, lbAttribute("idle_timeout.timeout_seconds", "120"));
    expect(f.fixes.map((x) => x.id)).toEqual(["raise-backend-keepalive", "set-idle-timeout"]);
    const snippets = f.fixes[0].snippets!.map((s) => s.code).join("\n");
    expect(snippets).toContain("keepalive_timeout 125s;");
    expect(snippets).toContain("server.keepAliveTimeout = 125000;");
    const idle = f.fixes[1];
    expect(idle.automated).toBe(true);
    expect(idle.changes).toEqual([
      expect.objectContaining({ setting: "idle_timeout.timeout_seconds", current: "120", proposed: "4" }),
    ]);
    // Baseline requests run up to 1.25 s: lowering to 4 s is called safe, not risky.
    expect(idle.summary).toContain("slowest request seen 1.25 s");
  });

  it("marks lowering the idle timeout risky when slower requests were seen", () => {
    const [f] = run(
      ...keepaliveRace,
      edit((s) => {
        s.accessLogs!.latency.total.max = 12.5;
      }),
    );
    expect(f.fixes[1].summary).toMatch(/risky: requests up to 12.5 s/);
  });

  it("does not fire for 502s the application returned (target_status_code 502)", () => {
    const findings = run(
      edit((s) => {
        const logs = s.accessLogs!;
        logs.byStatus["502"] = 300;
        logs.byTargetStatus["502"] = 300;
        logs.byClass["target-5xx"] = 300;
      }),
      metric("HTTPCode_Target_5XX_Count", spreadOver(300, allMinutes)),
    );
    expect(findings).toEqual([]);
  });

  it("does not fire when the 502s are confined to a draining target during a deploy", () => {
    const findings = run(...deployDrainingTarget);
    expect(findings).toEqual([]);
  });

  it("does not fire when the 502s went to targets that are no longer registered", () => {
    const findings = run(
      logClasses({ "elb-502-target-closed": 60 }),
      logTargets({ "10.0.13.10:8080": { requests: 3_000, classes: { "elb-502-target-closed": 60 } } }),
    );
    expect(findings).toEqual([]);
  });

  it("does not fire for HTTPS targets that fail every request (TLS)", () => {
    const findings = run(
      edit((s) => {
        s.targetGroups[0].protocol = "HTTPS";
      }),
      metric("TargetTLSNegotiationErrorCount", spreadOver(2400, allMinutes), {
        targetGroup: "targetgroup/api/73e2d6bc24d8a067",
      }),
      logClasses({ "elb-502-target-closed": 2400 }),
      logTargets({
        [A]: { requests: 1200, classes: { "elb-502-target-closed": 1200 } },
        [B]: { requests: 1200, classes: { "elb-502-target-closed": 1200 } },
      }),
    );
    expect(findings).toEqual([]);
  });

  it("does not fire when TargetConnectionErrorCount explains the 502s (connect failures)", () => {
    expect(run(...keepaliveRace, metric("TargetConnectionErrorCount", spreadOver(400, allMinutes)))).toEqual(
      [],
    );
  });

  it("is less confident when the idle timeout is below common keep-alive defaults", () => {
    const [normal] = run(...keepaliveRace);
    const [short] = run(...keepaliveRace, lbAttribute("idle_timeout.timeout_seconds", "3"));
    expect(short.confidence).toBeLessThan(normal.confidence);
    expect(short.fixes.map((f) => f.id)).toEqual(["raise-backend-keepalive"]);
  });

  describe("without access logs", () => {
    it("fires from metrics alone with lower confidence", () => {
      const [f] = run(
        accessLogs(null),
        metric(
          "HTTPCode_ELB_502_Count",
          spreadOver(
            120,
            allMinutes.filter((m) => m % 3 === 0),
          ),
        ),
      );
      expect(f.id).toBe("keepalive-race");
      expect(f.confidence).toBeLessThanOrEqual(0.5);
      expect(f.evidence.map((e) => e.detail).join("\n")).toContain("metrics-only");
      const [withLogs] = run(...keepaliveRace);
      expect(f.confidence).toBeLessThan(withLogs.confidence);
    });

    it("an empty log scan (no line in the window yet) also falls back to the metrics", () => {
      const [f] = run(
        edit((s) => {
          s.accessLogs!.lines = { total: 0, inWindow: 0, malformed: 0 };
        }),
        metric("HTTPCode_ELB_502_Count", spreadOver(120, allMinutes)),
      );
      expect(f.confidence).toBeLessThanOrEqual(0.5);
    });

    it("does not fire when Lambda errors explain the 502s", () => {
      expect(
        run(
          accessLogs(null),
          metric("HTTPCode_ELB_502_Count", spreadOver(120, allMinutes)),
          metric("LambdaUserError", spreadOver(120, allMinutes), {
            targetGroup: "targetgroup/fn/0123456789abcdef",
          }),
        ),
      ).toEqual([]);
    });

    it("does not fire on a burst of 502s in two minutes", () => {
      expect(run(accessLogs(null), metric("HTTPCode_ELB_502_Count", spreadOver(120, [30, 31])))).toEqual([]);
    });

    it("does not fire while a target is draining", () => {
      expect(
        run(
          accessLogs(null),
          targetHealth("i-0a2", "draining", "Target.DeregistrationInProgress"),
          metric("HTTPCode_ELB_502_Count", spreadOver(120, allMinutes)),
        ),
      ).toEqual([]);
    });

    it("does not fire when the targets' own 5XX match the 502s", () => {
      expect(
        run(
          accessLogs(null),
          metric("HTTPCode_ELB_502_Count", spreadOver(120, allMinutes)),
          metric("HTTPCode_Target_5XX_Count", spreadOver(400, allMinutes)),
        ),
      ).toEqual([]);
    });
  });

  it("stays silent on a clean snapshot", () => {
    expect(run()).toEqual([]);
  });
});
