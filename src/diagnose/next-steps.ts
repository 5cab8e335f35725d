/**
 * What to do next, per diagnosis: one or two sentences for the person on call, shown under every finding in
 * the text report and in Slack. This table is the one source; a check may give a finding a more specific
 * step from its own evidence (a path, a timeout), which then wins. The Record over DiagnosisId makes a new
 * id without a step a type error, and test/diagnose/next-steps.test.ts checks every id at run time too.
 *
 * Steps are fixed words: any name they take from the finding (a target group, a fix summary) is outside
 * text and reaches people only through the renderers' escaping, like every other report string.
 */
import type { DiagnosisId, FixId } from "../domain/ids.ts";
import type { Finding } from "../domain/report.ts";

type StepFor = (f: Finding) => string;

/** Names the automated fix when the finding offers one, so the person knows alb-doctor can plan it. */
function viaFix(f: Finding, fix: FixId, otherwise: string): string {
  return f.fixes.some((x) => x.id === fix && x.automated)
    ? "apply the automated fix (a plan that another person approves)"
    : otherwise;
}

export const NEXT_STEPS: Record<DiagnosisId, StepFor> = {
  "keepalive-race": () =>
    "Raise the backend's keep-alive timeout above the ALB idle timeout (see the raise-backend-keepalive fix), deploy, and check that the 502s stop; lower the idle timeout instead only if no slow endpoint, long poll or WebSocket needs it.",
  "idle-timeout-exceeded": () =>
    "Find out why the slow paths in the evidence run past the idle timeout and speed them up, or raise the idle timeout above their real duration (durations cut at the current timeout are not known beyond it).",
  "sg-blocks-alb-to-target": (f) =>
    `Let the ALB reach its targets: ${viaFix(f, "allow-alb-to-target", "add the ingress rule from the ALB's security group on the traffic and health-check ports")}, then watch the targets turn healthy within a few health-check intervals.`,
  "sg-blocks-health-check-port": (f) =>
    `Admit the ALB on the health-check port: ${viaFix(f, "allow-alb-to-target", "add the ingress rule from the ALB's security group on that port")} (or check on the traffic port), then watch the health checks pass.`,
  "alb-sg-egress-blocked": () =>
    "Add an egress rule to the ALB's security group for the targets' port (see the allow-alb-egress fix), then watch target health recover.",
  "nacl-blocks-traffic": () =>
    "Add the network ACL rules of the fix-nacl fix, for the target port and for the ephemeral return ports (1024-65535) in both directions, then watch the health checks pass.",
  "health-check-misconfigured": (f) =>
    `Make the health check ask for something the application serves: ${viaFix(f, "fix-health-check", "set the path, port and success codes to what the targets answer")}; try the path with curl from inside the VPC first.`,
  "health-check-too-slow": (f) =>
    `Shorten the health check's interval, timeout or unhealthy threshold so a failing target leaves within about a minute (${viaFix(f, "fix-health-check", "change the target group's health check")}), keeping the app's start-up time in mind.`,
  "targets-unhealthy": () =>
    "Read the health reasons in the evidence and the application's logs on those targets for the time they failed; fix what made them fail (a deploy, memory, a dependency) before replacing them.",
  "no-healthy-targets": () =>
    "Every target fails its health check, so the ALB fails open: fix the reason in the evidence first (run aws elbv2 describe-target-health, try the health-check path from inside the VPC), then confirm at least one target turns healthy.",
  "no-registered-targets": () =>
    "Register targets in the group, or find out why its Auto Scaling group, ECS service or controller registers none; until then the listener answers 503.",
  "deregistration-draining": (f) =>
    `Let targets finish in-flight requests before they stop: handle SIGTERM by draining, and ${viaFix(f, "set-deregistration-delay", "set the deregistration delay above your longest request")}.`,
  "target-tls-failure": () =>
    "Check what the targets serve on the target port (openssl s_client -connect TARGET:PORT from inside the VPC): plain HTTP needs an HTTP target group; HTTPS needs a handshake with TLS 1.2 or later and a cipher the ALB offers.",
  "targets-overloaded": () =>
    "Add capacity (scale out, or larger targets) or shed load, and check the targets' connection limits (listen backlog, max connections, worker count); then watch TargetConnectionErrorCount fall.",
  "target-returned-5xx": () =>
    "The application answered with these errors: read its own logs on the targets for the paths and times in the evidence; the ALB only passed the errors on.",
  "malformed-target-response": () =>
    "Fetch the path in the evidence straight from a target (curl -v http://TARGET:PORT/PATH) and check the response: headers under 32 KB, valid header syntax, a Content-Length that matches the body.",
  "lambda-target-error": () =>
    "Read the function's CloudWatch Logs for the error in the evidence, and check its response shape (statusCode, headers, body, isBase64Encoded) and its concurrency limit.",
  "client-closed-early": () =>
    "Compare the clients' timeouts with the target times in the evidence: speed up the slow endpoints or raise the client's timeout; quick aborts with no pattern need no server change.",
  "access-logs-disabled": (f) =>
    `Turn access logs on (${viaFix(f, "enable-access-logs", "access_logs.s3.enabled and a bucket that allows ELB log delivery")}), so the next incident has per-request evidence.`,
  "target-protocol-mismatch": () =>
    "Send each protocol to a target group whose ProtocolVersion accepts it: a rule on content-type application/grpc for gRPC, an HTTP1 group for browsers and other HTTP/1.1 clients.",
  "websocket-idle-timeout": () =>
    "Send a WebSocket ping or message from the server well under the ALB idle timeout; raise the idle timeout only as a stopgap.",
};

/** A symptom of another finding waits for that cause: fixing it is the step. */
function symptomStep(f: Finding): string | undefined {
  if (!f.causedBy) return undefined;
  return `Fix ${f.causedBy} first (above); this should clear on its own once it is fixed, so check it again then.`;
}

/** The finding's own step if its check gave one, otherwise the table's (a symptom points to its cause). */
export function nextStepFor(f: Finding): string {
  return symptomStep(f) ?? f.nextStep ?? NEXT_STEPS[f.id](f);
}

/** Every finding with its next step filled in (new objects; the input is not changed). */
export function withNextSteps(findings: Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, nextStep: nextStepFor(f) }));
}
