/**
 * CloudTrail (AWS JSON 1.1): LookupEvents over the scenario's management events, newest first, 50 a page,
 * with one LookupAttributes filter, StartTime/EndTime, NextToken, and AWS's rate limit of 2 calls per second
 * per account and region (ThrottlingException beyond; `cloudTrail.RequestsPerSecond` changes it).
 */
import { SimError } from "../contract.ts";
import {
  createAwsJsonHandler,
  optionalNumber,
  optionalString,
  optionalTime,
} from "../wire/aws-json-handler.ts";
import { pageOf } from "../wire/paging.ts";
import type { CloudTrailEventW, World } from "../world.ts";

const ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

function matches(e: CloudTrailEventW, key: AttributeKey, value: string): boolean {
  switch (key) {
    case "ResourceType":
      return e.Resources.some((r) => r.ResourceType === value);
    case "ResourceName":
      return e.Resources.some((r) => r.ResourceName === value);
    default:
      return e[key] === value;
  }
}

function rateLimit(world: World): void {
  const trail = world.history.cloudTrail;
  const now = Date.now();
  trail.recentCalls = trail.recentCalls.filter((t) => now - t < 1000);
  if (trail.recentCalls.length >= trail.requestsPerSecond)
    throw new SimError("ThrottlingException", "Rate exceeded");
  trail.recentCalls.push(now);
}

function lookupEvents(input: Record<string, unknown>, world: World) {
  rateLimit(world);
  const max = optionalNumber(input, "MaxResults", 1, 50) ?? 50;
  const start = optionalTime(input, "StartTime");
  const end = optionalTime(input, "EndTime");
  if (start && end && start > end) {
    throw new SimError("InvalidTimeRangeException", "Start time must be earlier than end time.");
  }
  const attributes = input.LookupAttributes;
  if (attributes !== undefined && !Array.isArray(attributes)) {
    throw new SimError("InvalidLookupAttributesException", "LookupAttributes must be a list.");
  }
  const filters = (attributes ?? []) as { AttributeKey?: unknown; AttributeValue?: unknown }[];
  if (filters.length > 1) {
    throw new SimError(
      "InvalidLookupAttributesException",
      "You cannot specify more than one lookup attribute.",
    );
  }
  const filter = filters[0];
  if (
    filter &&
    (!ATTRIBUTE_KEYS.includes(filter.AttributeKey as AttributeKey) ||
      typeof filter.AttributeValue !== "string")
  ) {
    throw new SimError(
      "InvalidLookupAttributesException",
      `AttributeKey must be one of ${ATTRIBUTE_KEYS.join(", ")}, with a string AttributeValue.`,
    );
  }
  const selected = world.history.cloudTrail.events.filter(
    (e) =>
      (!start || e.EventTime >= start) &&
      (!end || e.EventTime <= end) &&
      (!filter || matches(e, filter.AttributeKey as AttributeKey, filter.AttributeValue as string)),
  );
  const { page, next } = pageOf(
    selected,
    optionalString(input, "NextToken"),
    max,
    "InvalidNextTokenException",
  );
  return { Events: page, ...(next ? { NextToken: next } : {}) };
}

export const cloudtrailHandler = createAwsJsonHandler({
  service: "cloudtrail",
  namespace: "com.amazonaws.cloudtrail",
  actions: { LookupEvents: lookupEvents },
});
