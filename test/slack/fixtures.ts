/** Hand-built reports for renderer tests (the engine's real reports are used in the end-to-end tests). */
import { DIAGNOSIS_IDS, type DiagnosisId } from "../../src/domain/ids.ts";
import type { Finding, Report } from "../../src/domain/report.ts";

const ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";

export function keepaliveReport(): Report {
  return {
    loadBalancer: { name: "my-alb", arn: ARN, dnsName: "my-alb-123.us-east-1.elb.amazonaws.com" },
    window: { start: "2026-03-15T13:30:00.000Z", end: "2026-03-15T14:30:00.000Z" },
    status: "problems-found",
    findings: [
      {
        id: "keepalive-race",
        severity: "critical",
        confidence: 0.9,
        title: "Targets close idle keep-alive connections before the ALB does",
        evidence: [
          {
            source: "access-logs",
            detail:
              "412 of 418 ELB 502s have target_status_code '-' and -1 processing times, spread over 3 healthy targets",
          },
          {
            source: "attributes",
            detail: "idle_timeout.timeout_seconds = 60, above Node.js' default keep-alive of 5 s",
          },
        ],
        resources: ["i-0abc1234def567890", "targetgroup/api/6d0ecf831eec9f09"],
        fixes: [
          {
            id: "set-idle-timeout",
            automated: true,
            summary: "Lower idle_timeout.timeout_seconds 60 -> 4",
            changes: [
              { resource: ARN, setting: "idle_timeout.timeout_seconds", current: "60", proposed: "4" },
            ],
          },
          {
            id: "raise-backend-keepalive",
            automated: false,
            summary: "Raise the targets' keep-alive timeout above the idle timeout (65 s)",
            snippets: [
              {
                label: "Node.js",
                language: "js",
                code: "server.keepAliveTimeout = 65_000;\nserver.headersTimeout = 66_000;",
              },
              { label: "nginx", language: "nginx", code: "keepalive_timeout 75s;" },
            ],
          },
        ],
      },
      {
        id: "access-logs-disabled",
        severity: "info",
        confidence: 1,
        title: "Access logs are off",
        evidence: [{ source: "attributes", detail: "access_logs.s3.enabled = false" }],
        resources: [ARN],
        fixes: [
          {
            id: "enable-access-logs",
            automated: true,
            summary: "Enable access logs to s3://alb-logs/my-alb",
          },
        ],
      },
    ],
    checks: [
      { id: "load-balancer", status: "ok", durationMs: 12 },
      { id: "security-groups", status: "ok", durationMs: 41 },
      { id: "access-logs", status: "ok", durationMs: 230 },
      { id: "metrics", status: "ok", durationMs: 80 },
    ],
    figures: {
      elb502: 418,
      elb503: 0,
      elb504: 0,
      elb460: 12,
      elb464: 0,
      target5xx: 2,
      requests: 1_204_331,
      unhealthyTargets: 0,
      totalTargets: 3,
      idleTimeoutSeconds: 60,
      targetResponseP99: 0.412,
      targetResponseP99Of: "answered-requests",
    },
    durationMs: 1834,
  };
}

export function healthyReport(): Report {
  const r = keepaliveReport();
  return { ...r, status: "healthy", findings: [], figures: { ...r.figures!, elb502: 0, target5xx: 0 } };
}

export function incompleteReport(): Report {
  const r = keepaliveReport();
  return {
    ...r,
    status: "incomplete",
    findings: [],
    figures: undefined,
    checks: [
      { id: "load-balancer", status: "ok", durationMs: 12 },
      {
        id: "access-logs",
        status: "error",
        durationMs: 30,
        error: "AccessDenied: s3:ListBucket on alb-logs",
      },
      { id: "metrics", status: "skipped", durationMs: 0, note: "no permission" },
    ],
  };
}

const long = (n: number, word = "evidence") => Array.from({ length: n }, (_, i) => `${word}${i}`).join(" ");

/** 40 findings with long titles, long evidence, many resources and snippets: everything a renderer must fold. */
export function hugeReport(): Report {
  const ids = DIAGNOSIS_IDS as readonly DiagnosisId[];
  const findings: Finding[] = Array.from({ length: 40 }, (_, i) => ({
    id: ids[i % ids.length],
    severity: i === 0 ? "critical" : i % 3 === 0 ? "warning" : "info",
    confidence: 1 - i / 50,
    title: `Finding ${i}: ${long(60, "title")}`,
    evidence: Array.from({ length: 30 }, (_, j) => ({
      source: "access-logs" as const,
      detail: `${j}: <script>& ${long(120)}`,
    })),
    resources: Array.from({ length: 50 }, (_, j) => `i-${String(j).padStart(17, "0")}`),
    fixes: [
      {
        id: "set-idle-timeout" as const,
        automated: true,
        summary: `Lower the idle timeout ${long(100, "because")}`,
        changes: Array.from({ length: 20 }, (_, j) => ({
          resource: ARN,
          setting: `setting-${j}-${long(10, "x")}`,
          current: long(20, "old"),
          proposed: long(20, "new"),
        })),
      },
      {
        id: "raise-backend-keepalive" as const,
        automated: false,
        summary: `Raise keep-alive ${long(50)}`,
        snippets: Array.from({ length: 8 }, (_, j) => ({
          label: `Server ${j}`,
          language: "text",
          code: `${long(300, "line")}\n\`\`\` fence breaker`,
        })),
      },
    ],
  }));
  return {
    ...keepaliveReport(),
    loadBalancer: { name: `alb-${"x".repeat(200)}`, arn: ARN, dnsName: "x" },
    findings,
    checks: Array.from({ length: 30 }, (_, i) => ({
      id: `check-${i}`,
      status: "error" as const,
      durationMs: 5,
      error: `AccessDenied: ${long(80, "perm")}`,
    })),
  };
}
