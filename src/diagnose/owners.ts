/**
 * Who owns a load balancer, target group or security group, read from its tags (alb-facts §10):
 *   - the AWS Load Balancer Controller tags what it creates with elbv2.k8s.aws/cluster and
 *     ingress.k8s.aws/stack (an Ingress as namespace/name, or an IngressGroup's name) or service.k8s.aws/stack;
 *     it reconciles them, so a direct change in AWS is reverted at its next reconcile;
 *   - CloudFormation (and CDK, which deploys through it) tags with aws:cloudformation:stack-name and
 *     aws:cloudformation:logical-id; a change outside the stack is drift the next deploy undoes;
 *   - Terraform sets no tag of its own: only a team convention (ManagedBy = terraform and the like) tells.
 * The kubernetes tags win over the others: the controller may run in a cluster that CloudFormation built,
 * but the load balancer itself is the controller's.
 */
import type { ManagedBy } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";

export type Tags = Record<string, string>;

export interface Owner extends ManagedBy {
  /** What a person edits: an Ingress, an IngressGroup, a Service, a stack, or Terraform code. */
  via: "ingress" | "ingress-group" | "service" | "controller" | "stack" | "terraform";
  cluster?: string;
  /** CloudFormation: the resource's logical id in the template. */
  logicalId?: string;
  /** Controller target groups: the backend the group serves (ingress.k8s.aws/resource, "ns/ing-svc:port"). */
  backend?: string;
}

export const K8S_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
export const INGRESS_STACK_TAG = "ingress.k8s.aws/stack";
export const SERVICE_STACK_TAG = "service.k8s.aws/stack";
export const CFN_STACK_TAG = "aws:cloudformation:stack-name";
export const CFN_LOGICAL_ID_TAG = "aws:cloudformation:logical-id";

/** Convention keys teams use to say a resource is Terraform's (compared without case, - and _). */
const TERRAFORM_MARKER_KEYS = new Set([
  "managedby",
  "provisionedby",
  "createdby",
  "iac",
  "tool",
  "deployedby",
]);
/** Keys that name the Terraform workspace, module or repository, when a team adds one. */
const TERRAFORM_WHERE_KEYS = /^(terraform|tf)[-_:]?(workspace|module|stack|repo|repository|project|source)$/i;

const normalKey = (k: string) => k.toLowerCase().replace(/[-_:\s]/g, "");

export function ownerFromTags(tags: Tags | undefined): Owner | undefined {
  if (!tags) return undefined;
  return kubernetesOwner(tags) ?? cloudFormationOwner(tags) ?? terraformOwner(tags);
}

function kubernetesOwner(tags: Tags): Owner | undefined {
  const cluster = tags[K8S_CLUSTER_TAG];
  const ingress = tags[INGRESS_STACK_TAG];
  const service = tags[SERVICE_STACK_TAG];
  if (cluster === undefined && ingress === undefined && service === undefined) return undefined;
  const resource = tags["ingress.k8s.aws/resource"] ?? tags["service.k8s.aws/resource"];
  const backend = resource && resource !== "LoadBalancer" ? resource : undefined;
  const onCluster = cluster ? `, cluster ${cluster}` : "";
  const base = {
    kind: "kubernetes" as const,
    ...(cluster ? { cluster } : {}),
    ...(backend ? { backend } : {}),
  };
  if (ingress !== undefined) {
    // An IngressGroup's stack tag is the group name; a single Ingress's is namespace/name.
    const group = !ingress.includes("/");
    return {
      ...base,
      via: group ? "ingress-group" : "ingress",
      owner: ingress,
      detail: `aws-load-balancer-controller${onCluster}, ${group ? "IngressGroup" : "Ingress"} ${ingress}`,
    };
  }
  if (service !== undefined)
    return {
      ...base,
      via: "service",
      owner: service,
      detail: `aws-load-balancer-controller${onCluster}, Service ${service}`,
    };
  return {
    ...base,
    via: "controller",
    owner: cluster ?? "",
    detail: `aws-load-balancer-controller${onCluster}`,
  };
}

function cloudFormationOwner(tags: Tags): Owner | undefined {
  const stack = tags[CFN_STACK_TAG];
  if (stack === undefined) return undefined;
  const logicalId = tags[CFN_LOGICAL_ID_TAG];
  const beanstalk = tags["elasticbeanstalk:environment-name"];
  const parts = [`CloudFormation stack ${stack}`];
  if (logicalId) parts.push(`resource ${logicalId}`);
  if (beanstalk) parts.push(`Elastic Beanstalk environment ${beanstalk}`);
  return {
    kind: "cloudformation",
    via: "stack",
    owner: stack,
    detail: parts.join(", "),
    ...(logicalId ? { logicalId } : {}),
  };
}

function terraformOwner(tags: Tags): Owner | undefined {
  const marker = Object.entries(tags).find(
    ([k, v]) =>
      (TERRAFORM_MARKER_KEYS.has(normalKey(k)) && /terraform|opentofu/i.test(v)) ||
      (normalKey(k) === "terraform" && /^(true|yes|1)$/i.test(v)),
  );
  if (!marker) return undefined;
  const where = Object.entries(tags).find(([k]) => TERRAFORM_WHERE_KEYS.test(k));
  return {
    kind: "terraform",
    via: "terraform",
    owner: where ? where[1] : "terraform",
    detail: `by the convention tag ${marker[0]}=${marker[1]}${where ? `, ${where[0]} ${where[1]}` : ""}`,
  };
}

/** The owner of one resource of the snapshot: the load balancer or a target group (ARN), or a group (sg-...). */
export function ownerOf(snapshot: Snapshot, resource: string): Owner | undefined {
  if (resource === snapshot.loadBalancer.arn) return ownerFromTags(snapshot.loadBalancer.tags);
  const tg = snapshot.targetGroups.find((t) => t.arn === resource);
  if (tg) return ownerFromTags(tg.tags);
  const sg = snapshot.securityGroups[resource];
  return sg ? ownerFromTags(sg.tags) : undefined;
}

/**
 * The report's `managedBy`: the load balancer's owner; when only its target groups are owned (groups a
 * stack or a TargetGroupBinding made for a hand-made load balancer), theirs, said to be the groups'.
 */
export function reportOwner(snapshot: Snapshot): ManagedBy | undefined {
  const lb = ownerFromTags(snapshot.loadBalancer.tags);
  if (lb) return toManagedBy(lb);
  for (const tg of snapshot.targetGroups) {
    const o = ownerFromTags(tg.tags);
    if (o) return { ...toManagedBy(o), detail: `${o.detail ?? o.kind} (target group ${tg.name})` };
  }
  return undefined;
}

export function toManagedBy(o: Owner): ManagedBy {
  return { kind: o.kind, owner: o.owner, ...(o.detail ? { detail: o.detail } : {}) };
}

/** "Ingress shop/web", "CloudFormation stack shop-prod" - the owner as people name it. */
export function ownerName(o: Owner): string {
  switch (o.via) {
    case "ingress":
      return `Ingress ${o.owner}`;
    case "ingress-group":
      return `IngressGroup ${o.owner}`;
    case "service":
      return `Service ${o.owner}`;
    case "controller":
      return `the AWS Load Balancer Controller${o.cluster ? ` of cluster ${o.cluster}` : ""}`;
    case "stack":
      return `CloudFormation stack ${o.owner}`;
    case "terraform":
      return o.owner === "terraform" ? "Terraform" : `Terraform (${o.owner})`;
  }
}

/** Why a direct change does not last, in the owner's words. */
export function revertNote(o: Owner): string {
  if (o.kind === "kubernetes") return "the controller reverts a direct change at its next reconcile";
  if (o.kind === "cloudformation") return "a direct change is drift that the next stack update undoes";
  return "a direct change is drift that the next terraform apply undoes";
}
