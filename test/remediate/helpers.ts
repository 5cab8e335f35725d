/** Shared pieces of the remediation tests: the flow on the real store and simulator, and AWS state readers. */
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsClients } from "../../src/aws/clients.ts";
import type { CallLogEntry } from "../../src/sim/contract.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import type { Store } from "../../src/store/store.ts";
import { TEST_REDIS_URL, deletePrefix, uniquePrefix } from "../helpers/redis.ts";
import { LB_ARN, TG_ARN } from "./fixture.ts";

/** Everything the five fixes can change, as AWS describes it (metadata stripped), for before/after equality. */
export async function describeAll(clients: AwsClients) {
  const strip = <T extends { $metadata?: unknown }>(o: T) => {
    const { $metadata: _, ...rest } = o;
    return rest;
  };
  const [lbAttrs, tgs, tgAttrs, sgs] = await Promise.all([
    clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: LB_ARN })),
    clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] })),
    clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TG_ARN })),
    clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-app", "sg-alb"] })),
  ]);
  return { lbAttrs: strip(lbAttrs), tgs: strip(tgs), tgAttrs: strip(tgAttrs), sgs: strip(sgs) };
}

// CloudTrail LookupEvents (the change history of a check) reads too.
const READ = /^(Describe|Get|List|Lookup)/;

/** The write calls in the simulator's call log since `from` (an index into it). */
export function writesSince(log: CallLogEntry[], from: number): CallLogEntry[] {
  return log.slice(from).filter((c) => !READ.test(c.action));
}

export function attr(list: { Key?: string; Value?: string }[] | undefined, key: string): string | undefined {
  return list?.find((a) => a.Key === key)?.Value;
}

/**
 * The Redis stores of a test file, on key prefixes of their own; `cleanup` (for afterAll) closes the stores and
 * deletes the prefixes' keys. A store through another URL (a proxy a test stops) gives up connecting quickly.
 */
export function redisStores() {
  const stores: Store[] = [];
  const prefixes: string[] = [];
  return {
    prefix(area: string): string {
      const prefix = uniquePrefix(area);
      prefixes.push(prefix);
      return prefix;
    },
    open(prefix: string, url = TEST_REDIS_URL): Store {
      const store = createRedisStore({
        url,
        keyPrefix: prefix,
        connectTimeoutMs: url === TEST_REDIS_URL ? 3000 : 500,
      });
      stores.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      await Promise.all(stores.map((s) => s.close()));
      for (const p of prefixes) await deletePrefix(p);
    },
  };
}
