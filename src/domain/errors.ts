/**
 * The one typed error of alb-doctor. `code` says what went wrong in a way code can branch on;
 * `message` is written for the person reading it; `cause` keeps the underlying error.
 */
export type ErrorCode =
  | "usage" // bad arguments or input
  | "not-found" // unknown load balancer, target group, plan...
  | "malformed-arn"
  | "wrong-region"
  | "wrong-account"
  | "access-denied"
  | "throttled"
  | "timeout"
  | "aws" // any other AWS error
  | "scenario" // a bad scenario file
  | "store-unavailable"
  | "config"
  | "conflict" // already approved, drift, expired...
  | "forbidden" // not an approver, self-approval
  | "internal";

export class AlbDoctorError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AlbDoctorError";
    this.code = code;
    this.details = options?.details;
  }
}

export function isAlbDoctorError(e: unknown, code?: ErrorCode): e is AlbDoctorError {
  return e instanceof AlbDoctorError && (code === undefined || e.code === code);
}
