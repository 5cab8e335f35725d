/**
 * The account map a surface asks: what a reference means (account, region, load balancer), whether the
 * asking channel may use it, and the credentials to reach it. Without ACCOUNTS_FILE everything stays as
 * before: the bot's own credentials in its region, every channel, every fix.
 */
import type { AwsCredentialIdentity } from "@smithy/types";
import { parseLbRef } from "../aws/arn.ts";
import { createAwsClients, type AwsClients } from "../aws/clients.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { createRoleSessions, type RoleCredentials } from "./assume.ts";
import { type AccountEntry, type AccountsMap, type Guardrail, watchAccountsFile } from "./file.ts";
import { guardrailFor, guardrailRefusal, mayCheckLoadBalancer, mayPlanFix } from "./guardrails.ts";
import { pickAccount, splitAccountRef } from "./ref.ts";

/** Where a diagnosis or a plan runs: plain data (it crosses to the diagnosis worker). */
export interface TargetAccount {
  alias: string;
  id: string;
  region: string;
  /** Absent: the bot's own credentials. */
  credentials?: RoleCredentials;
}

export interface ResolveOptions {
  /** The Slack channel asking (guardrails apply); absent for the CLI. */
  channel?: string;
  /** Who asks: the SourceIdentity of an assumed role. */
  requester: string;
  account?: string;
  region?: string;
}

export interface Resolved {
  lbRef: string;
  /** Absent without an accounts file. */
  target?: TargetAccount;
}

export interface Accounts {
  readonly configured: boolean;
  /** The current file (re-read on change); undefined without one. Throws when it became invalid. */
  map(): AccountsMap | undefined;
  resolve(ref: string, options: ResolveOptions): Promise<Resolved>;
  /** The target of a stored offer or plan, again, with fresh credentials for `requester`. */
  targetOf(alias: string, region: string, requester: string, channel?: string): Promise<TargetAccount>;
  /** Whether the channel may plan this fix on this account (always true without a file or channel). */
  mayPlan(channel: string | undefined, alias: string | undefined, fixId: string, lbName: string): boolean;
  /** Throws the guardrail's refusal unless the channel may plan the fix. */
  assertMayPlan(channel: string | undefined, alias: string | undefined, fixId: string, lbName: string): void;
  /** Clients for a target (cached while its credentials last); the bot's own for undefined. */
  clientsFor(target: TargetAccount | undefined): AwsClients;
  close(): void;
}

export interface AccountsOptions {
  file?: string;
  /** The bot's own clients (STS for AssumeRole, and the default target). */
  aws: AwsClients;
  /** The bot's own credentials (undefined: the default chain). */
  credentials?: AwsCredentialIdentity;
}

export function createAccounts(options: AccountsOptions): Accounts {
  const read = options.file ? watchAccountsFile(options.file) : undefined;
  const roles = createRoleSessions({ sts: options.aws.sts });
  const clients = new Map<string, { clients: AwsClients; until: number }>();

  const railOf = (map: AccountsMap, channel: string | undefined): Guardrail | undefined =>
    channel === undefined ? undefined : guardrailFor(map, channel);

  async function targetFor(account: AccountEntry, region: string, requester: string): Promise<TargetAccount> {
    const credentials = await roles.credentialsFor(account, requester);
    return { alias: account.alias, id: account.accountId, region, ...(credentials ? { credentials } : {}) };
  }

  const self: Accounts = {
    configured: Boolean(read),
    map: () => read?.(),
    async resolve(ref, opts) {
      const map = read?.();
      if (!map) {
        const q = splitAccountRef(ref);
        if (q.alias || opts.account)
          throw new AlbDoctorError(
            "usage",
            `no accounts are configured (ACCOUNTS_FILE), so "${q.alias ?? opts.account}" names no account: give the load balancer alone`,
          );
        return { lbRef: ref };
      }
      const rail = railOf(map, opts.channel);
      const picked = pickAccount(map, ref, {
        account: opts.account,
        region: opts.region,
        ...(rail ? { allowed: rail.accounts, refuse: (what: string) => guardrailRefusal(rail, what) } : {}),
      });
      const name = parseLbRef(picked.lbRef).name;
      if (rail && !mayCheckLoadBalancer(rail, name)) throw guardrailRefusal(rail, `load balancer ${name}`);
      return {
        lbRef: picked.lbRef,
        target: await targetFor(picked.account, picked.region, opts.requester),
      };
    },
    async targetOf(alias, region, requester, channel) {
      const map = read?.();
      const account = map?.accounts.get(alias);
      if (!map || !account)
        throw new AlbDoctorError("not-found", `account ${alias} is no longer in the accounts file`);
      const rail = railOf(map, channel);
      if (rail && !rail.accounts.includes(alias)) throw guardrailRefusal(rail, `account ${alias}`);
      if (!account.regions.includes(region))
        throw new AlbDoctorError("wrong-region", `${region} is no longer a region of account ${alias}`);
      return targetFor(account, region, requester);
    },
    mayPlan(channel, alias, fixId, lbName) {
      const map = read?.();
      if (!map || channel === undefined) return true;
      const rail = guardrailFor(map, channel);
      return (
        (alias === undefined || rail.accounts.includes(alias)) &&
        mayCheckLoadBalancer(rail, lbName) &&
        mayPlanFix(rail, fixId)
      );
    },
    assertMayPlan(channel, alias, fixId, lbName) {
      if (self.mayPlan(channel, alias, fixId, lbName)) return;
      const rail = guardrailFor(read!()!, channel!);
      throw guardrailRefusal(rail, `fix ${fixId}${alias ? ` on account ${alias}` : ""}`);
    },
    clientsFor(target) {
      if (!target || (!target.credentials && target.region === options.aws.region)) return options.aws;
      const key = `${target.alias}|${target.region}|${target.credentials?.accessKeyId ?? "own"}`;
      const now = Date.now();
      for (const [k, v] of clients)
        if (v.until <= now) {
          v.clients.destroy();
          clients.delete(k);
        }
      let entry = clients.get(key);
      if (!entry) {
        entry = {
          clients: clientsForTarget(target, options.aws, options.credentials),
          until: target.credentials?.expiration.getTime() ?? now + 3_600_000,
        };
        clients.set(key, entry);
      }
      return entry.clients;
    },
    close() {
      for (const v of clients.values()) v.clients.destroy();
      clients.clear();
    },
  };
  return self;
}

/** New clients for a target: its region, its credentials (or the bot's own), the same endpoint. */
export function clientsForTarget(
  target: TargetAccount,
  base: AwsClients,
  ownCredentials: AwsCredentialIdentity | undefined,
): AwsClients {
  const credentials = target.credentials ?? ownCredentials;
  return createAwsClients({
    region: target.region,
    ...(base.endpoint ? { endpoint: base.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    callDeadlineMs: base.callDeadlineMs,
  });
}
