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
  | "listeners"
  | "tags"
  | "changes";

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
  /** Indexes into the report's `changes` that this finding cites as evidence. */
  changes?: number[];
  /** What to do next, in one or two sentences for people (every finding has one). */
  nextStep?: string;
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

/** "no-data": the window holds nothing to judge (no requests in the metrics, no log lines); never healthy. */
export type ReportStatus = "healthy" | "problems-found" | "incomplete" | "no-data";

export interface Report {
  loadBalancer: { name: string; arn: string; dnsName: string };
  window: { start: string; end: string };
  status: ReportStatus;
  findings: Finding[];
  checks: CheckRun[];
  /** When the errors started, peaked and ended (ISO times; end null while still going). */
  onset?: Onset;
  /** What changed before and during the window, nearest to the onset first. */
  changes?: Change[];
  /** The range and sources searched for changes (present even when nothing changed). */
  changesChecked?: { from: string; to: string; sources: ChangeSource[] };
  /** Who owns the load balancer (a controller or a stack), from its tags. */
  managedBy?: ManagedBy;
  /** The AWS account the diagnosis ran in. */
  account?: { id: string; alias?: string };
  /** How the access logs were read. */
  logScan?: LogScan;
  /** Present when the window held nothing to judge (status no-data, or beside problems found from configuration). */
  noData?: NoData;
  /** Key figures for people (not part of the findings.md contract, additive). */
  figures?: ReportFigures;
  /** The window interval by interval, for charts and sparklines (not part of the findings.md contract, additive). */
  timeline?: Timeline;
  durationMs?: number;
}

/** The error classes a timeline counts, in the order charts stack and list them. */
export const TIMELINE_CLASSES = [
  "elb502",
  "elb503",
  "elb504",
  "target5xx",
  "elbOther",
  "c460",
  "c464",
] as const;
export type TimelineClass = (typeof TIMELINE_CLASSES)[number];

export interface TimelinePoint {
  /** Start of the interval (ISO). */
  t: string;
  /** Class -> count in this interval; classes with no error are omitted. */
  errors: Partial<Record<TimelineClass, number>>;
  /** TargetResponseTime p99 (seconds, the highest datapoint in the interval); null when unknown. */
  p99: number | null;
  /** Unhealthy targets (UnHealthyHostCount maximum, added over target groups); null when unknown. */
  unhealthy: number | null;
}

export interface Timeline {
  /** Seconds per point: the CloudWatch period, or 60 for access-log minutes. */
  intervalSeconds: number;
  /** Where the ELB/target 5xx counts came from (460/464 always come from the access logs). */
  source: "metrics" | "access-logs";
  points: TimelinePoint[];
}

export interface NoData {
  /** The window that held nothing. */
  window: { start: string; end: string };
  /** What was empty, for people, naming the window. */
  detail: string;
  /** Why the clock that set the window looks wrong (an end in the future, an account clock elsewhere). */
  clock?: string;
}

export interface ReportFigures {
  elb502: number | null;
  /** 503 (no target to send to), from HTTPCode_ELB_503_Count or the access logs. */
  elb503?: number | null;
  elb504: number | null;
  /** 460 (client closed first) and 464 (protocol version): no metric of their own, so access logs only. */
  elb460?: number | null;
  elb464?: number | null;
  target5xx: number | null;
  requests: number | null;
  unhealthyTargets: number;
  totalTargets: number;
  idleTimeoutSeconds: number | null;
  targetResponseP99: number | null;
  /** Which requests that p99 describes (a p99 without its population misleads: 2xx-only vs all answered). */
  targetResponseP99Of?: P99Population;
}

/**
 * answered-requests: target_processing_time of every request a target answered (access logs, any status);
 * metric-peak: the highest one-period p99 of TargetResponseTime (metrics, when there are no logs).
 */
export type P99Population = "answered-requests" | "metric-peak";

/** How each population reads next to its p99, the same words in every surface. */
export const P99_POPULATION_WORDS: Record<P99Population, string> = {
  "answered-requests": "of all requests a target answered, from the access logs",
  "metric-peak": "the highest one-period TargetResponseTime p99, from the metrics",
};

export interface Onset {
  start: string;
  peak: string;
  /** null while the errors are still going at the window's end. */
  end: string | null;
  /** The series the onset was found on, e.g. HTTPCode_ELB_5XX_Count or "access-logs". */
  series: string;
  /** True when errors were already present at the window's start (the real start is earlier). */
  beforeWindow?: boolean;
  /**
   * With beforeWindow: how far back the search for the start went (the window is widened by a bounded lead).
   * startFound false: the errors were already there at `searchedFrom`, so `start` is only "no later than".
   */
  searchedFrom?: string;
  startFound?: boolean;
  /** Errors in the peak interval, and the interval's length in seconds. */
  peakCount?: number;
  periodSeconds?: number;
  /** The second source the series was compared with (access logs vs CloudWatch), and whether they agree. */
  agreement?: { with: string; agrees: boolean; detail: string };
}

export type ChangeSource = "cloudtrail" | "autoscaling" | "ecs";

export interface Change {
  time: string;
  source: ChangeSource;
  event: string;
  actor?: string;
  resources: string[];
  summary: string;
  /** Ids of the findings this change explains. */
  relatedTo?: string[];
}

export interface ManagedBy {
  kind: "kubernetes" | "cloudformation" | "terraform";
  /** Ingress/Service (namespace/name or group) or stack name. */
  owner: string;
  detail?: string;
}

export interface LogScan {
  engine: "stream" | "athena";
  objects: number;
  bytes: number;
  scannedBytes: number;
  complete: boolean;
}
