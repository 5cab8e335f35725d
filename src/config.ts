/**
 * Configuration, read once at start from the environment (and .env when present), validated with zod.
 * A missing or malformed variable stops the start with a message naming it. Documented in .env.example.
 */
import { z } from "zod";
import { AlbDoctorError } from "./domain/errors.ts";

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );
const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");
const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional().default(def);

export const ConfigSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xox[bp]-/, "expected a bot token starting with xoxb-")
      .optional(),
    SLACK_SIGNING_SECRET: z.string().min(8, "expected the app's signing secret").optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, "expected an app-level token starting with xapp-")
      .optional(),
    SLACK_API_URL: z.url().optional(),
    PORT: int(3000, 0, 65535),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .optional()
      .default("info"),

    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected a region such as us-east-1")
      .optional(),
    AWS_ENDPOINT_URL: z.url().optional(),
    DEFAULT_WINDOW: z
      .string()
      .regex(/^\d+[mhd]$/, "expected a duration such as 30m, 1h or 1d")
      .optional()
      .default("1h"),
    LOG_SCAN_CONCURRENCY: int(8, 1, 64),
    /**
     * Worker threads a diagnosis may parse access logs on. 0 by default: the bot already runs several
     * diagnoses at once, and each worker costs 45 to 90 MB (see docs/benchmarks.md).
     */
    LOG_SCAN_WORKERS: int(0, 0, 16),
    /**
     * What one access-log object may inflate to: an absolute cap (MiB) and a ratio to its compressed size,
     * checked above 64 MiB. Real logs compress 10-20x; a gzip bomb about 1000x. Over either, the object is
     * skipped and reported in the log scan's failed objects.
     */
    LOG_OBJECT_MAX_MB: int(4096, 1, 1_048_576),
    LOG_OBJECT_MAX_RATIO: int(100, 2, 1_000_000),

    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "expected redis://host:port[/db]")
      .optional(),
    REDIS_KEY_PREFIX: z.string().optional().default("alb-doctor:"),

    APPROVERS: csv,
    APPROVER_USERGROUP: z.string().optional(),
    ALLOW_SELF_APPROVAL: bool,
    PLAN_TTL_SECONDS: int(900, 30, 86_400),
    /** The execution lease of an approved plan: longer than its writes, the re-reads after them and verification. */
    EXECUTION_LEASE_SECONDS: int(120, 2, 3600),
    /** How often the reconciler looks for executions whose lease expired (and once at start). */
    RECONCILE_INTERVAL_SECONDS: int(30, 1, 3600),
    /** This replica's name as a lease owner (default host:pid). */
    REPLICA_ID: z.string().max(200).optional(),

    /** The accounts file (YAML): accounts by alias, roles to assume, channel guardrails (docs/accounts.md). */
    ACCOUNTS_FILE: z.string().optional(),

    TRIAGE_CHANNELS: csv,
    TRIAGE_DEDUPE_SECONDS: int(600, 1, 86_400),
    SLACK_POST_INTERVAL_MS: int(1100, 0, 60_000),
  })
  .superRefine((c, ctx) => {
    if (!c.SLACK_BOT_TOKEN) return;
    if (!c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

/** Parses the environment; throws AlbDoctorError("config") naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanked = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = ConfigSchema.safeParse(blanked);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`);
  throw new AlbDoctorError("config", `invalid configuration:\n  ${lines.join("\n  ")}`);
}

/** The Slack part of the config is required to run the bot (not the CLI). */
export function requireSlack(c: Config): asserts c is Config & { SLACK_BOT_TOKEN: string } {
  if (!c.SLACK_BOT_TOKEN)
    throw new AlbDoctorError("config", "invalid configuration:\n  SLACK_BOT_TOKEN: required");
}
