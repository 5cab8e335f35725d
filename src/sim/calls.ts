/**
 * The services the simulator speaks and the record it keeps of every call. Its own module so that the
 * World (which keeps the log) and the handler contract (which names the services) need not import each other.
 */
export type SimService =
  "elbv2" | "ec2" | "cloudwatch" | "s3" | "sts" | "cloudtrail" | "autoscaling" | "ecs" | "athena";

export interface CallLogEntry {
  seq: number;
  at: string;
  service: SimService;
  action: string;
  params?: Record<string, unknown>;
  status: number;
  errorCode?: string;
  latencyMs: number;
  requestId: string;
}
