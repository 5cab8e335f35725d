/**
 * STS (awsQuery): GetCallerIdentity, so `aws sts get-caller-identity` and the bot's identity check work
 * against the simulated account (and name the assumed role when the caller signs with AssumeRole's keys),
 * and AssumeRole into the scenario's other accounts (src/sim/accounts.ts).
 */
import { createAwsQueryHandler } from "../wire/aws-query-handler.ts";
import { qInt, qString } from "../wire/query.ts";
import { partitionOf } from "../derive-ids.ts";
import { assumeRole, sessionOf } from "../accounts.ts";

export const stsHandler = createAwsQueryHandler({
  service: "sts",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  actions: {
    GetCallerIdentity: (_params, world, req) => {
      const session = sessionOf(world, req);
      if (session) {
        return {
          UserId: `AROA${session.accountId}SIM:${session.roleSessionName}`,
          Account: session.accountId,
          Arn: session.assumedRoleArn,
        };
      }
      return {
        UserId: "AIDASIMULATOR000000000",
        Account: world.accountId,
        Arn: `arn:${partitionOf(world.region)}:iam::${world.accountId}:user/simulator`,
      };
    },
    AssumeRole: (params, world, req) =>
      // Only the caller's own account declares the others: role chaining is not simulated.
      assumeRole(world, req, {
        RoleArn: qString(params.RoleArn, "RoleArn"),
        RoleSessionName: qString(params.RoleSessionName, "RoleSessionName"),
        DurationSeconds: qInt(params.DurationSeconds, "DurationSeconds"),
        ExternalId: qString(params.ExternalId, "ExternalId"),
        SourceIdentity: qString(params.SourceIdentity, "SourceIdentity"),
      }),
  },
});
