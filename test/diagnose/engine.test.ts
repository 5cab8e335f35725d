import { describe, expect, it } from "vitest";
import type { Check } from "../../src/diagnose/check.ts";
import { ALL_CHECKS } from "../../src/diagnose/checks/index.ts";
import { buildReport, reportStatus, runChecks } from "../../src/diagnose/engine.ts";
import { rankFindings } from "../../src/diagnose/rank.ts";
import type { Finding } from "../../src/domain/report.ts";
import {
  accessLogs,
  allTargetsUnhealthy,
  buildSnapshot,
  edit,
  IDS,
  lbAttribute,
  metric,
  partError,
  setIngress,
  tcp,
} from "../helpers/snapshot-builder.ts";

const finding = (over: Partial<Finding> & Pick<Finding, "id">): Finding => ({
  severity: "warning",
  confidence: 0.5,
  title: over.id,
  evidence: [],
  resources: [],
  fixes: [],
  ...over,
});

const constant = (name: string, findings: Finding[]): Check => ({ name, run: () => findings });

describe("runChecks", () => {
  it("isolates a throwing check: its error becomes an entry, the other checks still report", () => {
    const boom: Check = {
      name: "boom",
      run: () => {
        throw new Error("cannot read property of undefined");
      },
    };
    const ok = constant("ok", [finding({ id: "keepalive-race" })]);
    const { findings, checkErrors } = runChecks(buildSnapshot(), [boom, ok]);
    expect(findings.map((f) => f.id)).toEqual(["keepalive-race"]);
    expect(checkErrors).toEqual([
      expect.objectContaining({
        id: "check:boom",
        status: "error",
        error: expect.stringContaining("cannot read property"),
      }),
    ]);
  });

  it("clamps confidence into 0..1 with two decimals", () => {
    const { findings } = runChecks(buildSnapshot(), [
      constant("c", [
        finding({ id: "keepalive-race", confidence: 1.4 }),
        finding({ id: "idle-timeout-exceeded", confidence: 0.12345 }),
      ]),
    ]);
    expect(findings.map((f) => f.confidence)).toEqual([1, 0.12]);
  });
});

describe("rankFindings", () => {
  it("orders by severity, then confidence", () => {
    const ranked = rankFindings([
      finding({ id: "access-logs-disabled", severity: "info", confidence: 0.97 }),
      finding({ id: "idle-timeout-exceeded", severity: "warning", confidence: 0.9 }),
      finding({ id: "keepalive-race", severity: "critical", confidence: 0.6 }),
      finding({ id: "target-returned-5xx", severity: "critical", confidence: 0.8 }),
    ]);
    expect(ranked.map((f) => f.id)).toEqual([
      "target-returned-5xx",
      "keepalive-race",
      "idle-timeout-exceeded",
      "access-logs-disabled",
    ]);
  });

  it("puts a symptom right after its cause when they share a target group, with causedBy and 'see' evidence", () => {
    const ranked = rankFindings([
      finding({
        id: "no-healthy-targets",
        severity: "critical",
        confidence: 0.95,
        resources: [IDS.tgArn, "i-0a1"],
      }),
      finding({ id: "access-logs-disabled", severity: "info", confidence: 0.97 }),
      finding({
        id: "health-check-misconfigured",
        severity: "warning",
        confidence: 0.7,
        resources: [IDS.tgArn],
      }),
    ]);
    expect(ranked.map((f) => f.id)).toEqual([
      "health-check-misconfigured",
      "no-healthy-targets",
      "access-logs-disabled",
    ]);
    expect(ranked[1].causedBy).toBe("health-check-misconfigured");
    expect(ranked[1].evidence.at(-1)!.detail).toMatch(/^see health-check-misconfigured/);
  });

  it("a slow health check explains targets that turned unhealthy after taking errors", () => {
    const ranked = rankFindings([
      finding({ id: "targets-unhealthy", confidence: 0.95, resources: [IDS.tgArn, "i-0a2"] }),
      finding({ id: "health-check-too-slow", confidence: 0.8, resources: [IDS.tgArn] }),
    ]);
    expect(ranked.map((f) => [f.id, f.causedBy])).toEqual([
      ["health-check-too-slow", undefined],
      ["targets-unhealthy", "health-check-too-slow"],
    ]);
  });

  it("does not link a symptom to a cause about other resources", () => {
    const ranked = rankFindings([
      finding({ id: "targets-unhealthy", resources: ["tg-a", "i-1"] }),
      finding({ id: "sg-blocks-alb-to-target", resources: ["sg-other", "tg-b"] }),
    ]);
    expect(ranked.find((f) => f.id === "targets-unhealthy")!.causedBy).toBeUndefined();
  });

  it("a cause naming target groups explains only those groups, even through shared security groups", () => {
    const other = IDS.tgArn.replace("targetgroup/api/", "targetgroup/web/");
    const ranked = rankFindings(
      [
        finding({ id: "no-healthy-targets", severity: "critical", confidence: 0.95, resources: [other] }),
        finding({
          id: "alb-sg-egress-blocked",
          severity: "critical",
          confidence: 0.8,
          resources: ["sg-alb", IDS.tgArn],
        }),
      ],
      buildSnapshot(
        edit((s) => {
          s.targetGroups.push({ ...s.targetGroups[0], arn: other, name: "web" });
        }),
      ),
    );
    expect(ranked.find((f) => f.id === "no-healthy-targets")!.causedBy).toBeUndefined();
  });

  it("links through the snapshot: a cause naming only the targets' security group", () => {
    const s = buildSnapshot();
    const ranked = rankFindings(
      [
        finding({ id: "no-healthy-targets", severity: "critical", confidence: 0.95, resources: [IDS.tgArn] }),
        finding({
          id: "sg-blocks-alb-to-target",
          severity: "critical",
          confidence: 0.8,
          resources: ["sg-app"],
        }),
      ],
      s,
    );
    expect(ranked.map((f) => f.id)).toEqual(["sg-blocks-alb-to-target", "no-healthy-targets"]);
  });
});

describe("buildReport", () => {
  it("a clean load balancer is healthy, with the parts as checks and figures", () => {
    const r = buildReport(buildSnapshot(), { durationMs: 42 });
    expect(r.status).toBe("healthy");
    expect(r.findings).toEqual([]);
    expect(r.checks.map((c) => c.id)).toContain("security-groups");
    expect(r.durationMs).toBe(42);
    expect(r.figures).toMatchObject({
      elb502: 0,
      requests: 72_000,
      totalTargets: 2,
      unhealthyTargets: 0,
      idleTimeoutSeconds: 60,
    });
    expect(r.loadBalancer).toEqual({ name: IDS.lbName, arn: IDS.lbArn, dnsName: expect.any(String) });
  });

  it("only info findings (access logs off) is still healthy", () => {
    const r = buildReport(buildSnapshot(lbAttribute("access_logs.s3.enabled", "false")));
    expect(r.findings.map((f) => f.id)).toEqual(["access-logs-disabled"]);
    expect(r.status).toBe("healthy");
  });

  it("a failed part with nothing found is incomplete; with a problem found it is problems-found", () => {
    expect(
      buildReport(buildSnapshot(partError("access-logs", "AccessDenied: s3:ListBucket on alb-logs"))).status,
    ).toBe("incomplete");
    const r = buildReport(
      buildSnapshot(partError("metrics", "AccessDenied: cloudwatch:GetMetricData"), allTargetsUnhealthy()),
    );
    expect(r.status).toBe("problems-found");
    expect(r.checks).toContainEqual(expect.objectContaining({ id: "metrics", status: "error" }));
  });

  it("a throwing check is listed in checks and makes an otherwise clean report incomplete", () => {
    const boom: Check = {
      name: "boom",
      run: () => {
        throw new Error("x");
      },
    };
    const r = buildReport(buildSnapshot(), { checks: [boom] });
    expect(r.status).toBe("incomplete");
    expect(r.checks.at(-1)).toMatchObject({ id: "check:boom", status: "error" });
  });

  it("no healthy targets because a security group blocks the ALB: the security group ranks first", () => {
    const r = buildReport(
      buildSnapshot(
        setIngress("sg-app", [tcp(22, { cidrs: ["10.0.0.0/8"] })]),
        allTargetsUnhealthy("Target.Timeout", "Request timed out"),
      ),
    );
    expect(r.status).toBe("problems-found");
    expect(r.findings[0].id).toBe("sg-blocks-alb-to-target");
    const symptom = r.findings.find((f) => f.id === "no-healthy-targets")!;
    expect(symptom.causedBy).toBe("sg-blocks-alb-to-target");
    expect(r.findings.indexOf(symptom)).toBe(1);
  });

  it("figures fall back to the access logs when metrics are missing", () => {
    const r = buildReport(
      buildSnapshot(
        partError("metrics", "AccessDenied: cloudwatch:GetMetricData"),
        edit((s) => {
          s.accessLogs!.byStatus["502"] = 12;
          s.accessLogs!.byTargetStatus["502"] = 2;
        }),
      ),
    );
    expect(r.figures).toMatchObject({ elb502: 10, requests: 72_000, targetResponseP99: 0.3 });
  });

  it("figures count the ALB's 503, 460 and 464 too, and say which requests the p99 describes", () => {
    const logs = edit((s) => {
      Object.assign(s.accessLogs!.byStatus, { "503": 40, "460": 25, "464": 9 });
    });
    const r = buildReport(buildSnapshot(metric("HTTPCode_ELB_503_Count", [3, 4]), logs));
    // Metrics win where a metric exists (503); 460/464 have none, so the logs count them.
    expect(r.figures).toMatchObject({ elb503: 7, elb460: 25, elb464: 9 });
    expect(r.figures?.targetResponseP99Of).toBe("answered-requests");
    const noLogs = buildReport(buildSnapshot(accessLogs(null)));
    expect(noLogs.figures).toMatchObject({ elb460: null, elb464: null, targetResponseP99: 0.4 });
    expect(noLogs.figures?.targetResponseP99Of).toBe("metric-peak");
  });

  it("ALL_CHECKS: every family once, names unique", () => {
    const names = ALL_CHECKS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "security-groups",
        "network-acls",
        "keepalive",
        "idle-timeout",
        "draining",
        "tls",
      ]),
    );
  });

  it("reportStatus rules", () => {
    const ok = { id: "x", status: "ok" as const, durationMs: 1 };
    const err = { id: "y", status: "error" as const, durationMs: 1 };
    expect(reportStatus([], [ok])).toBe("healthy");
    expect(reportStatus([finding({ id: "access-logs-disabled", severity: "info" })], [err])).toBe(
      "incomplete",
    );
    expect(reportStatus([finding({ id: "keepalive-race" })], [err])).toBe("problems-found");
  });
});
