/**
 * The simulated account the remediation tests change: one ALB (my-alb) with sg-alb, a target group (api, 8080)
 * with two instances in sg-app, whose ingress admits the ALB only on 22 (so allow-alb-to-target has work to do),
 * response times whose maximum reaches 59.9 s (so lowering the idle timeout is risky), and two log buckets,
 * one whose policy lets ELB deliver and one whose policy does not.
 */
import type { FixOffer } from "../../src/remediate/offers.ts";
import type { FixSuggestion } from "../../src/domain/report.ts";

export const ACCOUNT = "123456789012";
export const LB_ID = "50dc6c495c0c9188";
export const TG_ID = "73e2d6bc24d8a067";
export const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/my-alb/${LB_ID}`;
export const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/api/${TG_ID}`;
export const NOW = "2026-03-15T14:30:00Z";
export const WINDOW = { start: "2026-03-15T13:30:00Z", end: NOW };

const deliveryPolicy = (bucket: string, prefix: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${bucket}/${prefix}/AWSLogs/${ACCOUNT}/*`,
    },
  ],
});

export function remediationScenario(): Record<string, unknown> {
  const minutes = 60;
  const series = (f: (i: number) => number) => Array.from({ length: minutes }, (_, i) => f(i));
  return {
    name: "remediation",
    region: "us-east-1",
    accountId: ACCOUNT,
    now: NOW,
    vpcs: [{ VpcId: "vpc-1", CidrBlock: "10.0.0.0/16" }],
    subnets: [
      { SubnetId: "subnet-a", VpcId: "vpc-1", CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
      { SubnetId: "subnet-b", VpcId: "vpc-1", CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
    ],
    securityGroups: [
      {
        GroupId: "sg-alb",
        GroupName: "alb",
        Description: "ALB",
        VpcId: "vpc-1",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      },
      {
        GroupId: "sg-app",
        GroupName: "app",
        Description: "app",
        VpcId: "vpc-1",
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: "sg-alb" }] },
        ],
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      },
    ],
    instances: [
      {
        InstanceId: "i-0a1",
        SubnetId: "subnet-b",
        PrivateIpAddress: "10.0.2.100",
        SecurityGroups: [{ GroupId: "sg-app" }],
        State: "running",
      },
      {
        InstanceId: "i-0a2",
        SubnetId: "subnet-b",
        PrivateIpAddress: "10.0.2.101",
        SecurityGroups: [{ GroupId: "sg-app" }],
        State: "running",
      },
    ],
    loadBalancers: [
      {
        LoadBalancerName: "my-alb",
        Id: LB_ID,
        Scheme: "internet-facing",
        VpcId: "vpc-1",
        Subnets: ["subnet-a", "subnet-b"],
        SecurityGroups: ["sg-alb"],
        Attributes: { "idle_timeout.timeout_seconds": "60" },
        Listeners: [
          { Port: 443, Protocol: "HTTPS", DefaultActions: [{ Type: "forward", TargetGroupName: "api" }] },
        ],
      },
    ],
    targetGroups: [
      {
        TargetGroupName: "api",
        Id: TG_ID,
        Protocol: "HTTP",
        Port: 8080,
        TargetType: "instance",
        VpcId: "vpc-1",
        HealthCheck: { Path: "/", Matcher: { HttpCode: "200" } },
        Targets: [
          { Id: "i-0a1", Port: 8080, State: "healthy" },
          { Id: "i-0a2", Port: 8080, State: "unhealthy", Reason: "Target.ResponseCodeMismatch" },
        ],
      },
    ],
    metrics: [
      {
        MetricName: "TargetResponseTime",
        Dimensions: { LoadBalancer: "my-alb" },
        Period: 60,
        Stats: {
          Average: series(() => 0.08),
          Maximum: series((i) => (i === 40 ? 59.9 : 2.5)),
          p99: series(() => 1.2),
          SampleCount: series(() => 1200),
        },
      },
    ],
    buckets: [
      { Name: "logs-ok", Region: "us-east-1", Policy: deliveryPolicy("logs-ok", "my-alb") },
      { Name: "logs-closed", Region: "us-east-1", Policy: deliveryPolicy("logs-closed", "other-prefix") },
    ],
  };
}

/** A fix offer as saveFixOffers stores it for the report's fix buttons. */
export function offer(findingId: string, fix: Omit<FixSuggestion, "automated" | "summary">): FixOffer {
  return {
    offerId: `fx_test${Math.random().toString(36).slice(2, 10)}`,
    loadBalancer: { name: "my-alb", arn: LB_ARN },
    findingId,
    fix: { automated: true, summary: `test ${fix.id}`, ...fix },
    window: WINDOW,
    createdAt: NOW,
  };
}

export const OFFERS = {
  raiseIdleTimeout: () =>
    offer("idle-timeout-exceeded", {
      id: "set-idle-timeout",
      params: { loadBalancerArn: LB_ARN, idleTimeoutSeconds: 120 },
    }),
  lowerIdleTimeout: () =>
    offer("keepalive-race", {
      id: "set-idle-timeout",
      params: { loadBalancerArn: LB_ARN, idleTimeoutSeconds: 4 },
    }),
  allowAlb: () =>
    offer("sg-blocks-alb-to-target", {
      id: "allow-alb-to-target",
      changes: [
        { resource: "sg-app", setting: "ingress tcp 8080 from sg-alb", current: null, proposed: "allow" },
      ],
      params: { groupId: "sg-app", port: 8080, sourceGroupId: "sg-alb", targetGroupArn: TG_ARN },
    }),
  fixHealthCheck: () =>
    offer("health-check-misconfigured", {
      id: "fix-health-check",
      params: { targetGroupArn: TG_ARN, HealthCheckPath: "/healthz", Matcher: "200-299" },
    }),
  deregistrationDelay: () =>
    offer("deregistration-draining", {
      id: "set-deregistration-delay",
      params: { targetGroupArn: TG_ARN, deregistrationDelaySeconds: 90 },
    }),
  enableAccessLogs: (bucket = "logs-ok") =>
    offer("access-logs-disabled", {
      id: "enable-access-logs",
      params: { loadBalancerArn: LB_ARN, bucket, prefix: "my-alb", bucketKnown: true },
    }),
};
