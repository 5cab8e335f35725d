/**
 * A large simulated fleet for the scan: `accounts` accounts of `albsPerAccount` ALBs each (the first is the
 * caller's own, the others reached through role alb-doctor-read), one VPC per account, one target group and
 * two instances per ALB. Every 5th ALB has a short idle timeout and access logs on (no risk); the others carry
 * a known risk in turn: a target SG that does not admit the ALB, an empty target group, a health check on
 * another port, or unhealthy targets. Deterministic, so the ranking is known.
 */
export interface FleetOptions {
  accounts: number;
  albsPerAccount: number;
}

export type FleetRisk = "none" | "sg-blocks" | "empty" | "hc-port" | "unhealthy";
const RISKS: FleetRisk[] = ["none", "sg-blocks", "empty", "hc-port", "unhealthy"];

export const fleetRiskOf = (i: number): FleetRisk => RISKS[i % RISKS.length];
export const fleetAccountId = (a: number) => String(100000000000 + a * 1111).padStart(12, "0");
const hex = (n: number, len: number) => n.toString(16).padStart(len, "0").slice(-len);

function account(a: number, n: number): Record<string, unknown> {
  const vpc = `vpc-${hex(a + 1, 17)}`;
  const subnets = [0, 1].map((z) => ({
    SubnetId: `subnet-${hex(a * 16 + z + 1, 17)}`,
    VpcId: vpc,
    CidrBlock: `10.${a}.${z}.0/24`,
    AvailabilityZone: `us-east-1${"ab"[z]}`,
  }));
  const albSg = {
    GroupId: `sg-a${hex(a, 16)}`,
    GroupName: "alb",
    VpcId: vpc,
    IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
    IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
  };
  const appSg = (ok: boolean) => ({
    GroupName: ok ? "app" : "app-closed",
    VpcId: vpc,
    IpPermissions: ok
      ? [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albSg.GroupId }] }]
      : [],
    IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
  });
  const openSg = { GroupId: `sg-b${hex(a, 16)}`, ...appSg(true) };
  const closedSg = { GroupId: `sg-c${hex(a, 16)}`, ...appSg(false) };
  const lbs: unknown[] = [];
  const tgs: unknown[] = [];
  const instances: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const risk = fleetRiskOf(i);
    const name = `a${a}-alb-${i}`;
    const ids = [0, 1].map((k) => `i-${hex(a * 100000 + i * 2 + k + 1, 17)}`);
    ids.forEach((id, k) =>
      instances.push({
        InstanceId: id,
        SubnetId: subnets[k].SubnetId,
        PrivateIpAddress: `10.${a}.${k}.${(i % 250) + 2}`,
        SecurityGroups: [{ GroupId: risk === "sg-blocks" ? closedSg.GroupId : openSg.GroupId }],
        State: "running",
      }),
    );
    tgs.push({
      TargetGroupName: `${name}-tg`,
      Protocol: "HTTP",
      Port: 8080,
      TargetType: "instance",
      VpcId: vpc,
      HealthCheck: {
        Enabled: true,
        Protocol: "HTTP",
        Port: risk === "hc-port" ? "8081" : "traffic-port",
        Path: "/health",
      },
      Targets:
        risk === "empty"
          ? []
          : ids.map((Id) => ({
              Id,
              Port: 8080,
              State: risk === "unhealthy" || risk === "sg-blocks" ? "unhealthy" : "healthy",
              ...(risk === "sg-blocks" ? { Reason: "Target.Timeout" } : {}),
            })),
    });
    lbs.push({
      LoadBalancerName: name,
      VpcId: vpc,
      Subnets: subnets.map((s) => s.SubnetId),
      SecurityGroups: [albSg.GroupId],
      Attributes:
        risk === "none"
          ? {
              "idle_timeout.timeout_seconds": "4",
              "access_logs.s3.enabled": "true",
              "access_logs.s3.bucket": "fleet-logs",
            }
          : {},
      Listeners: [
        {
          Port: 443,
          Protocol: "HTTPS",
          DefaultActions: [{ Type: "forward", TargetGroupName: `${name}-tg` }],
        },
      ],
    });
  }
  return {
    vpcs: [{ VpcId: vpc, CidrBlock: `10.${a}.0.0/16` }],
    subnets,
    securityGroups: [albSg, openSg, closedSg],
    instances,
    loadBalancers: lbs,
    targetGroups: tgs,
  };
}

/** The fleet as a scenario object (loadScenarioObject / startSimulator({ world })). */
export function fleetScenario(options: FleetOptions): Record<string, unknown> {
  return {
    name: "fleet",
    now: "2026-03-15T14:30:00Z",
    accountId: fleetAccountId(0),
    ...account(0, options.albsPerAccount),
    accounts: Array.from({ length: options.accounts - 1 }, (_, k) => ({
      accountId: fleetAccountId(k + 1),
      alias: `fleet-${k + 1}`,
      roleName: "alb-doctor-read",
      ...account(k + 1, options.albsPerAccount),
    })),
  };
}

/** The accounts file for the fleet: fleet-0 is the caller's own account. */
export function fleetAccountsYaml(options: FleetOptions): string {
  const lines = ["accounts:", `  fleet-0: { accountId: "${fleetAccountId(0)}", regions: [us-east-1] }`];
  for (let k = 1; k < options.accounts; k++)
    lines.push(
      `  fleet-${k}: { accountId: "${fleetAccountId(k)}", roleArn: "arn:aws:iam::${fleetAccountId(k)}:role/alb-doctor-read", regions: [us-east-1] }`,
    );
  return lines.join("\n") + "\n";
}
