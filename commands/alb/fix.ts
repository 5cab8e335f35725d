import { PLAN_ID } from "../../src/approvals/flow.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import { renderError } from "../../src/slack/blocks/errors.ts";
import { renderOutcome, renderRefusal } from "../../src/slack/blocks/plan.ts";
import { ephemeral } from "../../src/slack/message.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";

const USAGE = "fix PLAN_ID [--override RISK]...";

/** `PLAN_ID [--override RISK]...` -> the plan id and the risk checks the approver accepts. */
export function parseFixArgs(args: string[]): { planId: string; overrides: string[] } {
  const [planId, ...rest] = args;
  if (!planId || !PLAN_ID.test(planId))
    throw new AlbDoctorError("usage", `usage: \`/alb ${USAGE}\` (the plan id is on the plan message)`);
  const overrides: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    const inline = /^--override=(.+)$/.exec(word);
    if (inline) overrides.push(inline[1]);
    else if (word === "--override" && rest[i + 1]) overrides.push(rest[++i]);
    else throw new AlbDoctorError("usage", `unexpected "${word.slice(0, 40)}": usage \`/alb ${USAGE}\``);
  }
  return { planId, overrides };
}

/**
 * `/alb fix PLAN_ID [--override RISK]`: approve a plan from the command line of Slack, accepting the named
 * blocking risk checks (e.g. lower-idle-timeout). The same policy, claim and drift check as the Approve button.
 */
export const fix: Subcommand = {
  name: "fix",
  usage: USAGE,
  summary: "approve a plan, accepting named risk checks (e.g. --override lower-idle-timeout)",
  ack(args) {
    try {
      parseFixArgs(args);
      return ephemeral(":hourglass_flowing_sand: Approving…");
    } catch (e) {
      return renderError(e, "reading the command");
    }
  },
  async run({ args, command, deps, respond }) {
    let parsed;
    try {
      parsed = parseFixArgs(args);
    } catch {
      return; // answered in the ack
    }
    const flow = deps.approvals;
    let result;
    try {
      result = await flow.approve(parsed.planId, command.user_id, {
        overrides: parsed.overrides,
        slack: { channel: command.channel_id },
      });
    } catch (e) {
      await respond(renderRefusal(e, "approving the plan"));
      return;
    }
    await respond({ response_type: "in_channel", ...renderOutcome(result) });
  },
};
