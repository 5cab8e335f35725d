/**
 * A two-account simulator for the accounts tests: the bot's own account (healthy.yaml's resources) and
 * "staging" (210987654321, role alb-doctor-read), which holds sg-blocks-alb-to-target.yaml's billing-prod
 * with its automated fix. Plus an accounts file written to a temporary directory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

export const OWN_ID = "123456789012";
export const STAGING_ID = "210987654321";
export const STAGING_ROLE = `arn:aws:iam::${STAGING_ID}:role/alb-doctor-read`;

function accountPart(file: string): Record<string, unknown> {
  const s = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown>;
  const { name: _n, description: _d, region: _r, accountId: _a, now: _now, expect: _e, ...keys } = s;
  return keys;
}

export function twoAccountScenario(extra: Record<string, unknown>[] = []): Record<string, unknown> {
  const own = parseYaml(readFileSync("scenarios/healthy.yaml", "utf8")) as Record<string, unknown>;
  const { expect: _e, ...ownKeys } = own;
  return {
    ...ownKeys,
    accountId: OWN_ID,
    accounts: [
      {
        accountId: STAGING_ID,
        alias: "staging",
        roleName: "alb-doctor-read",
        ...accountPart("scenarios/sg-blocks-alb-to-target.yaml"),
      },
      ...extra,
    ],
  };
}

/** Writes `text` as an accounts file in a fresh temporary directory; returns its path. */
export function writeAccountsFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "alb-doctor-accounts-"));
  const file = join(dir, "accounts.yaml");
  writeFileSync(file, text);
  return file;
}

export const ACCOUNTS_YAML = `
accounts:
  prod:
    accountId: "${OWN_ID}"
    regions: [us-east-1]
  staging:
    accountId: "${STAGING_ID}"
    roleArn: ${STAGING_ROLE}
    regions: [us-east-1, eu-west-1]
  denied:
    accountId: "444444444444"
    roleArn: arn:aws:iam::444444444444:role/alb-doctor-read
    regions: [us-east-1]
`;
