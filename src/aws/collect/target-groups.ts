/** Target groups, their attributes and target health, mapped to the domain's shapes. */
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type TargetGroup as SdkTargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Target, TargetGroup } from "../../domain/snapshot.ts";
import { resourceIdOf } from "../arn.ts";
import { allPages, awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";

export async function describeTargetGroups(
  clients: AwsClients,
  query: { loadBalancerArn?: string; arns?: string[] },
): Promise<SdkTargetGroup[]> {
  const groups: SdkTargetGroup[] = [];
  // DescribeTargetGroups takes at most 20 ARNs per call.
  const batches = query.arns ? chunk(query.arns, 20) : [undefined];
  for (const arns of batches) {
    const pages = await allPages(
      (Marker) =>
        awsCall(clients, "elasticloadbalancing:DescribeTargetGroups", (abortSignal) =>
          clients.elbv2.send(
            new DescribeTargetGroupsCommand({
              LoadBalancerArn: arns ? undefined : query.loadBalancerArn,
              TargetGroupArns: arns,
              Marker,
            }),
            { abortSignal },
          ),
        ),
      (page) => page.NextMarker,
    );
    groups.push(...pages.flatMap((page) => page.TargetGroups ?? []));
  }
  return groups;
}

export async function describeTargetGroupAttributes(
  clients: AwsClients,
  tgArn: string,
): Promise<Record<string, string>> {
  const out = await awsCall(clients, "elasticloadbalancing:DescribeTargetGroupAttributes", (abortSignal) =>
    clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }), { abortSignal }),
  );
  return Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
}

export async function describeTargetHealth(clients: AwsClients, tgArn: string): Promise<Target[]> {
  const out = await awsCall(
    clients,
    "elasticloadbalancing:DescribeTargetHealth",
    (abortSignal) =>
      clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }), { abortSignal }),
    { resource: tgArn },
  );
  return (out.TargetHealthDescriptions ?? []).map((d) => ({
    id: d.Target?.Id ?? "",
    port: d.Target?.Port,
    availabilityZone: d.Target?.AvailabilityZone,
    healthCheckPort: d.HealthCheckPort,
    state: d.TargetHealth?.State ?? "unavailable",
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
  }));
}

export function toTargetGroup(tg: SdkTargetGroup): TargetGroup {
  const arn = tg.TargetGroupArn ?? "";
  const lambda = tg.TargetType === "lambda";
  return {
    arn,
    name: tg.TargetGroupName ?? "",
    resourceId: resourceIdOf(arn),
    protocol: tg.Protocol,
    protocolVersion: tg.ProtocolVersion,
    port: tg.Port,
    targetType: tg.TargetType ?? "instance",
    vpcId: tg.VpcId,
    healthCheck: {
      enabled: tg.HealthCheckEnabled ?? !lambda,
      protocol: tg.HealthCheckProtocol ?? "HTTP",
      port: tg.HealthCheckPort ?? "traffic-port",
      path: tg.HealthCheckPath,
      intervalSeconds: tg.HealthCheckIntervalSeconds ?? (lambda ? 35 : 30),
      timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? (lambda ? 30 : 5),
      healthyThreshold: tg.HealthyThresholdCount ?? 5,
      unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
      matcher: tg.Matcher ? { httpCode: tg.Matcher.HttpCode, grpcCode: tg.Matcher.GrpcCode } : undefined,
    },
    attributes: {},
    targets: [],
  };
}

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
