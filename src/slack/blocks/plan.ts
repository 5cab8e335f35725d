/**
 * Block Kit for remediation: the plan message (what changes before -> after, where, the risk checks, who may
 * approve, expiry; Approve / Reject with confirm dialogs whose values are the plan id only), the result message
 * (outcome, verification, AWS request ids, Undo) and the rejection. Pure, and within Slack's limits.
 */
import type { ApprovalOutcome } from "../../approvals/flow.ts";
import { type Plan, type Risk, blockingRisks, changedKeys } from "../../remediate/plan.ts";
import { capText, cleanText, inlineCode, mention, mrkdwn } from "../../domain/text.ts";
import { ACTION } from "../action-ids.ts";
import type { Block, ReplyMessage, SlackMessage } from "../message.ts";
import { renderError } from "./errors.ts";
import { context, escapeMrkdwn, foldLines, LIMITS, section, truncate } from "./limits.ts";

const RISK_ICON: Record<Risk["level"], string> = {
  block: ":no_entry:",
  warn: ":warning:",
  ok: ":white_check_mark:",
};

const FIX_TITLE: Record<string, string> = {
  "set-idle-timeout": "Set the idle timeout",
  "allow-alb-to-target": "Allow the ALB to reach the targets",
  "fix-health-check": "Fix the health check",
  "set-deregistration-delay": "Set the deregistration delay",
  "enable-access-logs": "Enable access logs",
};

/** A summary, message or risk carries AWS names and values: each is capped so the rest stays in view. */
const MAX_LINE_CHARS = 500;

export interface PlanMessageOptions {
  /** "<@U1> or members of <!subteam^S1>" (ApproverPolicy.describe). */
  approvers: string;
}

/** "billing-prod" or, for a plan in an account of the accounts file, "staging/eu-west-1/billing-prod". */
function lbWithAccount(plan: Plan): string {
  const a = plan.account;
  return a ? `${a.alias}/${a.region}/${plan.loadBalancer.name}` : plan.loadBalancer.name;
}

export function renderPlan(plan: Plan, options: PlanMessageOptions): SlackMessage {
  const title = `${plan.undoOf ? "Undo plan" : "Plan"}: ${FIX_TITLE[plan.fixId] ?? plan.fixId} on ${lbWithAccount(plan)}`;
  const blocks: Block[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        emoji: true,
        text: truncate(cleanText(title, { inline: true }), LIMITS.headerText),
      },
    },
    section(changesText(plan)),
  ];
  if (plan.multiResource)
    blocks.push(
      section(
        `:warning: *This change touches ${plan.resources.length > 1 ? `${plan.resources.length} resources` : "a shared resource"}:* ${plan.resources.map((r) => `\`${escapeMrkdwn(r)}\``).join(", ")}`,
      ),
    );
  if (plan.risks.length) blocks.push(section(`*Risk checks*\n${riskLines(plan.risks)}`));

  const blocked = blockingRisks(plan);
  const overridable = blocked.filter((r) => r.overridable);
  if (plan.noop) {
    blocks.push(
      section(":information_source: *Nothing to change*: the resource already is as the fix wants it."),
    );
  } else if (blocked.length && overridable.length === blocked.length) {
    const flags = overridable.map((r) => `--override ${r.id}`).join(" ");
    blocks.push(
      section(
        `:no_entry: *Blocked by a risk check.* An approver who accepts the risk can run \`/alb fix ${plan.id} ${flags}\`.`,
      ),
    );
  } else if (blocked.length) {
    blocks.push(
      section(":no_entry: *Blocked by a risk check that cannot be overridden*: this plan cannot run."),
    );
  }

  const expires = Math.floor(Date.parse(plan.expiresAt) / 1000);
  blocks.push(
    context(
      `Requested by ${mention(plan.requestedBy)} · may approve: ${options.approvers} · expires <!date^${expires}^{time}|${mrkdwn(plan.expiresAt)}> · plan ${inlineCode(plan.id)}`,
    ),
  );
  if (!plan.noop && !blocked.length) blocks.push(decisionButtons(plan));
  else if (!plan.noop) blocks.push(rejectOnly(plan));
  return {
    text: truncate(
      mrkdwn(capText(`${title}: ${plan.summary}`, MAX_LINE_CHARS), { inline: true }),
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

export function renderOutcome(result: ApprovalOutcome): SlackMessage {
  const { plan } = result;
  const icon = {
    executed: ":white_check_mark:",
    unverified: ":warning:",
    failed: ":x:",
    drifted: ":no_entry:",
    unknown: ":grey_question:",
  }[result.outcome];
  const word = {
    executed: "Applied and verified",
    unverified: "Applied, not verified",
    failed: "Failed",
    drifted: "Aborted (drift)",
    unknown: "Outcome unknown, re-checking",
  }[result.outcome];
  const title = `${word}: ${FIX_TITLE[plan.fixId] ?? plan.fixId} on ${lbWithAccount(plan)}`;
  const blocks: Block[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        emoji: true,
        text: truncate(cleanText(title, { inline: true }), LIMITS.headerText),
      },
    },
    section(`${icon} ${escapeMrkdwn(capText(result.message, MAX_LINE_CHARS))}`),
  ];
  if (result.auditPending)
    blocks.push(
      section(
        result.outcome === "executed" || result.outcome === "unverified"
          ? ":warning: *The change is applied, but its audit entry is pending*: the store cannot be reached. It is retried until it lands."
          : ":warning: *The audit entry is pending*: the store cannot be reached. It is retried until it lands.",
      ),
    );
  blocks.push(section(changesText(plan)));
  if (result.verification?.checks.length)
    blocks.push(
      section(
        `*Verification* (re-read from AWS)\n${foldLines(
          result.verification.checks.map(
            (c) =>
              `${c.ok ? ":white_check_mark:" : ":x:"} \`${escapeMrkdwn(c.setting)}\` is ${escapeMrkdwn(c.actual ?? "(unset)")}${c.ok ? "" : `, wanted ${escapeMrkdwn(c.wanted ?? "(unset)")}`}`,
          ),
          LIMITS.sectionText - 40,
          20,
        )}`,
      ),
    );
  const ids = result.requestIds.length
    ? ` · AWS request id ${result.requestIds.map((r) => inlineCode(r)).join(", ")}`
    : "";
  blocks.push(
    context(
      `Requested by ${mention(plan.requestedBy)} · approved by ${mention(result.approvedBy)}${ids} · plan ${inlineCode(plan.id)}`,
    ),
  );
  if ((result.outcome === "executed" || result.outcome === "unverified") && !plan.undoOf)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.undo,
          value: plan.id,
          text: { type: "plain_text", text: "Undo" },
          confirm: confirm(
            "Plan an undo?",
            `Restores ${changedKeys(plan.before, plan.after)
              .map((k) => `${inlineCode(k)} = ${inlineCode(capText(plan.before[k] ?? "(unset)", 100))}`)
              .join(", ")}. The undo needs an approval too.`,
            "Plan the undo",
          ),
        },
      ],
    });
  return {
    text: truncate(
      mrkdwn(capText(`${title}. ${result.message}`, MAX_LINE_CHARS), { inline: true }),
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

export function renderRejected(plan: Plan, by: string): SlackMessage {
  const text = `:no_entry_sign: Rejected by ${mention(by)}: ${mrkdwn(capText(plan.summary, MAX_LINE_CHARS))}`;
  return {
    text: truncate(text, LIMITS.fallbackText),
    blocks: [section(`${text}\nNothing was changed. Plan ${inlineCode(plan.id)}.`)],
  };
}

function changesText(plan: Plan): string {
  const keys = changedKeys(plan.before, plan.after);
  const lines = keys.map(
    (k) =>
      // Values verbatim in code format (a health-check path is shown exactly as AWS will get it).
      `• ${inlineCode(k)}: ${inlineCode(capText(plan.before[k] ?? "(unset)", 500))} → *${inlineCode(capText(plan.after[k] ?? "(unset)", 500))}*`,
  );
  const calls = plan.calls.map((c) => `${inlineCode(c.action)} on ${inlineCode(c.resource)}`);
  const head = `*What changes* on ${inlineCode(plan.resource)}`;
  const body = lines.length ? foldLines(lines, 1800, 15, "more settings") : "_nothing_";
  const how = calls.length ? `\n*AWS call:* ${foldLines(calls, 600, 5, "more calls")}` : "";
  return truncate(`${head}\n${body}${how}`, LIMITS.sectionText);
}

function riskLines(risks: Risk[]): string {
  return foldLines(
    risks.map((r) => `${RISK_ICON[r.level]} ${escapeMrkdwn(capText(r.message, MAX_LINE_CHARS))}`),
    LIMITS.sectionText - 20,
    10,
    "more checks",
  );
}

function decisionButtons(plan: Plan): Block {
  const what = truncate(escapeMrkdwn(capText(plan.summary, 150)), 200);
  return {
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: ACTION.approve,
        value: plan.id,
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        confirm: confirm("Approve and apply?", `${what}\nThis changes AWS now.`, "Apply"),
      },
      rejectButton(plan),
    ],
  };
}

function rejectOnly(plan: Plan): Block {
  return { type: "actions", elements: [rejectButton(plan)] };
}

function rejectButton(plan: Plan) {
  return {
    type: "button" as const,
    action_id: ACTION.reject,
    value: plan.id,
    style: "danger" as const,
    text: { type: "plain_text" as const, text: "Reject" },
    confirm: confirm("Reject this plan?", "Nothing will change; the plan closes.", "Reject"),
  };
}

function confirm(title: string, text: string, yes: string) {
  return {
    title: { type: "plain_text" as const, text: truncate(title, LIMITS.confirmTitle) },
    text: { type: "mrkdwn" as const, text: truncate(text, LIMITS.confirmText) },
    confirm: { type: "plain_text" as const, text: truncate(yes, LIMITS.confirmButton) },
    deny: { type: "plain_text" as const, text: "Cancel" },
  };
}

/**
 * A refusal from the approval flow (not an approver, already approved by <@U>, expired, unavailable...), as
 * an ephemeral message. Like renderError, but user and user-group mentions stay mentions.
 */
export function renderRefusal(error: unknown, what: string): ReplyMessage {
  const message = renderError(error, what);
  const restore = (s: string) => s.replace(/&lt;(@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)&gt;/g, "<$1>");
  return {
    ...message,
    text: restore(message.text),
    blocks: message.blocks?.map((b) =>
      b.type === "section" && b.text ? { ...b, text: { ...b.text, text: restore(b.text.text) } } : b,
    ),
  };
}
