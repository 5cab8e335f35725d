/** The text report for people: pure rendering of hand-built reports, and the colour decision. */
import { describe, expect, it } from "vitest";
import { colorWanted } from "../../src/cli/io.ts";
import {
  formatNumber,
  formatSeconds,
  formatWindow,
  renderReportText,
  shortArn,
} from "../../src/cli/report-text.ts";
import type { Finding, Report } from "../../src/domain/report.ts";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef";

function report(over: Partial<Report> = {}): Report {
  return {
    loadBalancer: { name: "api", arn: ARN, dnsName: "api-1.eu-west-1.elb.amazonaws.com" },
    window: { start: "2026-03-15T13:30:00.000Z", end: "2026-03-15T14:30:00.000Z" },
    status: "healthy",
    findings: [],
    checks: [{ id: "security-groups", status: "ok", durationMs: 12 }],
    ...over,
  };
}

const race: Finding = {
  id: "keepalive-race",
  severity: "critical",
  confidence: 0.9,
  title: "Targets close idle keep-alive connections before the ALB does",
  evidence: [{ source: "access-logs", detail: "34 of 34 ELB 502s have target_status_code '-'" }],
  resources: ["i-0abc"],
  fixes: [
    {
      id: "set-idle-timeout",
      automated: true,
      summary: "Lower idle_timeout.timeout_seconds 60 -> 4",
      changes: [{ resource: ARN, setting: "idle_timeout.timeout_seconds", current: "60", proposed: "4" }],
    },
    {
      id: "raise-backend-keepalive",
      automated: false,
      summary: "Set the backend keep-alive above 60 s",
      snippets: [
        { label: "nginx", language: "nginx", code: "keepalive_timeout 65s;" },
        { label: "Apache httpd", language: "apache", code: "KeepAlive On\nKeepAliveTimeout 65\n" },
      ],
    },
  ],
};
const symptom: Finding = {
  ...race,
  id: "targets-unhealthy",
  severity: "warning",
  confidence: 0.5,
  title: "Some targets fail health checks",
  causedBy: "keepalive-race",
  fixes: [],
};

describe("renderReportText", () => {
  it("puts the root cause first, then its evidence, the automated change and the manual snippets", () => {
    const text = renderReportText(report({ status: "problems-found", findings: [race, symptom] }));
    const lines = text.split("\n");
    expect(lines[0]).toBe("api  PROBLEMS FOUND");
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at("Root cause")).toBeLessThan(at("[keepalive-race]"));
    expect(at("[keepalive-race]")).toBeLessThan(at("Other findings"));
    expect(at("Other findings")).toBeLessThan(at("[targets-unhealthy]"));
    expect(text).toContain("critical, confidence 90%");
    expect(text).toContain("- 34 of 34 ELB 502s have target_status_code '-' (access-logs)");
    expect(text).toContain("automated fix: Lower idle_timeout.timeout_seconds 60 -> 4 [set-idle-timeout]");
    expect(text).toContain(
      "change idle_timeout.timeout_seconds: 60 -> 4 on loadbalancer/app/api/0123456789abcdef",
    );
    expect(text).toContain("manual fix: Set the backend keep-alive above 60 s [raise-backend-keepalive]");
    expect(text).toContain("nginx: keepalive_timeout 65s;");
    expect(text).toMatch(/Apache httpd:\n {8}KeepAlive On\n {8}KeepAliveTimeout 65\n/);
    expect(text).toContain("follows from keepalive-race");
  });

  it("explains an incomplete report: which check failed, with what, and where the policy is", () => {
    const text = renderReportText(
      report({
        status: "incomplete",
        checks: [
          { id: "security-groups", status: "ok", durationMs: 3 },
          {
            id: "access-logs",
            status: "error",
            durationMs: 9,
            error: "AccessDenied: s3:ListBucket on alb-logs",
          },
          { id: "metrics", status: "skipped", durationMs: 0, note: "no data in the window" },
        ],
      }),
    );
    expect(text).toMatch(/^api {2}INCOMPLETE\n/);
    expect(text).toContain("not a clean bill of health");
    expect(text).toContain("x access-logs: AccessDenied: s3:ListBucket on alb-logs");
    expect(text).toContain("- metrics: no data in the window");
    expect(text).toContain("docs/iam-policy.json");
    expect(text).not.toContain("security-groups:");
  });

  it("rounds the figures and writes the window for people", () => {
    const text = renderReportText(
      report({
        figures: {
          elb502: 12345,
          elb503: 7,
          elb504: null,
          elb460: 1204,
          elb464: 0,
          target5xx: 0,
          requests: 1e6,
          unhealthyTargets: 1,
          totalTargets: 4,
          idleTimeoutSeconds: 60,
          targetResponseP99: 0.34297913268944574,
          targetResponseP99Of: "answered-requests",
        },
        durationMs: 1534.2,
      }),
    );
    expect(text).toContain(
      "ELB 502 12,345  |  503 7  |  504 n/a  |  460 1,204  |  464 0  |  target 5xx 0  |  requests 1,000,000",
    );
    expect(text).toContain(
      "unhealthy targets 1/4  |  idle timeout 60 s  |  target p99 343 ms (of all requests a target answered, from the access logs)",
    );
    expect(text).toContain("window 2026-03-15 13:30 - 14:30 UTC (1h)");
    expect(text).toContain("diagnosed in 1.53 s");
    expect(text).toContain("No problems found.");
  });

  it("says which requests the p99 describes, and counts 460/464 as unknown without logs", () => {
    const figures = {
      elb502: 1,
      elb504: 0,
      target5xx: 0,
      requests: 10,
      unhealthyTargets: 0,
      totalTargets: 2,
      idleTimeoutSeconds: 60,
      targetResponseP99: 2.5,
    };
    const fromMetrics = renderReportText(
      report({ figures: { ...figures, elb460: null, targetResponseP99Of: "metric-peak" } }),
    );
    expect(fromMetrics).toContain(
      "target p99 2.5 s (the highest one-period TargetResponseTime p99, from the metrics)",
    );
    expect(fromMetrics).toContain("460 n/a  |  464 n/a");
    // An old report without the population says nothing about it rather than guessing.
    expect(renderReportText(report({ figures }))).toMatch(/target p99 2\.5 s\n/);
  });

  it("shows info findings as notes of a healthy report, never as its root cause", () => {
    const logsOff: Finding = {
      id: "access-logs-disabled",
      severity: "info",
      confidence: 0.97,
      title: "Access logs are off",
      evidence: [{ source: "attributes", detail: "access_logs.s3.enabled is false" }],
      resources: [ARN],
      fixes: [
        {
          id: "enable-access-logs",
          automated: true,
          summary: "Enable access logs",
          changes: [
            { resource: ARN, setting: "access_logs.s3.enabled", current: "false", proposed: "true" },
            { resource: ARN, setting: "access_logs.s3.bucket", current: "logs", proposed: "logs" },
            { resource: ARN, setting: "access_logs.s3.prefix", current: "", proposed: "api" },
          ],
        },
      ],
    };
    const text = renderReportText(report({ findings: [logsOff] }));
    expect(text).not.toContain("Root cause");
    expect(text).toMatch(/No problems found\.\n\nNotes\n {2}Access logs are off/);
    expect(text).toContain("change access_logs.s3.enabled: false -> true");
    expect(text).toContain('change access_logs.s3.prefix: "" -> api');
    expect(text).not.toContain("access_logs.s3.bucket"); // unchanged value: not a change
  });

  it("colours only when asked", () => {
    const r = report({ status: "problems-found", findings: [race] });
    expect(renderReportText(r)).not.toContain("\x1b[");
    expect(renderReportText(r, { color: true })).toContain("\x1b[31m");
  });
});

describe("formatting", () => {
  it.each([
    [ARN, "loadbalancer/app/api/0123456789abcdef"],
    ["arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1", "security-group/sg-1"],
    ["sg-0abc", "sg-0abc"],
    ["i-0abc", "i-0abc"],
  ])("shortArn(%s) = %s", (id, short) => expect(shortArn(id)).toBe(short));

  it.each([
    [0, "0"],
    [2024, "2,024"],
    [0.34297913268944574, "0.343"],
    [1.4476800818050821, "1.45"],
    [54.5, "54.5"],
  ])("formatNumber(%s) = %s", (v, s) => expect(formatNumber(v)).toBe(s));

  it.each([
    [0.0004, "0 ms"],
    [0.34297913268944574, "343 ms"],
    [1.4476800818050821, "1.45 s"],
    [75, "75 s"],
  ])("formatSeconds(%s) = %s", (v, s) => expect(formatSeconds(v)).toBe(s));

  it.each([
    ["2026-03-15T23:10:00Z", "2026-03-16T00:10:00Z", "2026-03-15 23:10 - 2026-03-16 00:10 UTC (1h)"],
    ["2026-03-15T14:00:00Z", "2026-03-15T14:30:00Z", "2026-03-15 14:00 - 14:30 UTC (30m)"],
    ["2026-03-15T14:00:05Z", "2026-03-15T14:30:05Z", "2026-03-15 14:00:05 - 14:30:05 UTC (30m)"],
    ["not a time", "either", "not a time .. either"],
  ])("formatWindow(%s, %s)", (a, b, s) => expect(formatWindow(a, b)).toBe(s));

  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
  ])("colour on a TTY=%s with env %j: %s", (tty, env, want) => expect(colorWanted(tty, env)).toBe(want));
});
