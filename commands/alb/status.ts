import { checkStoreAndAws } from "../../src/slack/health.ts";
import { REQUIRED_SCOPES, renderStatus } from "../../src/slack/blocks/status.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";

/** `/alb status`: AWS identity and region (STS), store kind and reachability, Slack scopes (auth.test). */
export const status: Subcommand = {
  name: "status",
  usage: "status",
  summary: "show what the bot can reach: AWS identity and region, store, Slack scopes",
  async run({ client, deps, respond }) {
    const [{ aws, store }, slack] = await Promise.all([
      checkStoreAndAws(deps),
      client.auth.test().then(
        (r) => {
          const scopes = r.response_metadata?.scopes ?? [];
          return {
            ok: true,
            team: r.team,
            botUser: r.user,
            scopes,
            missingScopes: REQUIRED_SCOPES.filter((s) => !scopes.includes(s)),
          };
        },
        (e: unknown) => ({
          ok: false,
          scopes: [],
          missingScopes: [],
          error: e instanceof Error ? e.message : String(e),
        }),
      ),
    ]);
    const c = deps.config;
    const approvers = c.APPROVER_USERGROUP
      ? `members of user group ${c.APPROVER_USERGROUP}`
      : c.APPROVERS.length
        ? c.APPROVERS.map((u) => `<@${u}>`).join(", ")
        : "nobody configured (set APPROVERS or APPROVER_USERGROUP)";
    await respond(
      renderStatus({
        mode: c.SLACK_APP_TOKEN ? "socket" : "http",
        aws: { ...aws, endpoint: deps.aws.endpoint },
        store,
        slack,
        approvers,
      }),
    );
  },
};
