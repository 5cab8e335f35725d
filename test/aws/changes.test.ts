/**
 * The change history through the real SDK clients against the simulator: CloudTrail write events on our
 * resources (tied to the finding they explain, cited in its evidence), noise on other resources (dropped) and on
 * ours but far from the errors (listed, not tied), Auto Scaling activities, ECS deployments, "nothing changed",
 * and AccessDenied on each source as a partial report naming the IAM action.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import type { Report } from "../../src/domain/report.ts";
import { changesSentence } from "../../src/domain/onset-text.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const SCENARIO = join(import.meta.dirname, "../../scenarios/sg-blocks-alb-to-target.yaml");
const APP_SG = "sg-0c2e4a6b8d0f13572";
const ALB_SG = "sg-0b1d3f5a7c9e02461";

const revoke = {
  EventName: "RevokeSecurityGroupIngress",
  EventTime: "2026-03-20T13:51:40Z",
  Username: "terraform",
  Resources: [{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: APP_SG }],
  CloudTrailEvent: {
    userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/deployer/tf" },
    requestParameters: {
      groupId: APP_SG,
      ipPermissions: {
        items: [
          { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, groups: { items: [{ groupId: ALB_SG }] } },
        ],
      },
    },
  },
};
const noise = {
  EventName: "AuthorizeSecurityGroupIngress",
  EventTime: "2026-03-20T13:50:00Z",
  Username: "someone-else",
  Resources: [{ ResourceType: "AWS::EC2::SecurityGroup", ResourceName: "sg-0ffffffffffffffff" }],
  CloudTrailEvent: { requestParameters: { groupId: "sg-0ffffffffffffffff" } },
};
const earlierOnOurs = {
  EventName: "ModifyLoadBalancerAttributes",
  EventTime: "2026-03-20T11:40:00Z",
  Username: "ops",
  Resources: [{ ResourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceName: "billing-prod" }],
  CloudTrailEvent: {
    requestParameters: {
      loadBalancerArn: "billing-prod",
      attributes: [{ key: "idle_timeout.timeout_seconds", value: "60" }],
    },
  },
};

function scenario(extra: Record<string, unknown>): Record<string, unknown> {
  const raw = parse(readFileSync(SCENARIO, "utf8")) as Record<string, unknown>;
  delete raw.accessLogs; // the change history is the point here, not the log scan
  const lb = (raw.loadBalancers as { Attributes: Record<string, string> }[])[0];
  lb.Attributes["access_logs.s3.enabled"] = "false";
  return { ...raw, ...extra };
}

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function diagnose(raw: Record<string, unknown>, denied?: [string, string]): Promise<Report> {
  sim = await startTestSim(raw, { maxAttempts: 4 });
  if (denied)
    sim.world.faults.push({ Service: denied[0], Action: denied[1], Error: "AccessDenied" } as never);
  return createDiagnoser({ aws: sim.clients, now: () => sim!.world.now, defaultWindow: "1h" })(
    "billing-prod",
  );
}

describe("changes", () => {
  it("ties the revoke to the security-group finding, drops noise, lists but does not tie an old change", async () => {
    const report = await diagnose(
      scenario({
        cloudTrail: { events: [revoke, noise, earlierOnOurs] },
        autoScaling: {
          groups: [
            {
              AutoScalingGroupName: "billing-api-asg",
              Instances: ["i-0e2a4c6b8d1f30571"],
              TargetGroupNames: ["billing-api"],
              Activities: [
                {
                  ActivityId: "a-1",
                  Description: "Instance refresh: replacing i-0e2a4c6b8d1f30570",
                  Cause: "refresh",
                  StartTime: "2026-03-20T13:20:00Z",
                  EndTime: "2026-03-20T13:24:00Z",
                  StatusCode: "Successful",
                },
              ],
            },
          ],
        },
        ecs: {
          clusters: [
            {
              ClusterName: "billing",
              Services: [
                {
                  ServiceName: "web",
                  TargetGroupNames: ["billing-web"],
                  Deployments: [
                    {
                      Id: "ecs-svc/2",
                      Status: "PRIMARY",
                      RolloutState: "COMPLETED",
                      CreatedAt: "2026-03-20T12:10:00Z",
                      UpdatedAt: "2026-03-20T12:14:00Z",
                      TaskDefinition: "web:42",
                    },
                  ],
                },
              ],
            },
          ],
        },
      }),
    );
    expect(report.changesChecked).toMatchObject({
      from: "2026-03-20T11:30:00.000Z",
      sources: ["cloudtrail", "autoscaling", "ecs"],
    });
    const changes = report.changes ?? [];
    expect(changes.map((c) => c.event)).toEqual([
      "RevokeSecurityGroupIngress",
      "ScalingActivity",
      "Deployment",
      "ModifyLoadBalancerAttributes",
    ]);
    expect(changes[0]).toMatchObject({
      actor: "arn:aws:sts::123456789012:assumed-role/deployer/tf",
      summary: `tcp 8080 from ${ALB_SG} revoked on ${APP_SG}`,
      relatedTo: ["sg-blocks-alb-to-target"],
    });
    expect(changes.slice(1).every((c) => !c.relatedTo)).toBe(true);
    expect(JSON.stringify(changes)).not.toContain("sg-0ffffffffffffffff");
    const root = report.findings[0];
    expect(root.id).toBe("sg-blocks-alb-to-target");
    expect(root.changes).toEqual([0]);
    expect(
      root.evidence.some((e) => e.source === "changes" && e.detail.includes("RevokeSecurityGroupIngress")),
    ).toBe(true);
    expect(changesSentence(report)).toMatch(
      /^Nearest change: 13:51 RevokeSecurityGroupIngress by .*\[explains sg-blocks-alb-to-target\]/,
    );
  });

  it("says plainly when nothing changed in the range searched", async () => {
    const report = await diagnose(scenario({ cloudTrail: { events: [noise] } }));
    expect(report.changes).toEqual([]);
    expect(report.changesChecked?.sources).toContain("cloudtrail");
    expect(changesSentence(report)).toMatch(/^No changes to these resources 11:30-14:30 UTC/);
  });

  it.each([
    ["cloudtrail", "LookupEvents", "cloudtrail:LookupEvents"],
    ["autoscaling", "DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingGroups"],
    ["ecs", "ListClusters", "ecs:ListClusters"],
  ])("AccessDenied on %s %s: a partial report naming %s", async (service, action, permission) => {
    const report = await diagnose(scenario({ cloudTrail: { events: [revoke] } }), [service, action]);
    const part = report.checks.find((c) => c.id === "changes");
    expect(part?.status).toBe("error");
    expect(part?.error).toContain(permission);
    expect(report.findings[0].id).toBe("sg-blocks-alb-to-target");
    expect(report.changesChecked?.sources).not.toContain(service);
  });
});
