import { renderAudit } from "../../src/slack/blocks/audit.ts";
import { ephemeral } from "../../src/slack/message.ts";
import type { Subcommand } from "../../src/slack/subcommand.ts";

/** `/alb history [REF]`: the newest remediation audit entries, all or for one load balancer, resource or plan. */
export const history: Subcommand = {
  name: "history",
  usage: "history [REF]",
  summary: "show the remediation audit log: plans, approvals, changes, undos (REF: load balancer or plan id)",
  async run({ args, deps, respond }) {
    const ref = args[0];
    const entries = await deps.approvals.history({ ref, limit: 30 });
    const message = renderAudit(entries, ref);
    await respond(ephemeral(message.text, message.blocks));
  },
};
