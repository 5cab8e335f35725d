/**
 * The accounts file's validation (every problem named by file and key; an edit re-read, an invalid edit
 * failing closed) and `alb-doctor check --account/--region` against a two-account scenario.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseAccountsFile, watchAccountsFile } from "../../src/accounts/file.ts";
import { splitAccountRef } from "../../src/accounts/ref.ts";
import { captureIo } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";
import type { Report } from "../../src/domain/report.ts";
import { ACCOUNTS_YAML, STAGING_ID, twoAccountScenario, writeAccountsFile } from "./fixture.ts";

describe("the accounts file", () => {
  it.each([
    [
      `accounts:\n  a: { accountId: 12, regions: [us-east-1] }`,
      /accounts\.a\.accountId: expected a 12-digit account id in quotes/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", roleArn: "arn:aws:iam::222222222222:role/r", regions: [us-east-1] }`,
      /accounts\.a\.roleArn: is not a role of account 111111111111/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", regions: [us-east-1] }\n  b: { accountId: "222222222222", regions: [us-east-1] }`,
      /only one account may go without a roleArn/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", regions: [mars-1] }`,
      /accounts\.a\.regions\.0: expected a region/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", regions: [us-east-1] }\nchannels:\n  C0X: { accounts: [b] }`,
      /channels\.C0X\.accounts\.0: unknown account "b"/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", regions: [us-east-1] }\nchannels:\n  C0X: { accounts: [a], fixes: [rm-rf] }`,
      /channels\.C0X\.fixes\.0/,
    ],
    [
      `accounts:\n  app: { accountId: "111111111111", regions: [us-east-1] }`,
      /accounts\.app: is not a valid alias/,
    ],
    [
      `accounts:\n  a: { accountId: "111111111111", regions: [us-east-1], role: x }`,
      /accounts\.a: Unrecognized key/,
    ],
  ])("names the key of a problem (%#)", (text, message) => {
    expect(() => parseAccountsFile(text, "/etc/acc.yaml")).toThrow(/\/etc\/acc\.yaml: invalid accounts file/);
    expect(() => parseAccountsFile(text, "/etc/acc.yaml")).toThrow(message);
  });

  it("is re-read when it changes, and an invalid edit fails closed instead of keeping the old rules", () => {
    const file = writeAccountsFile(ACCOUNTS_YAML);
    const read = watchAccountsFile(file);
    expect(read().default.accounts).toEqual(["prod", "staging", "denied"]);
    writeFileSync(file, `${ACCOUNTS_YAML}default: { accounts: [prod] }\n`);
    expect(read().default.accounts).toEqual(["prod"]);
    writeFileSync(file, `${ACCOUNTS_YAML}default: { accounts: [nope] }\n`);
    expect(() => read()).toThrow(/default\.accounts\.0: unknown account "nope"/);
  });

  it("splits account-qualified references, leaving resource ids and ARNs alone", () => {
    expect(splitAccountRef("staging/shop-prod")).toEqual({ alias: "staging", lbRef: "shop-prod" });
    expect(splitAccountRef("staging/eu-west-1/shop-prod")).toEqual({
      alias: "staging",
      region: "eu-west-1",
      lbRef: "shop-prod",
    });
    expect(splitAccountRef("app/shop-prod/0123456789abcdef")).toEqual({
      lbRef: "app/shop-prod/0123456789abcdef",
    });
    expect(splitAccountRef("staging/app/shop-prod/0123456789abcdef")).toEqual({
      alias: "staging",
      lbRef: "app/shop-prod/0123456789abcdef",
    });
  });
});

describe("alb-doctor check --account", () => {
  const saved = process.env.ACCOUNTS_FILE;
  afterEach(() => {
    if (saved === undefined) delete process.env.ACCOUNTS_FILE;
    else process.env.ACCOUNTS_FILE = saved;
  });

  async function run(...args: string[]) {
    const io = captureIo();
    const code = await main(["node", "alb-doctor", ...args], io);
    return { code, out: io.stdout, err: io.stderr };
  }

  it(
    "diagnoses in the named account through its role; a region outside its list is refused by name",
    { timeout: 120_000 },
    async () => {
      const accounts = writeAccountsFile(ACCOUNTS_YAML);
      const scenario = join(dirname(accounts), "two-accounts.yaml");
      writeFileSync(scenario, stringify(twoAccountScenario()));
      process.env.ACCOUNTS_FILE = accounts;
      const r = await run("check", "billing-prod", "--account", "staging", "--scenario", scenario, "--json");
      expect(r.err).toBe("");
      const report = JSON.parse(r.out) as Report;
      expect(report.account).toEqual({ id: STAGING_ID, alias: "staging" });
      expect(report.findings[0].id).toBe("sg-blocks-alb-to-target");

      const wrong = await run(
        "check",
        "billing-prod",
        "--account",
        "staging",
        "--region",
        "ap-south-1",
        "--scenario",
        scenario,
      );
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(
        /^alb-doctor: ap-south-1 is not a region of account staging \(its regions: us-east-1, eu-west-1\)\n$/,
      );

      delete process.env.ACCOUNTS_FILE;
      const none = await run("check", "billing-prod", "--account", "staging", "--scenario", scenario);
      expect(none.code).toBe(2);
      expect(none.err).toMatch(/no accounts are configured \(ACCOUNTS_FILE\)/);
    },
  );
});
