/**
 * docs/iam-policy-remediation.json grants exactly the AWS writes remediation makes (plus the bucket-policy read),
 * on resource ARNs that cover the resources the fixes touch and nothing of another kind.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { wildcard } from "../../src/remediate/bucket-policy.ts";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
const policy = JSON.parse(readFileSync("docs/iam-policy-remediation.json", "utf8")) as {
  Statement: Statement[];
};
const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);
const granted = policy.Statement.flatMap((s) => list(s.Action));

/** The IAM actions remediation code calls, read from the code itself. */
function actionsInCode(): string[] {
  const files = [
    "src/remediate/aws.ts",
    "src/remediate/fixes/enable-access-logs.ts",
    "src/remediate/fixes/allow-alb-to-target.ts",
  ];
  const found = files.flatMap((f) =>
    [...readFileSync(f, "utf8").matchAll(/"((?:elasticloadbalancing|ec2|s3|cloudwatch):[A-Za-z]+)"/g)].map(
      (m) => m[1],
    ),
  );
  // Reads (Describe*, GetMetricData) are in the diagnosis policy; this one holds writes and the bucket check.
  return [...new Set(found.filter((a) => !/:(Describe|GetMetricData)/.test(a)))].sort();
}

const allows = (action: string, resource: string) =>
  policy.Statement.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).includes(action) &&
      list(s.Resource).some((r) => wildcard(r.replace("ACCOUNT-ID", "123456789012"), resource)),
  );

describe("remediation IAM policy", () => {
  it("lists exactly the write actions the code uses, and s3:GetBucketPolicy", () => {
    expect([...granted].sort()).toEqual(actionsInCode());
    expect(granted).toContain("s3:GetBucketPolicy");
    expect(granted.every((a) => !a.includes("*"))).toBe(true);
  });

  const lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
  const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";
  const sg = "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0c2e4a6b8d0f13572";
  const cases = [
    { action: "elasticloadbalancing:ModifyLoadBalancerAttributes", resource: lb, ok: true },
    { action: "elasticloadbalancing:ModifyLoadBalancerAttributes", resource: tg, ok: false },
    { action: "elasticloadbalancing:ModifyTargetGroup", resource: tg, ok: true },
    { action: "elasticloadbalancing:ModifyTargetGroupAttributes", resource: tg, ok: true },
    { action: "elasticloadbalancing:ModifyTargetGroup", resource: lb, ok: false },
    { action: "ec2:AuthorizeSecurityGroupIngress", resource: sg, ok: true },
    { action: "ec2:RevokeSecurityGroupIngress", resource: sg, ok: true },
    { action: "ec2:AuthorizeSecurityGroupIngress", resource: lb, ok: false },
    { action: "ec2:AuthorizeSecurityGroupEgress", resource: sg, ok: false },
    {
      action: "elasticloadbalancing:ModifyLoadBalancerAttributes",
      resource: lb.replace("123456789012", "999999999999"),
      ok: false,
    },
  ];
  it.each(cases)("$action on $resource: $ok", ({ action, resource, ok }) =>
    expect(allows(action, resource)).toBe(ok),
  );
});
