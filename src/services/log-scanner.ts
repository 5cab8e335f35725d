/**
 * The collector's access-log scanner: the analyzer of src/logs over the S3 client, for the bucket and
 * prefix the load balancer's access_logs.s3.* attributes name, bounded by an overall deadline.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { LogScanner } from "../aws/collect/index.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { analyzeWindow } from "../logs/analyze.ts";

export function createLogScanner(
  aws: AwsClients,
  options: { concurrency?: number; deadlineMs?: number } = {},
): LogScanner {
  return async (request) => {
    const attrs = request.loadBalancer.attributes;
    const scan = analyzeWindow({
      s3: aws.s3,
      bucket: attrs["access_logs.s3.enabled"] === "true" ? attrs["access_logs.s3.bucket"] : undefined,
      prefix: attrs["access_logs.s3.prefix"] || undefined,
      accountId: request.accountId,
      region: request.region,
      lbResourceId: request.loadBalancer.resourceId,
      window: request.window,
      idleTimeoutSeconds: request.idleTimeoutSeconds,
      concurrency: options.concurrency,
    });
    const deadlineMs = options.deadlineMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AlbDoctorError("timeout", `Timeout: the access-log scan took longer than ${deadlineMs} ms`),
          ),
        deadlineMs,
      );
    });
    try {
      return await Promise.race([scan, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}
