/**
 * ECS (AWS JSON 1.1): ListClusters, ListServices and DescribeServices, enough to find the services behind a
 * target group and their deployments (a rollout that starts near the 5xx onset is evidence).
 */
import { SimError } from "../contract.ts";
import { createAwsJsonHandler, optionalNumber, optionalString } from "../wire/aws-json-handler.ts";
import { pageOf } from "../wire/paging.ts";
import type { EcsClusterW, World } from "../world.ts";

function clusterOf(world: World, ref: string | undefined): EcsClusterW {
  const name = ref ?? "default";
  const cluster = world.history.ecsClusters.find((c) => c.clusterName === name || c.clusterArn === name);
  if (!cluster) throw new SimError("ClusterNotFoundException", "Cluster not found.");
  return cluster;
}

export const ecsHandler = createAwsJsonHandler({
  service: "ecs",
  namespace: "com.amazonaws.ecs",
  actions: {
    ListClusters(input, world) {
      const size = optionalNumber(input, "maxResults", 1, 100) ?? 100;
      const arns = world.history.ecsClusters.map((c) => c.clusterArn);
      const { page, next } = pageOf(
        arns,
        optionalString(input, "nextToken"),
        size,
        "InvalidParameterException",
      );
      return { clusterArns: page, ...(next ? { nextToken: next } : {}) };
    },
    ListServices(input, world) {
      const cluster = clusterOf(world, optionalString(input, "cluster"));
      const size = optionalNumber(input, "maxResults", 1, 100) ?? 10;
      const arns = cluster.services.map((s) => s.serviceArn);
      const { page, next } = pageOf(
        arns,
        optionalString(input, "nextToken"),
        size,
        "InvalidParameterException",
      );
      return { serviceArns: page, ...(next ? { nextToken: next } : {}) };
    },
    DescribeServices(input, world) {
      const cluster = clusterOf(world, optionalString(input, "cluster"));
      const refs = input.services;
      if (!Array.isArray(refs) || refs.length === 0 || refs.length > 10) {
        throw new SimError("InvalidParameterException", "services must list 1 to 10 service names or ARNs.");
      }
      const services = [];
      const failures = [];
      for (const ref of refs) {
        const svc = cluster.services.find((s) => s.serviceName === ref || s.serviceArn === ref);
        if (svc) services.push(svc);
        else failures.push({ arn: String(ref), reason: "MISSING" });
      }
      return { services, failures };
    },
  },
});
