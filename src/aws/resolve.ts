/**
 * Resolve a reference to exactly one ALB. Unknown names answer with the closest names that exist;
 * malformed references and ARNs of another region or account fail before any call to ELB.
 */
import {
  DescribeLoadBalancersCommand,
  type LoadBalancer as SdkLoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AlbDoctorError, isAlbDoctorError } from "../domain/errors.ts";
import { closestNames, parseLbRef } from "./arn.ts";
import { awsCall, awsErrorCode, callAws } from "./call.ts";
import { listAlbNames, listAlbs } from "./list.ts";
import type { AwsClients } from "./clients.ts";

export interface ResolvedLb {
  lb: SdkLoadBalancer & { LoadBalancerArn: string; LoadBalancerName: string };
  accountId?: string;
}

/** The caller's account, when STS answers (cached per client set). */
const accountCache = new WeakMap<AwsClients, Promise<string | undefined>>();
export function callerAccount(clients: AwsClients): Promise<string | undefined> {
  let p = accountCache.get(clients);
  if (!p) {
    p = callAws(
      "sts:GetCallerIdentity",
      (abortSignal) => clients.sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
      {
        deadlineMs: 5000,
      },
    )
      .then((r) => r.Account)
      .catch(() => undefined);
    accountCache.set(clients, p);
  }
  return p;
}

export async function resolveLoadBalancer(clients: AwsClients, input: string): Promise<ResolvedLb> {
  const ref = parseLbRef(input);
  if (ref.kind === "arn") {
    if (ref.region !== clients.region) {
      throw new AlbDoctorError(
        "wrong-region",
        `the ARN is in ${ref.region} but alb-doctor is using ${clients.region}: pass --region ${ref.region} (or set AWS_REGION)`,
      );
    }
    const account = await callerAccount(clients);
    if (account && account !== ref.accountId) {
      throw new AlbDoctorError(
        "wrong-account",
        `the ARN belongs to account ${ref.accountId} but the credentials are for account ${account}`,
      );
    }
  }
  const name = ref.name;
  // DNS names are case-insensitive; load balancer names keep the case they were created with.
  const lb =
    (await describeByName(clients, name)) ??
    (ref.kind === "dns" ? await findByDnsName(clients, ref.dnsName) : undefined);
  if (!lb) throw await notFound(clients, name);
  if (lb.Type && lb.Type !== "application") {
    throw new AlbDoctorError(
      "usage",
      `${name} is a ${lb.Type} load balancer; alb-doctor diagnoses ALBs only`,
    );
  }
  const idOk =
    ref.kind === "name" ||
    (ref.kind === "dns" && lb.DNSName?.toLowerCase() === ref.dnsName) ||
    // A full ARN must match exactly: the same name in another account or region is another load balancer.
    (ref.kind === "arn" && lb.LoadBalancerArn === ref.arn) ||
    (ref.kind === "resource-id" && lb.LoadBalancerArn.endsWith(`/${ref.name}/${ref.id}`));
  if (!idOk) {
    throw new AlbDoctorError(
      "not-found",
      `no load balancer matches "${input}"; ${name} exists as ${lb.LoadBalancerArn} (${lb.DNSName})`,
      { details: { suggestions: [lb.LoadBalancerName] } },
    );
  }
  return { lb, accountId: ref.kind === "arn" ? ref.accountId : undefined };
}

async function describeByName(clients: AwsClients, name: string): Promise<ResolvedLb["lb"] | undefined> {
  try {
    const out = await awsCall(clients, "elasticloadbalancing:DescribeLoadBalancers", (abortSignal) =>
      clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }), { abortSignal }),
    );
    return out.LoadBalancers?.[0] as ResolvedLb["lb"] | undefined;
  } catch (e) {
    const code = isAlbDoctorError(e) ? (e.details?.awsCode as string | undefined) : awsErrorCode(e);
    if (code === "LoadBalancerNotFound" || code === "LoadBalancerNotFoundException") return undefined;
    throw e;
  }
}

async function findByDnsName(clients: AwsClients, dnsName: string): Promise<ResolvedLb["lb"] | undefined> {
  const albs = await listAlbs(clients);
  return albs.find((lb) => lb.DNSName?.toLowerCase() === dnsName) as ResolvedLb["lb"] | undefined;
}

async function notFound(clients: AwsClients, name: string): Promise<AlbDoctorError> {
  // The suggestions are a courtesy; when the listing fails the answer is still "not found".
  const names = await listAlbNames(clients).catch(() => [] as string[]);
  const suggestions = closestNames(name, names);
  const hint = suggestions.length
    ? `; closest: ${suggestions.join(", ")}`
    : names.length === 0
      ? "; this account has no ALBs in the region"
      : "";
  return new AlbDoctorError("not-found", `no load balancer named "${name}" in ${clients.region}${hint}`, {
    details: { suggestions },
  });
}
