/**
 * The four AWS SDK v3 clients (plus STS for identity), built from one place so that endpoint, region,
 * credentials and retry policy are the same everywhere. AWS_ENDPOINT_URL (or `endpoint`) points every
 * client at the simulator; the default credential chain applies otherwise.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ECSClient } from "@aws-sdk/client-ecs";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

export interface AwsClients {
  region: string;
  endpoint?: string;
  /** Deadline of one AWS call including the SDK's retries (ms). */
  callDeadlineMs: number;
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  cloudwatch: CloudWatchClient;
  s3: S3Client;
  sts: STSClient;
  /** Athena, for the log engine on large windows (optional: hand-built client sets may leave it out). */
  athena?: AthenaClient;
  /** The change history (CloudTrail, Auto Scaling, ECS); absent: the report says changes were not searched. */
  cloudtrail?: CloudTrailClient;
  autoscaling?: AutoScalingClient;
  ecs?: ECSClient;
  destroy(): void;
}

export interface AwsClientOptions {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  /** SDK attempts per call (first try + retries on throttling and 5xx). */
  maxAttempts?: number;
  /** Deadline of one AWS call including retries (default 10 s). */
  callDeadlineMs?: number;
}

export { SIMULATOR_CREDENTIALS } from "./sim-credentials.ts";

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  // alb-doctor supports Node.js 20 with the SDK versions its lock file pins; the SDK's notice that future
  // versions will need Node.js 22 is not actionable for its users, and would land in every CLI run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL ?? undefined;
  const common = {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 4,
  };
  const clients = {
    elbv2: new ElasticLoadBalancingV2Client(common),
    ec2: new EC2Client(common),
    cloudwatch: new CloudWatchClient(common),
    // Path-style: the simulator (and S3-compatible endpoints) serve bucket names in the path.
    s3: new S3Client({ ...common, forcePathStyle: Boolean(endpoint) }),
    sts: new STSClient(common),
    athena: new AthenaClient(common),
    cloudtrail: new CloudTrailClient(common),
    autoscaling: new AutoScalingClient(common),
    ecs: new ECSClient(common),
  };
  return {
    region,
    endpoint,
    callDeadlineMs: options.callDeadlineMs ?? 10_000,
    ...clients,
    destroy() {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}
