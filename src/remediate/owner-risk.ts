/**
 * The risk check every plan carries when what it changes has an owner (alb-facts §10): the AWS Load Balancer
 * Controller reconciles its load balancers and target groups, a CloudFormation stack or Terraform treats a
 * change made outside it as drift, so a direct change lasts only until the owner's next reconcile or deploy.
 * The tags are read again at planning time (the offer may be older than a migration to a stack).
 */
import { describeElbTags } from "../aws/collect/tags.ts";
import type { AwsClients } from "../aws/clients.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { ownerFromTags, ownerName, revertNote } from "../diagnose/owners.ts";
import type { Risk } from "./plan.ts";

export const OWNER_REVERTS = "owner-reverts";

const isElbArn = (r: string) => /^arn:[^:]+:elasticloadbalancing:.*:(loadbalancer|targetgroup)\//.test(r);
const shortName = (arn: string) => arn.split("/").slice(-2, -1)[0] ?? arn;

export async function ownerRisks(clients: AwsClients, resources: string[]): Promise<Risk[]> {
  const arns = [...new Set(resources.filter(isElbArn))];
  if (!arns.length) return [];
  let tags: Record<string, Record<string, string>>;
  try {
    tags = await describeElbTags(clients, arns);
  } catch (e) {
    // Not knowing the owner is said, not hidden: the approver may know the resource is a stack's.
    const why = e instanceof AlbDoctorError ? e.message : String(e);
    return [
      {
        id: OWNER_REVERTS,
        level: "warn",
        message: `Owner unknown (${why}): if a controller or a stack owns ${arns.map(shortName).join(", ")}, it will revert this change.`,
        overridable: false,
      },
    ];
  }
  const risks: Risk[] = [];
  for (const arn of arns) {
    const owner = ownerFromTags(tags[arn]);
    if (!owner) continue;
    risks.push({
      id: OWNER_REVERTS,
      level: "warn",
      message: `${shortName(arn)} is managed by ${ownerName(owner)} (${owner.detail ?? owner.kind}): ${revertNote(owner)}. Make the same change there; apply this only as a stopgap.`,
      overridable: false,
    });
  }
  return risks;
}
