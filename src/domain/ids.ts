// Stable ids: the public contract of the JSON report, the tests and the scenarios (docs/contract/findings.md).
// Rename none; add new ones when evidence calls for it.

export const DIAGNOSIS_IDS = [
  "keepalive-race",
  "idle-timeout-exceeded",
  "sg-blocks-alb-to-target",
  "sg-blocks-health-check-port",
  "alb-sg-egress-blocked",
  "nacl-blocks-traffic",
  "health-check-misconfigured",
  "health-check-too-slow",
  "targets-unhealthy",
  "no-healthy-targets",
  "no-registered-targets",
  "deregistration-draining",
  "target-tls-failure",
  "targets-overloaded",
  "target-returned-5xx",
  "malformed-target-response",
  "lambda-target-error",
  "client-closed-early",
  "access-logs-disabled",
  "target-protocol-mismatch",
  "websocket-idle-timeout",
  // Add recent-change here together with the check that emits it and a scenario whose root cause it is
  // (test/scenarios/library-loads.test.ts asserts that).
] as const;
export type DiagnosisId = (typeof DIAGNOSIS_IDS)[number];

export const FIX_IDS = [
  "set-idle-timeout",
  "allow-alb-to-target",
  "fix-health-check",
  "set-deregistration-delay",
  "enable-access-logs",
  "raise-backend-keepalive",
  "fix-nacl",
  /** Guidance (not automated): the ALB security group's missing egress rule, as an AWS CLI command. */
  "allow-alb-egress",
  /** Puts back the value a recent change replaced (automated when the change is one of the automated kinds). */
  "revert-change",
  /** Guidance: preStop sleep, terminationGracePeriodSeconds, readiness gates for controller-managed ip targets. */
  "k8s-graceful-shutdown",
  /** Guidance: a target group with the ProtocolVersion the clients speak, or a rule that sends the others elsewhere. */
  "set-protocol-version",
  /** Guidance: an application-level ping/pong on WebSockets, well under the ALB idle timeout. */
  "websocket-ping",
  /** Guidance: app-server worker pool settings (Gunicorn worker class, threads, keep-alive, timeout). */
  "tune-app-server-workers",
] as const;
export type FixId = (typeof FIX_IDS)[number];

/** Fixes alb-doctor can apply itself, behind an approved plan. The rest are guidance. */
export const AUTOMATED_FIX_IDS: readonly FixId[] = [
  "set-idle-timeout",
  "allow-alb-to-target",
  "fix-health-check",
  "set-deregistration-delay",
  "enable-access-logs",
];

/** Ids of the parts of a diagnosis run, as reported in `checks[]`. */
export const CHECK_PART_IDS = [
  "load-balancer",
  "listeners",
  "target-groups",
  "target-health",
  "instances",
  "security-groups",
  "network-acls",
  "subnets",
  "metrics",
  "access-logs",
  /** DescribeTags of the load balancer and its target groups: who owns them (managedBy). */
  "tags",
  /** The change history: CloudTrail write events, Auto Scaling activities, ECS deployments. */
  "changes",
] as const;
export type CheckPartId = (typeof CHECK_PART_IDS)[number];
