/** A small hand-built world slice for the traffic generator's tests. */
import type { InstanceW, ListenerW, LoadBalancerW, TargetGroupW } from "../../src/sim/world.ts";

const ACCT = "123456789012";
export const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:loadbalancer/app/my-alb/50dc6c495c0c9188`;
export const API_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/api/73e2d6bc24d8a067`;
export const FN_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/fn/0a1b2c3d4e5f6071`;
export const EMPTY_TG = `arn:aws:elasticloadbalancing:us-east-1:${ACCT}:targetgroup/empty/99aa88bb77cc66dd`;

export function makeLb(attrs: Record<string, string> = {}): LoadBalancerW {
  return {
    LoadBalancerArn: LB_ARN,
    LoadBalancerName: "my-alb",
    Id: "50dc6c495c0c9188",
    DNSName: "my-alb-1.us-east-1.elb.amazonaws.com",
    CanonicalHostedZoneId: "Z35SXDOTRQ7X7K",
    CreatedTime: "2026-01-01T00:00:00Z",
    Scheme: "internet-facing",
    VpcId: "vpc-1",
    State: { Code: "active" },
    Type: "application",
    AvailabilityZones: [{ ZoneName: "us-east-1a", SubnetId: "subnet-a" }],
    SecurityGroups: ["sg-alb"],
    IpAddressType: "ipv4",
    Attributes: { "idle_timeout.timeout_seconds": "60", ...attrs },
    Tags: [],
  };
}

function tg(arn: string, name: string, type: string, targets: TargetGroupW["Targets"]): TargetGroupW {
  return {
    TargetGroupArn: arn,
    TargetGroupName: name,
    Id: arn.split("/").pop()!,
    Protocol: type === "lambda" ? undefined : "HTTP",
    Port: type === "lambda" ? undefined : 8080,
    VpcId: "vpc-1",
    TargetType: type,
    HealthCheckEnabled: type !== "lambda",
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    LoadBalancerArns: [LB_ARN],
    Attributes: {},
    Targets: targets,
    Tags: [],
  };
}

export const targetGroups: TargetGroupW[] = [
  tg(API_TG, "api", "instance", [
    { Id: "i-0a1", Port: 8080, State: "healthy" },
    { Id: "i-0a2", Port: 8080, State: "healthy" },
    { Id: "i-0a3", Port: 8080, State: "draining" },
  ]),
  tg(FN_TG, "fn", "lambda", [{ Id: `arn:aws:lambda:us-east-1:${ACCT}:function:thumbs`, State: "healthy" }]),
  tg(EMPTY_TG, "empty", "instance", []),
];

export const instances: InstanceW[] = ["i-0a1", "i-0a2", "i-0a3"].map((id, i) => ({
  InstanceId: id,
  SubnetId: "subnet-b",
  VpcId: "vpc-1",
  PrivateIpAddress: `10.0.2.${100 + i}`,
  SecurityGroups: [{ GroupId: "sg-app" }],
  State: { Code: 16, Name: "running" },
  InstanceType: "t3.small",
  ImageId: "ami-1",
  Placement: { AvailabilityZone: "us-east-1b" },
}));

const listenerArn = (port: number) => `${LB_ARN.replace(":loadbalancer/", ":listener/")}/${port}0000000000`;

export const listeners: ListenerW[] = [
  {
    ListenerArn: listenerArn(443),
    LoadBalancerArn: LB_ARN,
    Port: 443,
    Protocol: "HTTPS",
    DefaultActions: [{ Type: "forward", TargetGroupArn: API_TG }],
    Rules: [
      {
        RuleArn: `${listenerArn(443)}/rule1`,
        Priority: "10",
        IsDefault: false,
        Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/thumbs/*"] } }],
        Actions: [{ Type: "forward", TargetGroupArn: FN_TG }],
      },
      {
        RuleArn: `${listenerArn(443)}/rule2`,
        Priority: "20",
        IsDefault: false,
        Conditions: [{ Field: "path-pattern", Values: ["/legacy/*"] }],
        Actions: [{ Type: "forward", TargetGroupArn: EMPTY_TG }],
      },
    ],
  },
  {
    ListenerArn: listenerArn(80),
    LoadBalancerArn: LB_ARN,
    Port: 80,
    Protocol: "HTTP",
    DefaultActions: [
      { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
    ],
    Rules: [],
  },
];
