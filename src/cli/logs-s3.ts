/**
 * `alb-doctor logs REF`: one load balancer's access logs read from its S3 bucket (or a scenario's simulated
 * one). A module of its own, loaded only for that form: the SDK clients and the simulator stay unloaded for
 * `logs --files` and `logs parse`.
 */
import { DescribeLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../aws/clients.ts";
import { resolveLoadBalancer } from "../aws/resolve.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { LogSummary } from "../domain/log-summary.ts";
import { windowOf } from "../domain/window.ts";
import { analyzeWindow } from "../logs/analyze.ts";
import type { Opts } from "./logs.ts";
import { scenarioFile } from "./scenario-file.ts";

export async function analyzeLoadBalancer(
  ref: string,
  opts: Opts,
  scan: { concurrency: number; workers: number | undefined },
): Promise<LogSummary> {
  const { startSimulator } = opts.scenario ? await import("../sim/index.ts") : { startSimulator: undefined };
  const sim = startSimulator
    ? await startSimulator({ file: scenarioFile(String(opts.scenario)), port: 0 })
    : undefined;
  const aws: AwsClients = sim
    ? createAwsClients({
        region: sim.world.region,
        endpoint: sim.endpoint,
        credentials: SIMULATOR_CREDENTIALS,
      })
    : createAwsClients({ region: opts.region as string | undefined });
  try {
    const now = sim ? sim.world.now : new Date();
    const window = windowOf(String(opts.window), opts.end as string | undefined, now);
    const { lb } = await resolveLoadBalancer(aws, ref);
    const attrs = await lbAttributes(aws, lb.LoadBalancerArn);
    const [, , , region, accountId] = lb.LoadBalancerArn.split(":");
    const lbResourceId = lb.LoadBalancerArn.slice(lb.LoadBalancerArn.indexOf(":loadbalancer/") + 14);
    return await analyzeWindow({
      s3: aws.s3,
      bucket: attrs["access_logs.s3.enabled"] === "true" ? attrs["access_logs.s3.bucket"] : undefined,
      prefix: attrs["access_logs.s3.prefix"] || undefined,
      accountId,
      region,
      lbResourceId,
      window,
      idleTimeoutSeconds: Number(attrs["idle_timeout.timeout_seconds"] ?? 60) || 60,
      ...scan,
    });
  } finally {
    aws.destroy();
    await sim?.close();
  }
}

async function lbAttributes(aws: AwsClients, arn: string): Promise<Record<string, string>> {
  try {
    const r = await aws.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    return Object.fromEntries((r.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
  } catch (e) {
    throw new AlbDoctorError("aws", `could not read the load balancer attributes: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
