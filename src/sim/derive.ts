/**
 * Scenario (validated by the schema) -> World: the EC2 and ELB parts (derive-ec2.ts, derive-elb.ts),
 * CloudWatch series with their dimensions resolved, S3 buckets, and faults. Problems are collected and
 * thrown together by the caller. Access-log objects are added afterwards by scenario.ts.
 */
import type { BucketW, FaultW, MetricW, World } from "./world.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { Problems } from "./scenario-problems.ts";
import { deriveEc2 } from "./derive-ec2.ts";
import { deriveElb, type ElbPart } from "./derive-elb.ts";
import { lbResourceId } from "./derive-ids.ts";
import { deriveChangeHistory } from "./derive-changes.ts";
import { deriveAthena } from "./athena/state.ts";

export function deriveWorld(s: Scenario, name: string, now: Date, problems: Problems): World {
  const ec2 = deriveEc2(s, problems);
  const elb = deriveElb({ ...s, now: now.toISOString() }, ec2, problems);
  return {
    name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    region: s.region,
    accountId: s.accountId,
    now,
    vpcs: ec2.vpcs,
    subnets: ec2.subnets,
    securityGroups: ec2.securityGroups,
    networkAcls: ec2.networkAcls,
    instances: ec2.instances,
    networkInterfaces: [...ec2.networkInterfaces, ...elb.nodeInterfaces],
    loadBalancers: elb.loadBalancers,
    listeners: elb.listeners,
    targetGroups: elb.targetGroups,
    metrics: deriveMetrics(s, elb, now, problems),
    buckets: deriveBuckets(s, elb, problems),
    faults: deriveFaults(s, problems),
    // The --live offset: `now` is the scenario's clock moved to the wall clock (0 when not live).
    history: deriveChangeHistory(
      s,
      elb.targetGroups,
      ec2.instances,
      s.now ? now.getTime() - Date.parse(s.now) : 0,
      problems,
    ),
    ...(s.athena ? { athena: deriveAthena(s.athena) } : {}),
    accounts: [],
    sessions: new Map(),
    callLog: [],
    ...(s.expect !== undefined ? { expect: s.expect } : {}),
  };
}

function deriveMetrics(s: Scenario, elb: ElbPart, now: Date, problems: Problems): MetricW[] {
  return s.metrics.map((m, i) => {
    const at = ["metrics", i];
    const dims = Array.isArray(m.Dimensions)
      ? m.Dimensions
      : Object.entries(m.Dimensions).map(([Name, Value]) => ({ Name, Value }));
    const resolved = dims.map((d, k) => {
      const path = Array.isArray(m.Dimensions)
        ? [...at, "Dimensions", k, "Value"]
        : [...at, "Dimensions", d.Name];
      if (d.Name === "LoadBalancer" && !d.Value.startsWith("app/")) {
        const lb = elb.loadBalancers.find((x) => x.LoadBalancerName === d.Value);
        if (!lb) problems.add(path, `unknown load balancer ${d.Value} (not in loadBalancers)`);
        return { Name: d.Name, Value: lb ? lbResourceId(lb.LoadBalancerName, lb.Id) : d.Value };
      }
      if (d.Name === "TargetGroup" && !d.Value.startsWith("targetgroup/")) {
        const tg = elb.targetGroups.find((x) => x.TargetGroupName === d.Value);
        if (!tg) problems.add(path, `unknown target group ${d.Value} (not in targetGroups)`);
        return { Name: d.Name, Value: tg ? `targetgroup/${tg.TargetGroupName}/${tg.Id}` : d.Value };
      }
      return d;
    });
    let stats: Record<string, number[]> = {};
    if (m.Values && m.Stats) problems.add([...at, "Stats"], "give either Values or Stats, not both");
    else if (m.Values) {
      stats = { Sum: m.Values, Average: m.Values, Minimum: m.Values, Maximum: m.Values };
    } else if (m.Stats) {
      stats = m.Stats;
      const lengths = new Set(Object.values(stats).map((v) => v.length));
      if (lengths.size > 1)
        problems.add([...at, "Stats"], "expected the same number of values for every statistic");
      for (const stat of Object.keys(stats)) {
        if (
          !/^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?|tm\d+|wm\d+|tc\d+|ts\d+|IQM)$/.test(
            stat,
          )
        ) {
          problems.add(
            [...at, "Stats", stat],
            "expected Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99",
          );
        }
      }
    } else problems.add([...at, "Values"], "required: expected Values (a list of numbers) or Stats");
    return {
      Namespace: m.Namespace,
      MetricName: m.MetricName,
      Dimensions: resolved,
      Period: m.Period,
      End: now,
      Stats: stats,
      ...(m.Unit !== undefined ? { Unit: m.Unit } : {}),
    };
  });
}

/** A policy that lets ELB write access logs into bucket/prefix (what AWS asks you to attach). */
export function elbDeliveryPolicy(bucket: string, prefix: string, accountId: string): string {
  const path = prefix ? `${prefix.replace(/^\/+|\/+$/g, "")}/` : "";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucket}/${path}AWSLogs/${accountId}/*`,
      },
    ],
  });
}

/**
 * Declared buckets, plus every bucket an LB's access_logs.s3.bucket names (created with the delivery
 * policy, since AWS only lets logging be enabled on a bucket that allows delivery).
 */
function deriveBuckets(s: Scenario, elb: ElbPart, problems: Problems): Map<string, BucketW> {
  const buckets = new Map<string, BucketW>();
  s.buckets.forEach((b, i) => {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b.Name)) {
      problems.add(
        ["buckets", i, "Name"],
        `expected a bucket name (3..63 lowercase letters, digits, dots, hyphens), got "${b.Name}"`,
      );
    }
    if (buckets.has(b.Name)) problems.add(["buckets", i, "Name"], `duplicate bucket ${b.Name}`);
    buckets.set(b.Name, {
      Name: b.Name,
      Region: b.Region ?? s.region,
      Objects: new Map(),
      ...(b.Policy !== undefined
        ? { Policy: typeof b.Policy === "string" ? b.Policy : JSON.stringify(b.Policy) }
        : {}),
    });
  });
  for (const lb of elb.loadBalancers) {
    const name = lb.Attributes["access_logs.s3.bucket"];
    if (!name || buckets.has(name)) continue;
    buckets.set(name, {
      Name: name,
      Region: s.region,
      Objects: new Map(),
      Policy: elbDeliveryPolicy(name, lb.Attributes["access_logs.s3.prefix"] ?? "", s.accountId),
    });
  }
  return buckets;
}

function deriveFaults(s: Scenario, problems: Problems): FaultW[] {
  return s.faults.map((f, i) => {
    if (f.Error === undefined && f.LatencyMs === undefined) {
      problems.add(["faults", i], "expected Error or LatencyMs (or both)");
    }
    return { ...f, fired: 0 };
  });
}
