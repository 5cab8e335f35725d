/**
 * One AWS call with a deadline, and AWS errors turned into AlbDoctorErrors that name the IAM permission.
 * The SDK's own retry strategy handles throttling (bounded by the clients' maxAttempts); the deadline
 * bounds the whole call including those retries, so one hung API cannot stall a diagnosis.
 */
import { AlbDoctorError } from "../domain/errors.ts";
import type { AwsClients } from "./clients.ts";

export const DEFAULT_CALL_DEADLINE_MS = 10_000;

/** The IAM action a call needs, e.g. "elasticloadbalancing:DescribeTargetHealth". */
export type IamAction =
  `${"elasticloadbalancing" | "ec2" | "cloudwatch" | "s3" | "sts" | "athena" | "cloudtrail" | "autoscaling" | "ecs"}:${string}`;

/**
 * Runs `send(abortSignal)` (a client.send with the signal passed on) under a deadline.
 * Example: callAws("ec2:DescribeSubnets", (abortSignal) => ec2.send(new DescribeSubnetsCommand(q), { abortSignal }))
 */
export async function callAws<O>(
  action: IamAction,
  send: (abortSignal: AbortSignal) => Promise<O>,
  options: { deadlineMs?: number; resource?: string } = {},
): Promise<O> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  try {
    return await send(controller.signal);
  } catch (e) {
    if (controller.signal.aborted) {
      throw new AlbDoctorError("timeout", `Timeout: ${action} did not answer within ${deadlineMs} ms`, {
        cause: e,
        details: { action },
      });
    }
    throw toAlbDoctorError(e, action, options.resource);
  } finally {
    clearTimeout(timer);
  }
}

/** callAws with the client set's deadline. */
export function awsCall<O>(
  clients: AwsClients,
  action: IamAction,
  send: (abortSignal: AbortSignal) => Promise<O>,
  options: { resource?: string } = {},
): Promise<O> {
  return callAws(action, send, { ...options, deadlineMs: clients.callDeadlineMs });
}

/**
 * Every page of a paginated call, in order: `page(token)` fetches one page (token undefined for the first),
 * `next(page)` reads the token of the following one.
 */
export async function allPages<P>(
  page: (token: string | undefined) => Promise<P>,
  next: (page: P) => string | undefined,
): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    pages.push(p);
    token = next(p);
  } while (token);
  return pages;
}

const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure"]);
const THROTTLED = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "SlowDown",
]);

export function awsErrorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const err = e as { name?: string; Code?: string; code?: string };
  return err.Code ?? err.code ?? err.name;
}

export function toAlbDoctorError(e: unknown, action: IamAction, resource?: string): AlbDoctorError {
  const code = awsErrorCode(e) ?? "Error";
  const message = e instanceof Error ? e.message : String(e);
  const on = resource ? ` on ${resource}` : "";
  const details = { action, awsCode: code, resource };
  if (code === "CredentialsProviderError") {
    return new AlbDoctorError(
      "config",
      `no AWS credentials found for ${action}: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO or an instance role (or try a simulated account with --scenario)`,
      { cause: e, details },
    );
  }
  if (DENIED.has(code)) {
    return new AlbDoctorError("access-denied", `AccessDenied: ${action}${on}`, { cause: e, details });
  }
  if (THROTTLED.has(code)) {
    return new AlbDoctorError("throttled", `Throttled: ${action}${on} (retries exhausted)`, {
      cause: e,
      details,
    });
  }
  return new AlbDoctorError("aws", `${code}: ${action}${on}: ${message}`, { cause: e, details });
}
