import { ephemeral, inChannel } from "../../src/slack/message.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";
import { TriageState } from "../../src/triage/state.ts";

/** `/alb watch` and `/alb unwatch`: auto-triage alarms posted in this channel (kept in the store). */
export const watch: Subcommand = {
  name: "watch",
  usage: "watch",
  summary: "diagnose CloudWatch alarms about ALBs posted in this channel, in their threads",
  async run({ command, deps, respond }) {
    const state = new TriageState(deps.store, deps.config.TRIAGE_DEDUPE_SECONDS);
    await state.watch(command.channel_id);
    await respond(
      inChannel(
        `:eyes: <@${command.user_id}> turned on alarm triage here: CloudWatch alarms about an ALB posted in this channel get a diagnosis in their thread, once per load balancer every ${Math.round(deps.config.TRIAGE_DEDUPE_SECONDS / 60)} minutes. The bot must be a member of the channel (\`/invite @alb-doctor\`). \`/alb unwatch\` turns it off.`,
      ),
    );
  },
};

export const unwatch: Subcommand = {
  name: "unwatch",
  usage: "unwatch",
  summary: "stop triaging alarms in this channel",
  async run({ command, deps, respond }) {
    const state = new TriageState(deps.store, deps.config.TRIAGE_DEDUPE_SECONDS);
    await state.unwatch(command.channel_id);
    const pinned = deps.config.TRIAGE_CHANNELS.includes(command.channel_id);
    await respond(
      pinned
        ? ephemeral(
            ":warning: Removed, but this channel is also in TRIAGE_CHANNELS (the bot's configuration), so alarms here are still triaged.",
          )
        : inChannel(`:zzz: <@${command.user_id}> turned off alarm triage in this channel.`),
    );
  },
};
