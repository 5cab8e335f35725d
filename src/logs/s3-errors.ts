/** Turns S3 SDK errors into AlbDoctorError, naming the permission when access is denied. */
import { AlbDoctorError } from "../domain/errors.ts";

export function s3Error(e: unknown, operation: string, permission: string): AlbDoctorError {
  const name = (e as { name?: string; Code?: string })?.name ?? "";
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (name === "AccessDenied" || name === "AllAccessDisabled" || status === 403) {
    return new AlbDoctorError("access-denied", `${operation} was denied: alb-doctor needs ${permission}`, {
      cause: e,
      details: { operation, permission },
    });
  }
  if (name === "NoSuchBucket") {
    return new AlbDoctorError("not-found", `the access-log bucket does not exist (${operation})`, {
      cause: e,
    });
  }
  if (name === "SlowDown" || name === "ThrottlingException") {
    return new AlbDoctorError("throttled", `S3 throttled ${operation}`, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new AlbDoctorError("aws", `S3 ${operation} failed: ${message}`, {
    cause: e,
    details: { operation },
  });
}
