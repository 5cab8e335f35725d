/**
 * The accounts file (ACCOUNTS_FILE, YAML): the AWS accounts one bot serves, by alias, and the channel
 * guardrails. Validated with zod; every problem names the file and the key path, so a typo stops the start
 * (or, on a reload, refuses requests) instead of silently widening what a channel may do.
 *
 *   accounts:
 *     prod:    { accountId: "123456789012", regions: [us-east-1] }          # the bot's own credentials
 *     staging: { accountId: "210987654321", roleArn: arn:aws:iam::210987654321:role/alb-doctor-read,
 *                externalId: optional, regions: [us-east-1, eu-west-1] }
 *   channels:
 *     C0STAGING: { accounts: [staging], loadBalancers: ["shop-*"], fixes: [set-idle-timeout] }
 *   default: { accounts: [prod], fixes: [] }       # other channels; absent: check every account, no fixes
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AlbDoctorError } from "../domain/errors.ts";
import { FIX_IDS, type FixId } from "../domain/ids.ts";

/** Aliases are the first word of `staging/shop-prod`; "app" and "net" would read as a resource id. */
export const ALIAS = /^(?!(?:app|net)$)[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** Load balancer name patterns: names with `*` wildcards. */
const LB_PATTERN = /^[A-Za-z0-9*-]{1,32}$/;

const AccountSchema = z
  .object({
    accountId: z
      .string({ error: "expected a 12-digit account id in quotes (YAML reads bare digits as a number)" })
      .regex(/^\d{12}$/, "expected a 12-digit account id (quote it in YAML)"),
    roleArn: z.string().regex(ROLE_ARN, "expected arn:aws:iam::ACCOUNT:role/NAME").optional(),
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, "expected 2-1224 characters of [\\w+=,.@:/-]")
      .optional(),
    regions: z.array(z.string().regex(REGION, "expected a region such as eu-west-1")).min(1),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.roleArn && !a.roleArn.includes(`::${a.accountId}:`))
      ctx.addIssue({ code: "custom", path: ["roleArn"], message: `is not a role of account ${a.accountId}` });
    if (a.externalId && !a.roleArn)
      ctx.addIssue({ code: "custom", path: ["externalId"], message: "needs a roleArn" });
  });

const fixIdOrAll = z.union([z.literal("*"), z.enum(FIX_IDS)]);
const GuardrailSchema = z
  .object({
    accounts: z.array(z.union([z.literal("*"), z.string().regex(ALIAS, "expected an account alias")])),
    loadBalancers: z.array(z.string().regex(LB_PATTERN, "expected a name pattern such as shop-*")).optional(),
    fixes: z.array(fixIdOrAll).optional().default([]),
  })
  .strict();

const FileSchema = z
  .object({
    accounts: z.record(
      z.string().regex(ALIAS, "is not a valid alias (letters, digits, - and _)"),
      AccountSchema,
    ),
    channels: z
      .record(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, "is not a Slack channel id"), GuardrailSchema)
      .optional()
      .default({}),
    default: GuardrailSchema.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const aliases = Object.keys(f.accounts);
    if (aliases.length === 0)
      ctx.addIssue({ code: "custom", path: ["accounts"], message: "names no account" });
    const own = aliases.filter((a) => !f.accounts[a].roleArn);
    if (own.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["accounts"],
        message: `only one account may go without a roleArn (the bot's own): ${own.join(", ")}`,
      });
    const ids = new Map<string, string>();
    for (const alias of aliases) {
      const other = ids.get(f.accounts[alias].accountId);
      if (other)
        ctx.addIssue({
          code: "custom",
          path: ["accounts", alias, "accountId"],
          message: `is also ${other}'s`,
        });
      ids.set(f.accounts[alias].accountId, alias);
    }
    const rails: [string[], z.infer<typeof GuardrailSchema>][] = [
      ...Object.entries(f.channels).map(([id, g]) => [["channels", id], g] as [string[], typeof g]),
      ...(f.default ? [[["default"], f.default] as [string[], typeof f.default]] : []),
    ];
    for (const [path, g] of rails)
      g.accounts.forEach((a, i) => {
        if (a !== "*" && !f.accounts[a])
          ctx.addIssue({ code: "custom", path: [...path, "accounts", i], message: `unknown account "${a}"` });
      });
  });

export interface AccountEntry {
  alias: string;
  accountId: string;
  roleArn?: string;
  externalId?: string;
  regions: string[];
}

export interface Guardrail {
  /** Where the rule comes from, for refusals: "channel C0123" or "default". */
  source: string;
  accounts: string[];
  loadBalancers?: string[];
  fixes: ("*" | FixId)[];
}

export interface AccountsMap {
  file: string;
  accounts: Map<string, AccountEntry>;
  channels: Map<string, Guardrail>;
  default: Guardrail;
}

export function parseAccountsFile(text: string, file: string): AccountsMap {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new AlbDoctorError("config", `${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = FileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      // zod says only "Invalid key in record" for a bad alias or channel id: say which rule the key broke.
      const message =
        i.code === "invalid_key"
          ? i.path[0] === "accounts"
            ? "is not a valid alias (letters, digits, - and _; not app or net)"
            : "is not a Slack channel id (C..., G... or D...)"
          : i.message;
      return `${i.path.join(".") || "(file)"}: ${message}`;
    });
    throw new AlbDoctorError("config", `${file}: invalid accounts file:\n  ${lines.join("\n  ")}`);
  }
  const f = parsed.data;
  const accounts = new Map(
    Object.entries(f.accounts).map(([alias, a]) => [alias, { alias, ...a }] as [string, AccountEntry]),
  );
  const rail = (source: string, g: z.infer<typeof GuardrailSchema>): Guardrail => ({
    source,
    accounts: g.accounts.includes("*") ? [...accounts.keys()] : g.accounts,
    ...(g.loadBalancers ? { loadBalancers: g.loadBalancers } : {}),
    fixes: g.fixes,
  });
  return {
    file,
    accounts,
    channels: new Map(Object.entries(f.channels).map(([id, g]) => [id, rail(`channel ${id}`, g)])),
    // Checks are read-only; changes need a channel the file names (or a default that says so).
    default: f.default
      ? rail("default", f.default)
      : { source: "default", accounts: [...accounts.keys()], fixes: [] },
  };
}

/**
 * The file as of now: read on every use (it is small) and parsed again when its text changed, so that an
 * edit applies to the next request (and to a click on a button shown before the edit) without a restart;
 * comparing the text, not the modification time, also catches two edits within one mtime tick. A file that
 * became invalid fails every request with its problem rather than falling back to an older, wider version.
 */
export function watchAccountsFile(file: string): () => AccountsMap {
  let cached: { text: string; map?: AccountsMap; error?: AlbDoctorError } | undefined;
  return () => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new AlbDoctorError(
        "config",
        `ACCOUNTS_FILE ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    if (cached?.text !== text) {
      try {
        cached = { text, map: parseAccountsFile(text, file) };
      } catch (e) {
        cached = { text, error: e as AlbDoctorError };
      }
    }
    if (cached.error) throw cached.error;
    return cached.map!;
  };
}
