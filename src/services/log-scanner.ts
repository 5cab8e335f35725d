/**
 * The collector's access-log scanner: the analyzer of src/logs over the S3 client, for the bucket and
 * prefix the load balancer's access_logs.s3.* attributes name, bounded by an overall deadline that stops
 * the scan (listing and downloads) when it passes.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { LogScanner } from "../aws/collect/index.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { analyzeWindow } from "../logs/analyze.ts";
import type { InflateLimits } from "../logs/stream.ts";

export function createLogScanner(
  aws: AwsClients,
  options: { concurrency?: number; workers?: number; deadlineMs?: number; inflate?: InflateLimits } = {},
): LogScanner {
  return async (request) => {
    const attrs = request.loadBalancer.attributes;
    const deadlineMs = options.deadlineMs ?? 120_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    try {
      return await analyzeWindow({
        s3: aws.s3,
        bucket: attrs["access_logs.s3.enabled"] === "true" ? attrs["access_logs.s3.bucket"] : undefined,
        prefix: attrs["access_logs.s3.prefix"] || undefined,
        accountId: request.accountId,
        region: request.region,
        lbResourceId: request.loadBalancer.resourceId,
        window: request.window,
        idleTimeoutSeconds: request.idleTimeoutSeconds,
        concurrency: options.concurrency,
        workers: options.workers,
        inflate: options.inflate,
        signal: controller.signal,
      });
    } catch (e) {
      if (controller.signal.aborted) {
        throw new AlbDoctorError(
          "timeout",
          `Timeout: the access-log scan took longer than ${deadlineMs} ms`,
          {
            cause: e,
          },
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
}
