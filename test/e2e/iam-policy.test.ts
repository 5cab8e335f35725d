/**
 * docs/iam-policy.json must allow every AWS action a diagnosis makes, and nothing that writes:
 * run full diagnoses on the simulator and compare its call log with the policy.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { startTestSim } from "../helpers/sim.ts";

const PREFIX: Record<string, string> = {
  elbv2: "elasticloadbalancing",
  ec2: "ec2",
  cloudwatch: "cloudwatch",
  s3: "s3",
  sts: "sts",
  cloudtrail: "cloudtrail",
  autoscaling: "autoscaling",
  ecs: "ecs",
};
// S3 API operations and the IAM actions that authorise them.
const S3_ACTION: Record<string, string> = {
  ListObjectsV2: "ListBucket",
  GetObject: "GetObject",
  HeadObject: "GetObject",
};

const policy = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as {
  Statement: { Effect: string; Action: string | string[] }[];
};
const allowed = new Set(
  policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  ),
);

describe("least-privilege diagnosis policy", () => {
  it.each([
    "scenarios/keepalive-race.yaml",
    "scenarios/sg-blocks-alb-to-target.yaml",
    "scenarios/lambda-target-error.yaml",
  ])("allows every call of a diagnosis of %s", async (file) => {
    const sim = await startTestSim(file);
    try {
      const diagnose = createDiagnoser({
        aws: sim.clients,
        now: () => sim.world.now,
        defaultWindow: "1h",
        scanLogs: createLogScanner(sim.clients),
      });
      await diagnose(sim.world.loadBalancers[0].LoadBalancerName);
      const used = new Set(
        sim.world.callLog.map(
          (c) => `${PREFIX[c.service]}:${c.service === "s3" ? (S3_ACTION[c.action] ?? c.action) : c.action}`,
        ),
      );
      // sts:GetCallerIdentity needs no permission.
      used.delete("sts:GetCallerIdentity");
      expect([...used].filter((a) => !allowed.has(a))).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("grants no write action", () => {
    const writes = [...allowed].filter((a) => !/:(Describe|Get|List|Lookup)/.test(a));
    expect(writes).toEqual([]);
  });
});
