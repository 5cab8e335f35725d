/**
 * lambda-target-error: a Lambda target fails or returns an invalid response (alb-facts §2.3). error_reason names
 * the cause (LambdaUnhandled, LambdaInvalidResponse, LambdaThrottling, ...); LambdaUserError and
 * LambdaInternalError count them without logs.
 *
 * Confidence: 0.9 with error_reason codes (the ALB says what failed), 0.7 from the metrics alone.
 */
import type { Check } from "../check.ts";
import { listFew, pct, usableLogs } from "../evidence/logs.ts";
import type { LogSummary } from "../../domain/log-summary.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import { confidence, severityForErrors } from "../evidence/confidence.ts";
import { requestTotal } from "../evidence/latency.ts";
import { metricSum } from "../evidence/metrics.ts";

/** What to do for each error_reason code. */
export const LAMBDA_ADVICE: Record<string, string> = {
  LambdaAccessDenied:
    "the function's resource policy must allow elasticloadbalancing.amazonaws.com to invoke it (lambda:InvokeFunction, source ARN = the target group)",
  LambdaBadRequest: "request headers or body are not valid UTF-8; send binary bodies base64-encoded",
  LambdaConnectionTimeout:
    "connecting to Lambda timed out (AWS side); retry, and watch the AWS Health Dashboard",
  LambdaEC2AccessDeniedException:
    "EC2 denied access while the function initialised: check its execution role's VPC permissions",
  LambdaEC2ThrottledException: "EC2 throttled the function's initialisation: reduce concurrent cold starts",
  LambdaEC2UnexpectedException: "EC2 failed unexpectedly while the function initialised",
  LambdaENILimitReachedException:
    "the VPC ran out of network interfaces for the function: raise the ENI quota or use fewer subnets/security groups",
  LambdaInvalidResponse:
    "the function's response is malformed: return { statusCode, headers, body, isBase64Encoded } as JSON",
  LambdaInvalidRuntimeException: "the function's runtime version is not supported: update the runtime",
  LambdaInvalidSecurityGroupIDException:
    "the function's VPC config names a security group that does not exist",
  LambdaInvalidSubnetIDException: "the function's VPC config names a subnet that does not exist",
  LambdaInvalidZipFileException: "the deployment package cannot be unzipped: redeploy the function",
  LambdaKMSAccessDeniedException:
    "the function cannot decrypt its environment variables: grant kms:Decrypt to its role",
  LambdaKMSDisabledException: "the KMS key for the function's environment variables is disabled",
  LambdaKMSInvalidStateException:
    "the KMS key for the function's environment variables is in an invalid state",
  LambdaKMSNotFoundException: "the KMS key for the function's environment variables does not exist",
  LambdaRequestTooLarge: "the request body is over 1 MB: Lambda targets cannot take it",
  LambdaResourceNotFound: "the function does not exist (deleted or wrong ARN): register the right function",
  LambdaResponseTooLarge: "the response is over 1 MB: shrink it or serve large content from S3",
  LambdaServiceException: "Lambda had an internal error (AWS side)",
  LambdaSubnetIPAddressLimitReachedException: "the function's subnets are out of IP addresses",
  LambdaThrottling:
    "the function was throttled: raise its reserved concurrency or the account's concurrency quota",
  LambdaUnhandled: "the function threw an unhandled exception: read its CloudWatch Logs",
  LambdaUnhandledException: "the ALB hit an unhandled exception invoking Lambda (AWS side)",
};

export const lambdaCheck: Check = {
  name: "lambda",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    const codes = Object.entries(logs?.byErrorReason ?? {})
      .filter(([code, n]) => code.startsWith("Lambda") && n > 0)
      .sort((a, b) => b[1] - a[1]);
    const userErrors = metricSum(s, "LambdaUserError");
    const internalErrors = metricSum(s, "LambdaInternalError");
    const fromLogs = codes.reduce((a, [, n]) => a + n, 0);
    const fromMetrics = (userErrors ?? 0) + (internalErrors ?? 0);
    if (fromLogs === 0 && fromMetrics === 0) return [];

    const evidence: Evidence[] = codes.map(([code, n]) => ({
      source: "access-logs",
      detail: `${code} ×${n}: ${LAMBDA_ADVICE[code] ?? "see the ALB access-log documentation for this code"}`,
    }));
    const byPath = logs ? pathEvidence(logs) : null;
    if (byPath) evidence.push({ source: "access-logs", detail: byPath });
    if (fromMetrics > 0) {
      evidence.push({
        source: "metrics",
        detail: `LambdaUserError ${userErrors ?? 0}, LambdaInternalError ${internalErrors ?? 0} in the window`,
      });
    }
    const lambdaGroups = s.targetGroups.filter((g) => g.targetType === "lambda");
    return [
      {
        id: "lambda-target-error",
        severity: severityForErrors(Math.max(fromLogs, fromMetrics), requestTotal(s)),
        confidence: confidence(fromLogs > 0 ? 0.9 : 0.7),
        title: codes.length ? `The Lambda target fails: ${codes[0][0]}` : "The Lambda target fails",
        evidence,
        resources: [
          ...lambdaGroups.map((g) => g.arn),
          ...lambdaGroups.flatMap((g) => g.targets.map((t) => t.id)),
        ],
        fixes: [],
      },
    ];
  },
};

/**
 * Where the errors sit: a function that fails on a few paths at every request and answers the others has a
 * bug in those handlers (an unknown route, a response shape one handler builds wrong); one that fails on
 * every path fails as a whole (a deployment, its permissions, its runtime). The paths tell them apart.
 */
function pathEvidence(logs: LogSummary): string | null {
  const rows = Object.entries(logs.byPath)
    .map(([path, b]) => ({
      path,
      n: b.classes["lambda-error"] ?? 0,
      requests: b.requests,
      group: b.targetGroup,
    }))
    .filter((r) => r.requests > 0);
  const failing = rows.filter((r) => r.n > 0).sort((a, b) => b.n - a.n);
  if (failing.length === 0) return null;
  const groups = new Set(failing.map((r) => r.group));
  const answering = rows.filter((r) => r.n === 0 && groups.has(r.group));
  const where = listFew(failing.map((r) => `${r.path} ${r.n} of ${r.requests} (${pct(r.n, r.requests)})`));
  if (answering.length === 0) {
    return `the errors are on every path the function serves (${where}): it fails as a whole, not in one handler`;
  }
  return `the errors sit on ${failing.length} path${failing.length === 1 ? "" : "s"} (${where}) while ${answering.length} other path${answering.length === 1 ? "" : "s"} of the same function answer without them: the handlers of those requests build the failing response`;
}
