/**
 * The approval flow of a running bot, built once per store from the app's dependencies: the Slack surfaces
 * (buttons, `/alb fix`, `/alb history`) share it, and with it the approver-group cache.
 */
import type { WebClient } from "@slack/web-api";
import type { AppDeps } from "../slack/deps.ts";
import type { Store } from "../store/store.ts";
import type { Accounts } from "../accounts/index.ts";
import { AlbDoctorError } from "../domain/errors.ts";
import { type ApprovalFlow, createApprovalFlow, type PlanAccounts } from "./flow.ts";
import { createApproverPolicy } from "./policy.ts";

const flows = new WeakMap<Store, ApprovalFlow>();

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

export function approvalFlowFor(deps: AppDeps, client: WebClient): ApprovalFlow {
  let flow = flows.get(deps.store);
  if (!flow) {
    const policy = createApproverPolicy({
      approvers: deps.config.APPROVERS,
      usergroup: deps.config.APPROVER_USERGROUP,
      allowSelfApproval: deps.config.ALLOW_SELF_APPROVAL,
      listUsergroupMembers: async (usergroup) => {
        const out = await client.usergroups.users.list({ usergroup });
        return out.users ?? [];
      },
    });
    flow = createApprovalFlow({
      store: deps.store,
      aws: deps.aws,
      policy,
      planTtlSeconds: deps.config.PLAN_TTL_SECONDS,
      leaseSeconds: deps.config.EXECUTION_LEASE_SECONDS,
      replicaId: deps.config.REPLICA_ID,
      now: deps.now,
      logger: deps.logger.child({ component: "approvals" }),
      ...(deps.accounts?.configured ? { accounts: planAccounts(deps.accounts) } : {}),
    });
    flows.set(deps.store, flow);
  }
  return flow;
}
