import type { FixSuggestion } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";

/** The bucket name alb-doctor suggests: one per account and region, as ELB log buckets must be in the LB's region. */
export function suggestedLogBucket(accountId: string, region: string): { bucket: string; known: boolean } {
  const known = /^\d{12}$/.test(accountId) && region.length > 0;
  return { bucket: `alb-logs-${known ? accountId : "ACCOUNT"}-${region || "REGION"}`, known };
}

/**
 * Automated fix: turn on access logs. Remediation checks that the bucket exists and that its policy lets ELB
 * deliver (logdelivery.elasticloadbalancing.amazonaws.com or the region's ELB account) before applying.
 */
export function enableAccessLogsFix(snapshot: Snapshot): FixSuggestion {
  const attrs = snapshot.loadBalancer.attributes;
  const existing = attrs["access_logs.s3.bucket"];
  const suggestion = suggestedLogBucket(snapshot.accountId, snapshot.region);
  const bucket = existing && existing.length > 0 ? existing : suggestion.bucket;
  const existingPrefix = attrs["access_logs.s3.prefix"];
  const prefix = existingPrefix && existingPrefix.length > 0 ? existingPrefix : snapshot.loadBalancer.name;
  const unknown =
    !existing && !suggestion.known ? " (account or region unknown: replace ACCOUNT/REGION)" : "";
  const change = (setting: string, proposed: string) => ({
    resource: snapshot.loadBalancer.arn,
    setting,
    current: attrs[setting] ?? null,
    proposed,
  });
  return {
    id: "enable-access-logs",
    automated: true,
    summary: `Enable access logs to s3://${bucket}/${prefix}${unknown}`,
    changes: [
      change("access_logs.s3.enabled", "true"),
      change("access_logs.s3.bucket", bucket),
      change("access_logs.s3.prefix", prefix),
    ],
    params: {
      loadBalancerArn: snapshot.loadBalancer.arn,
      bucket,
      prefix,
      bucketKnown: Boolean(existing) || suggestion.known,
    },
  };
}
