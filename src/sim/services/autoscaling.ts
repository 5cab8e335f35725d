/**
 * Auto Scaling (awsQuery, 2011-01-01): DescribeAutoScalingGroups and DescribeScalingActivities, so an
 * instance refresh or a scale-in that terminated targets near the 5xx onset can be found.
 */
import { SimError } from "../contract.ts";
import { createAwsQueryHandler } from "../wire/aws-query-handler.ts";
import { qInt, qString, qStrings, type QueryParams } from "../wire/query.ts";
import { pageOf } from "../wire/paging.ts";

function maxRecords(p: QueryParams, limit: number, def: number): number {
  const n = qInt(p.MaxRecords, "MaxRecords") ?? def;
  if (n < 1 || n > limit)
    throw new SimError("ValidationError", `MaxRecords must be from 1 to ${limit}, got ${n}.`);
  return n;
}

export const autoscalingHandler = createAwsQueryHandler({
  service: "autoscaling",
  xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/",
  actions: {
    DescribeAutoScalingGroups(p, world) {
      const names = qStrings(p.AutoScalingGroupNames, "AutoScalingGroupNames");
      const groups = world.history.autoScalingGroups
        .filter((g) => names.length === 0 || names.includes(g.AutoScalingGroupName))
        .map(({ Activities: _activities, ...g }) => g);
      const { page, next } = pageOf(groups, qString(p.NextToken), maxRecords(p, 100, 50), "InvalidNextToken");
      return { AutoScalingGroups: page, ...(next ? { NextToken: next } : {}) };
    },
    DescribeScalingActivities(p, world) {
      const name = qString(p.AutoScalingGroupName, "AutoScalingGroupName");
      const ids = qStrings(p.ActivityIds, "ActivityIds");
      const activities = world.history.autoScalingGroups
        .filter((g) => !name || g.AutoScalingGroupName === name)
        .flatMap((g) => g.Activities)
        .filter((a) => ids.length === 0 || ids.includes(a.ActivityId))
        .sort((x, y) => y.StartTime.getTime() - x.StartTime.getTime());
      const { page, next } = pageOf(
        activities,
        qString(p.NextToken),
        maxRecords(p, 100, 100),
        "InvalidNextToken",
      );
      return { Activities: page, ...(next ? { NextToken: next } : {}) };
    },
  },
});
