/**
 * enable-access-logs: ModifyLoadBalancerAttributes access_logs.s3.enabled/bucket/prefix. ELB only delivers when
 * the bucket policy allows it, so the plan reads the policy (S3 GetBucketPolicy) and blocks when it does not.
 */
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import type { AwsClients } from "../../aws/clients.ts";
import { AlbDoctorError } from "../../domain/errors.ts";
import { awsCall } from "../../aws/call.ts";
import { readLoadBalancerAttributes } from "../aws.ts";
import { checkLogDeliveryPolicy } from "../bucket-policy.ts";
import { defineFix, type PlanContext, type PlanProposal, type PlanTarget } from "../fix-module.ts";
import { type AwsCall, type Risk, type Settings, describeChanges } from "../plan.ts";
import { lbNameOf, modifyAttributesCalls, offerValue } from "./common.ts";

export const ACCESS_LOG_KEYS = ["access_logs.s3.enabled", "access_logs.s3.bucket", "access_logs.s3.prefix"];

// All three keys in one call: AWS validates the bucket and `enabled` together.
const callsFor = (plan: PlanTarget, before: Settings, after: Settings): AwsCall[] =>
  modifyAttributesCalls("load-balancer", plan.resource, ACCESS_LOG_KEYS, before, after);

const readSettings = async (clients: AwsClients, arn: string): Promise<Settings> => {
  const attrs = await readLoadBalancerAttributes(clients, arn);
  return Object.fromEntries(
    ACCESS_LOG_KEYS.map((k) => [k, attrs[k] ?? (k.endsWith("enabled") ? "false" : "")]),
  );
};

export const enableAccessLogs = defineFix({
  id: "enable-access-logs",
  async plan(ctx: PlanContext): Promise<PlanProposal> {
    const arn = ctx.offer.loadBalancer.arn;
    const before = await readSettings(ctx.clients, arn);
    const bucket =
      offerValue(ctx.offer, "bucket", "access_logs.s3.bucket") ?? before["access_logs.s3.bucket"];
    if (!bucket)
      throw new AlbDoctorError("usage", "the enable-access-logs offer names no bucket: run the check again");
    const prefix =
      offerValue(ctx.offer, "prefix", "access_logs.s3.prefix") ?? before["access_logs.s3.prefix"] ?? "";
    const after: Settings = {
      "access_logs.s3.enabled": "true",
      "access_logs.s3.bucket": bucket,
      "access_logs.s3.prefix": prefix,
    };
    const [, , , region, accountId] = arn.split(":");
    const calls = callsFor({ resource: arn, loadBalancer: ctx.offer.loadBalancer, data: {} }, before, after);
    const risks = calls.length
      ? [await bucketPolicyRisk(ctx.clients, { bucket, prefix, accountId, region })]
      : [];
    return {
      resource: arn,
      resources: [arn],
      calls,
      before,
      after,
      summary: calls.length
        ? `access logs of ${lbNameOf(arn)} to s3://${bucket}/${prefix}: ${describeChanges(before, after)}`
        : `access logs of ${lbNameOf(arn)} already go to s3://${bucket}/${prefix}`,
      risks,
      multiResource: false,
      data: { bucket, prefix },
    };
  },
  readCurrent: (clients, plan) => readSettings(clients, plan.resource),
  callsFor,
});

async function bucketPolicyRisk(
  clients: AwsClients,
  target: { bucket: string; prefix: string; accountId: string; region: string },
): Promise<Risk> {
  const block = (message: string, overridable = false): Risk => ({
    id: "bucket-policy",
    level: "block",
    message,
    overridable,
  });
  let policy: string | undefined;
  try {
    const out = await awsCall(
      clients,
      "s3:GetBucketPolicy",
      (abortSignal) =>
        clients.s3.send(new GetBucketPolicyCommand({ Bucket: target.bucket }), { abortSignal }),
      { resource: `arn:aws:s3:::${target.bucket}` },
    );
    policy = out.Policy;
  } catch (e) {
    const code = (e as AlbDoctorError).details?.awsCode;
    if (code === "NoSuchBucket")
      return block(`Bucket ${target.bucket} does not exist: create it in ${target.region} first.`);
    if (code === "NoSuchBucketPolicy")
      return block(
        `Bucket ${target.bucket} has no bucket policy, so ELB cannot deliver logs: add one allowing log delivery.`,
      );
    if (e instanceof AlbDoctorError && e.code === "access-denied")
      return block(
        `Could not read the policy of bucket ${target.bucket} (${e.message}); approve with \`--override bucket-policy\` only if you know it allows ELB log delivery.`,
        true,
      );
    throw e;
  }
  const check = checkLogDeliveryPolicy(policy ?? "{}", target);
  return check.allowed
    ? {
        id: "bucket-policy",
        level: "ok",
        message: `Bucket ${target.bucket}: ${check.reason}.`,
        overridable: false,
      }
    : block(`Bucket ${target.bucket}: ${check.reason}; ELB could not deliver logs.`);
}
