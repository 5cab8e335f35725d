/**
 * Injected faults as AWS would answer them: each service's own code for a generic name (EC2 says
 * UnauthorizedOperation where others say AccessDenied, RequestLimitExceeded for throttling; S3 says
 * SlowDown), the HTTP status AWS uses, and AWS's message wording.
 */
import { SimError, type SimService } from "./contract.ts";
import type { FaultW, World } from "./world.ts";
import { partitionOf } from "./derive-ids.ts";

const IAM_PREFIX: Record<SimService, string> = {
  elbv2: "elasticloadbalancing",
  ec2: "ec2",
  cloudwatch: "cloudwatch",
  s3: "s3",
  sts: "sts",
  cloudtrail: "cloudtrail",
  autoscaling: "autoscaling",
  ecs: "ecs",
  athena: "athena",
};

/** Generic names a scenario may use, translated to what the service itself answers. */
const SERVICE_CODES: Partial<Record<SimService, Record<string, string>>> = {
  ec2: {
    AccessDenied: "UnauthorizedOperation",
    Throttling: "RequestLimitExceeded",
    ThrottlingException: "RequestLimitExceeded",
  },
  s3: { Throttling: "SlowDown", ThrottlingException: "SlowDown" },
  athena: { AccessDenied: "AccessDeniedException", Throttling: "TooManyRequestsException" },
};

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  AccessDeniedException: 403,
  UnauthorizedOperation: 403,
  Throttling: 400,
  ThrottlingException: 400,
  RequestLimitExceeded: 503,
  SlowDown: 503,
  ServiceUnavailable: 503,
  InternalFailure: 500,
  InternalError: 500,
  InternalServiceError: 500,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  TooManyRequestsException: 400,
};

export function faultCode(service: SimService, error: string): string {
  return SERVICE_CODES[service]?.[error] ?? error;
}

export function faultError(f: FaultW, service: SimService, action: string, world: World): SimError {
  const code = faultCode(service, f.Error ?? "InternalFailure");
  const user = `arn:${partitionOf(world.region)}:iam::${world.accountId}:user/simulator`;
  const permission = `${IAM_PREFIX[service]}:${action}`;
  const message =
    f.Message ??
    (code === "UnauthorizedOperation"
      ? "You are not authorized to perform this operation."
      : code === "AccessDenied" || code === "AccessDeniedException"
        ? `User: ${user} is not authorized to perform: ${permission}`
        : /Throttl|RequestLimitExceeded|TooManyRequests/.test(code)
          ? "Rate exceeded"
          : code === "SlowDown"
            ? "Please reduce your request rate."
            : `Injected fault ${code} on ${permission}`);
  return new SimError(code, message, STATUS[code] ?? 400);
}
