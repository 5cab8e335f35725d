/**
 * The approval flow of a running bot, from its configuration. Built once where the app is assembled
 * (src/bot.ts) and handed to every Slack surface, so that they share it and its approver-group cache.
 */
import type { Logger } from "pino";
import type { Accounts } from "../accounts/index.ts";
import type { AwsClients } from "../aws/clients.ts";
import type { Config } from "../config.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import type { Store } from "../store/store.ts";
import { type ApprovalFlow, createApprovalFlow, type PlanAccounts } from "./flow.ts";
import { createApproverPolicy } from "./policy.ts";

export interface ApprovalFlowParts {
  config: Config;
  store: Store;
  aws: AwsClients;
  now: () => Date;
  logger: Logger;
  /** The account map, when ACCOUNTS_FILE names one: plans then run in the account they were made for. */
  accounts?: Accounts;
  /** Members of a Slack user group (the approver group), asked of Slack when the policy needs them. */
  listUsergroupMembers: (usergroup: string) => Promise<string[]>;
}

export function approvalFlowFromConfig(p: ApprovalFlowParts): ApprovalFlow {
  const policy = createApproverPolicy({
    approvers: p.config.APPROVERS,
    usergroup: p.config.APPROVER_USERGROUP,
    allowSelfApproval: p.config.ALLOW_SELF_APPROVAL,
    listUsergroupMembers: p.listUsergroupMembers,
  });
  return createApprovalFlow({
    store: p.store,
    aws: p.aws,
    policy,
    planTtlSeconds: p.config.PLAN_TTL_SECONDS,
    leaseSeconds: p.config.EXECUTION_LEASE_SECONDS,
    replicaId: p.config.REPLICA_ID,
    now: p.now,
    logger: p.logger.child({ component: "approvals" }),
    ...(p.accounts?.configured ? { accounts: planAccounts(p.accounts) } : {}),
  });
}

function planAccounts(accounts: Accounts): PlanAccounts {
  return {
    assertMayPlan: (channel, alias, fixId, lbName) => accounts.assertMayPlan(channel, alias, fixId, lbName),
    clientsFor: async (account, user, channel) => {
      const target = await accounts.targetOf(account.alias, account.region, user, channel);
      // The alias may have been pointed at another account since the plan was made: never follow it.
      if (target.id !== account.id)
        throw new AlbDoctorError(
          "conflict",
          `account ${account.alias} is now ${target.id}, not ${account.id}: run the check again`,
        );
      return accounts.clientsFor(target);
    },
  };
}
