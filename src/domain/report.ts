import type { DiagnosisId, FixId } from "./ids.ts";

export type Severity = "critical" | "warning" | "info";
export type EvidenceSource =
  | "access-logs"
  | "metrics"
  | "target-health"
  | "security-groups"
  | "network-acls"
  | "attributes"
  | "health-check"
  | "listeners";

export interface Evidence {
  source: EvidenceSource;
  detail: string;
}

/** A concrete change for an automated fix: what, where, from what, to what. */
export interface FixChange {
  /** ARN or id of the resource the change touches (load balancer ARN, target group ARN, sg-...). */
  resource: string;
  /** e.g. "idle_timeout.timeout_seconds", "HealthCheckPath", "ingress tcp 8080 from sg-alb". */
  setting: string;
  current: string | null;
  proposed: string;
}

export interface FixSuggestion {
  id: FixId;
  automated: boolean;
  summary: string;
  /** Automated fixes: the changes the plan would make (remediation re-reads state before planning). */
  changes?: FixChange[];
  /** Guidance fixes: labelled snippets (nginx, Apache, Node.js, ..., or a CLI command). */
  snippets?: { label: string; language: string; code: string }[];
  /** Extra parameters a remediation plan needs (e.g. { targetGroupArn, port }). Plain JSON. */
  params?: Record<string, string | number | boolean>;
}

export interface Finding {
  id: DiagnosisId;
  severity: Severity;
  /** 0..1, from the strength of the evidence. */
  confidence: number;
  title: string;
  evidence: Evidence[];
  resources: string[];
  fixes: FixSuggestion[];
  /** When this finding is a symptom of another, the id of that cause (it then ranks below it). */
  causedBy?: DiagnosisId;
}

export type CheckStatus = "ok" | "error" | "skipped";

export interface CheckRun {
  id: string;
  status: CheckStatus;
  durationMs: number;
  /** For errors: "AccessDenied: s3:ListBucket on alb-logs" - the failed action and the IAM permission it needs. */
  error?: string;
  /** For skipped parts: why. */
  note?: string;
}

export type ReportStatus = "healthy" | "problems-found" | "incomplete";

export interface Report {
  loadBalancer: { name: string; arn: string; dnsName: string };
  window: { start: string; end: string };
  status: ReportStatus;
  findings: Finding[];
  checks: CheckRun[];
  /** Key figures for people (not part of the findings.md contract, additive). */
  figures?: ReportFigures;
  durationMs?: number;
}

export interface ReportFigures {
  elb502: number | null;
  elb504: number | null;
  target5xx: number | null;
  requests: number | null;
  unhealthyTargets: number;
  totalTargets: number;
  idleTimeoutSeconds: number | null;
  targetResponseP99: number | null;
}
