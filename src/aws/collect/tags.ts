/**
 * Tags of the load balancer and its target groups (ELBv2 DescribeTags, at most 20 ARNs per call). They say
 * who owns the resources (the AWS Load Balancer Controller, a CloudFormation stack), so that fixes can be
 * phrased in the owner's terms and a direct change can carry the warning that the owner reverts it.
 */
import { DescribeTagsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { LoadBalancer, TargetGroup } from "../../domain/snapshot.ts";
import { awsCall } from "../call.ts";
import type { AwsClients } from "../clients.ts";

const MAX_ARNS_PER_CALL = 20;

/** Tag lists (SDK or EC2 shape) as a plain key -> value map. */
export function tagMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
  return out;
}

/** ARN -> tags for every ARN asked for (an ARN AWS answers nothing for gets an empty map). */
export async function describeElbTags(
  clients: AwsClients,
  arns: string[],
): Promise<Record<string, Record<string, string>>> {
  const unique = [...new Set(arns.filter(Boolean))];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += MAX_ARNS_PER_CALL)
    batches.push(unique.slice(i, i + MAX_ARNS_PER_CALL));
  const answers = await Promise.all(
    batches.map((ResourceArns) =>
      awsCall(clients, "elasticloadbalancing:DescribeTags", (abortSignal) =>
        clients.elbv2.send(new DescribeTagsCommand({ ResourceArns }), { abortSignal }),
      ),
    ),
  );
  const out: Record<string, Record<string, string>> = Object.fromEntries(unique.map((a) => [a, {}]));
  for (const d of answers.flatMap((a) => a.TagDescriptions ?? []))
    if (d.ResourceArn) out[d.ResourceArn] = tagMap(d.Tags);
  return out;
}

/** Reads and attaches the tags of the load balancer and each target group; leaves them absent on failure. */
export async function attachTags(
  clients: AwsClients,
  lb: LoadBalancer,
  targetGroups: TargetGroup[],
): Promise<void> {
  const tags = await describeElbTags(clients, [lb.arn, ...targetGroups.map((tg) => tg.arn)]);
  lb.tags = tags[lb.arn] ?? {};
  for (const tg of targetGroups) tg.tags = tags[tg.arn] ?? {};
}
