/**
 * STS (awsQuery): GetCallerIdentity, so `aws sts get-caller-identity` and the bot's identity check work
 * against the simulated account.
 */
import { createAwsQueryHandler } from "../wire/aws-query-handler.ts";
import { partitionOf } from "../derive-ids.ts";

export const stsHandler = createAwsQueryHandler({
  service: "sts",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  actions: {
    GetCallerIdentity: (_params, world) => ({
      UserId: "AIDASIMULATOR000000000",
      Account: world.accountId,
      Arn: `arn:${partitionOf(world.region)}:iam::${world.accountId}:user/simulator`,
    }),
  },
});
