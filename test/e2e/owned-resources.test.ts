/**
 * Owned resources through the real SDK clients against the simulator: the collector reads the tags of the
 * load balancer and its target groups (DescribeTags) and the report says who owns them (`managedBy`).
 * The tags are set on the simulated world before each diagnosis, so one scenario serves every owner.
 */
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeElbTags } from "../../src/aws/collect/tags.ts";
import { renderReportText } from "../../src/cli/report-text.ts";
import { renderReport } from "../../src/slack/blocks/report.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import type { Diagnoser } from "../../src/services/types.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

const SCENARIO = join(import.meta.dirname, "../../scenarios/healthy.yaml");
type Tags = { Key: string; Value: string }[];
const tags = (m: Record<string, string>): Tags => Object.entries(m).map(([Key, Value]) => ({ Key, Value }));

let sim: TestSim;
let diagnose: Diagnoser;
let lbName: string;

beforeAll(async () => {
  sim = await startTestSim(SCENARIO, { maxAttempts: 1 });
  lbName = sim.world.loadBalancers[0].LoadBalancerName;
  diagnose = createDiagnoser({
    aws: sim.clients,
    now: () => sim.world.now,
    defaultWindow: "1h",
    scanLogs: createLogScanner(sim.clients, { concurrency: 2 }),
  });
});
afterAll(async () => sim?.close());
beforeEach(() => {
  sim.world.faults.length = 0;
  sim.world.loadBalancers[0].Tags = [];
  for (const tg of sim.world.targetGroups) tg.Tags = [];
});

describe("managedBy from the load balancer's tags", () => {
  it("names the Ingress of the AWS Load Balancer Controller and its cluster", async () => {
    sim.world.loadBalancers[0].Tags = tags({
      "elbv2.k8s.aws/cluster": "shop-prod",
      "ingress.k8s.aws/stack": "shop/web",
      "ingress.k8s.aws/resource": "LoadBalancer",
      team: "storefront",
    });
    const report = await diagnose(lbName);
    expect(report.managedBy).toEqual({
      kind: "kubernetes",
      owner: "shop/web",
      detail: "aws-load-balancer-controller, cluster shop-prod, Ingress shop/web",
    });
    expect(report.checks.find((c) => c.id === "tags")?.status).toBe("ok");
    expect(report.status).toBe("healthy");
  });

  it("an IngressGroup's stack tag is the group name", async () => {
    sim.world.loadBalancers[0].Tags = tags({
      "elbv2.k8s.aws/cluster": "shop-prod",
      "ingress.k8s.aws/stack": "public-apps",
    });
    const report = await diagnose(lbName);
    expect(report.managedBy?.owner).toBe("public-apps");
    expect(report.managedBy?.detail).toContain("IngressGroup public-apps");
  });

  it("names the CloudFormation stack and the resource's logical id", async () => {
    sim.world.loadBalancers[0].Tags = tags({
      "aws:cloudformation:stack-name": "orders-prod",
      "aws:cloudformation:logical-id": "PublicLoadBalancer",
      "aws:cloudformation:stack-id":
        "arn:aws:cloudformation:us-east-1:123456789012:stack/orders-prod/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    });
    const report = await diagnose(lbName);
    expect(report.managedBy).toMatchObject({ kind: "cloudformation", owner: "orders-prod" });
    expect(report.managedBy?.detail).toContain("PublicLoadBalancer");
  });

  it("Terraform only by a convention tag, never by guessing", async () => {
    sim.world.loadBalancers[0].Tags = tags({ Environment: "prod", Name: "terraform-looking-name" });
    expect((await diagnose(lbName)).managedBy).toBeUndefined();
    sim.world.loadBalancers[0].Tags = tags({ ManagedBy: "Terraform", "terraform-workspace": "edge-prod" });
    expect((await diagnose(lbName)).managedBy).toMatchObject({ kind: "terraform", owner: "edge-prod" });
  });

  it("a load balancer without owner tags has no managedBy", async () => {
    const report = await diagnose(lbName);
    expect(report.managedBy).toBeUndefined();
    expect(report.checks.find((c) => c.id === "tags")?.status).toBe("ok");
  });

  it("owned target groups of an unowned load balancer are named as the groups'", async () => {
    const tg = sim.world.targetGroups[0];
    tg.Tags = tags({ "aws:cloudformation:stack-name": "api-targets" });
    const report = await diagnose(lbName);
    expect(report.managedBy).toMatchObject({ kind: "cloudformation", owner: "api-targets" });
    expect(report.managedBy?.detail).toContain(`target group ${tg.TargetGroupName}`);
  });

  it("DescribeTags denied: the tags part names the permission, the owner stays unknown, healthy stays healthy", async () => {
    sim.world.loadBalancers[0].Tags = tags({ "ingress.k8s.aws/stack": "shop/web" });
    sim.world.faults.push({ Service: "elbv2", Action: "DescribeTags", Error: "AccessDenied", fired: 0 });
    const report = await diagnose(lbName);
    const part = report.checks.find((c) => c.id === "tags");
    expect(part?.status).toBe("error");
    expect(part?.error).toContain("elasticloadbalancing:DescribeTags");
    expect(report.managedBy).toBeUndefined();
    expect(report.status).toBe("healthy");
  });
});

describe("managedBy for people", () => {
  it("the text report and the Slack message name the owner, its tags as inert text", async () => {
    sim.world.loadBalancers[0].Tags = tags({
      "elbv2.k8s.aws/cluster": "shop-prod <!channel>",
      "ingress.k8s.aws/stack": "shop/*web*",
    });
    const report = await diagnose(lbName);
    const text = renderReportText(report);
    expect(text).toMatch(
      /managed by kubernetes shop\/\*web\* \(aws-load-balancer-controller, cluster shop-prod/,
    );
    expect(text).toContain("a direct AWS change is reverted by its owner");
    const slack = JSON.stringify(renderReport(report).blocks);
    expect(slack).toContain("*Managed by* kubernetes");
    expect(slack).not.toContain("<!channel>");
    // the owner sits in a code span, where * is inert
    expect(slack).toContain("`shop/*web*`");
  });
});

describe("describeElbTags", () => {
  it("asks for at most 20 ARNs per call and maps every ARN", async () => {
    const base = sim.world.targetGroups[0];
    const extra = Array.from({ length: 24 }, (_, i) => ({
      ...base,
      TargetGroupArn: base.TargetGroupArn.replace(/[0-9a-f]{4}$/, (i + 4096).toString(16)),
      Tags: tags({ n: String(i) }),
    }));
    sim.world.targetGroups.push(...extra);
    try {
      const before = sim.world.callLog.filter((c) => c.action === "DescribeTags").length;
      const got = await describeElbTags(sim.clients, [
        sim.world.loadBalancers[0].LoadBalancerArn,
        ...extra.map((t) => t.TargetGroupArn),
      ]);
      const calls = sim.world.callLog.filter((c) => c.action === "DescribeTags").length - before;
      expect(calls).toBe(2);
      expect(Object.keys(got)).toHaveLength(25);
      extra.forEach((t, i) => expect(got[t.TargetGroupArn]).toEqual({ n: String(i) }));
    } finally {
      sim.world.targetGroups.splice(-extra.length);
    }
  });
});
