/**
 * The AWS side of remediation: the reads a plan needs (current settings, observed durations, bucket policy)
 * and the one executor for write calls. Errors come back as AlbDoctorErrors naming the IAM action.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsClients } from "../aws/clients.ts";
import { awsCall } from "../aws/call.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { AwsCall } from "./plan.ts";

type Meta = { $metadata: { requestId?: string } };

/** Runs one write call; returns the AWS request id. */
export async function executeCall(clients: AwsClients, call: AwsCall): Promise<string> {
  const p = call.params as never;
  let out: Meta;
  switch (call.action) {
    case "ModifyLoadBalancerAttributes":
      out = await awsCall(clients, "elasticloadbalancing:ModifyLoadBalancerAttributes", (abortSignal) =>
        clients.elbv2.send(new ModifyLoadBalancerAttributesCommand(p), { abortSignal }),
      );
      break;
    case "ModifyTargetGroup":
      out = await awsCall(clients, "elasticloadbalancing:ModifyTargetGroup", (abortSignal) =>
        clients.elbv2.send(new ModifyTargetGroupCommand(p), { abortSignal }),
      );
      break;
    case "ModifyTargetGroupAttributes":
      out = await awsCall(clients, "elasticloadbalancing:ModifyTargetGroupAttributes", (abortSignal) =>
        clients.elbv2.send(new ModifyTargetGroupAttributesCommand(p), { abortSignal }),
      );
      break;
    case "AuthorizeSecurityGroupIngress":
      out = await awsCall(clients, "ec2:AuthorizeSecurityGroupIngress", (abortSignal) =>
        clients.ec2.send(new AuthorizeSecurityGroupIngressCommand(p), { abortSignal }),
      );
      break;
    case "RevokeSecurityGroupIngress":
      out = await awsCall(clients, "ec2:RevokeSecurityGroupIngress", (abortSignal) =>
        clients.ec2.send(new RevokeSecurityGroupIngressCommand(p), { abortSignal }),
      );
      break;
    default:
      throw new AlbDoctorError("internal", `unknown remediation call ${String(call.action)}`);
  }
  return out.$metadata.requestId ?? "";
}

export async function readLoadBalancerAttributes(
  clients: AwsClients,
  arn: string,
): Promise<Record<string, string>> {
  const out = await awsCall(
    clients,
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    (abortSignal) =>
      clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }), {
        abortSignal,
      }),
    { resource: arn },
  );
  return Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
}

export async function readTargetGroupAttributes(
  clients: AwsClients,
  arn: string,
): Promise<Record<string, string>> {
  const out = await awsCall(
    clients,
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    (abortSignal) =>
      clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }), { abortSignal }),
    { resource: arn },
  );
  return Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key ?? "", a.Value ?? ""]));
}

export async function describeTargetGroup(clients: AwsClients, arn: string): Promise<TargetGroup> {
  const out = await awsCall(
    clients,
    "elasticloadbalancing:DescribeTargetGroups",
    (abortSignal) =>
      clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }), { abortSignal }),
    { resource: arn },
  );
  const group = out.TargetGroups?.[0];
  if (!group) throw new AlbDoctorError("not-found", `target group ${arn} not found`);
  return group;
}

export async function describeIngress(clients: AwsClients, groupId: string): Promise<IpPermission[]> {
  const out = await awsCall(
    clients,
    "ec2:DescribeSecurityGroups",
    (abortSignal) =>
      clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }), { abortSignal }),
    { resource: groupId },
  );
  const group = out.SecurityGroups?.[0];
  if (!group) throw new AlbDoctorError("not-found", `security group ${groupId} not found`);
  return group.IpPermissions ?? [];
}

export interface ObservedDurations {
  /** Seconds; null when CloudWatch had no data points. */
  maxSeconds: number | null;
  p99Seconds: number | null;
}

/** TargetResponseTime Maximum and p99 over the window, from one GetMetricData call. */
export async function observedDurations(
  clients: AwsClients,
  loadBalancerArn: string,
  window: { start: string; end: string },
): Promise<ObservedDurations> {
  const dimension = loadBalancerArn.split(":loadbalancer/")[1];
  if (!dimension) throw new AlbDoctorError("malformed-arn", `not a load balancer ARN: ${loadBalancerArn}`);
  const stat = (id: string, Stat: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/ApplicationELB",
        MetricName: "TargetResponseTime",
        Dimensions: [{ Name: "LoadBalancer", Value: dimension }],
      },
      Period: 60,
      Stat,
    },
    ReturnData: true,
  });
  const out = await awsCall(clients, "cloudwatch:GetMetricData", (abortSignal) =>
    clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        MetricDataQueries: [stat("mx", "Maximum"), stat("p99", "p99")],
      }),
      { abortSignal },
    ),
  );
  const peak = (id: string) => {
    const values = out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
    return values.length ? Math.max(...values) : null;
  };
  return { maxSeconds: peak("mx"), p99Seconds: peak("p99") };
}
