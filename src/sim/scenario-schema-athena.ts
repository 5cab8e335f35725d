/**
 * The scenario's `athena:` key (scenarios.md): present, the simulator serves Athena over the account's
 * buckets. Workgroups default to "primary" without a result location (the caller then passes one);
 * `queryFailures` makes matching queries end FAILED with a reason, as Athena reports a missing Glue or S3
 * permission (the API call itself succeeds; the query fails).
 */
import { z } from "zod";
import { str } from "./scenario-schema-common.ts";

const workGroup = z.strictObject({
  Name: z.string().regex(/^[a-zA-Z0-9._-]{1,128}$/, { message: "expected a workgroup name" }),
  OutputLocation: z
    .string()
    .regex(/^s3:\/\/[^/]+/, { message: "expected s3://bucket/path/" })
    .optional(),
  /** The workgroup's settings override the client's (the result location cannot be chosen per query). */
  EnforceWorkGroupConfiguration: z.boolean().default(false),
  State: z.enum(["ENABLED", "DISABLED"]).default("ENABLED"),
});

const queryFailure = z.strictObject({
  /** A query whose text contains this (case-insensitive) fails. */
  Contains: str,
  State: z.enum(["FAILED", "CANCELLED"]).default("FAILED"),
  Reason: str.default("Insufficient permissions to execute the query."),
  Times: z.number().int().min(1).optional(),
});

export const athena = z.strictObject({
  workGroups: z.array(workGroup).default([]),
  queryFailures: z.array(queryFailure).default([]),
  /** How long a query stays QUEUED/RUNNING at least (ms): polling is exercised without a slow engine. */
  minRunMs: z.number().int().min(0).max(600_000).default(0),
});
