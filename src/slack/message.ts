/**
 * The shape of a message the bot sends: what response_url, chat.postMessage and the ack body all accept.
 * Kept apart from Bolt's own types so that renderers (pure functions) need not import Bolt.
 */
import type { types } from "@slack/bolt";

export type Block = types.KnownBlock | DataVisualizationBlock;

/**
 * Slack's chart block (Block Kit, 2026), not yet in @slack/types:
 * https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block (limits in blocks/limits.ts).
 */
export interface DataVisualizationBlock {
  type: "data_visualization";
  block_id?: string;
  title: string;
  chart: {
    type: "line" | "bar" | "area";
    series: { name: string; data: { label: string; value: number }[] }[];
    axis_config: { categories: string[]; x_label?: string; y_label?: string };
  };
}

export interface SlackMessage {
  /** Fallback text (notifications, screen readers); always set. */
  text: string;
  blocks?: Block[];
}

/** A message sent as a reply to a slash command or an action (ack body or response_url). */
export interface ReplyMessage extends SlackMessage {
  /** ephemeral (only the caller sees it; the default) or in_channel (everyone in the channel). */
  response_type?: "ephemeral" | "in_channel";
  /** response_url only: replace the message the command or button produced. */
  replace_original?: boolean;
  /** response_url only: delete that message. */
  delete_original?: boolean;
}

export function ephemeral(text: string, blocks?: Block[]): ReplyMessage {
  return { response_type: "ephemeral", text, ...(blocks ? { blocks } : {}) };
}

export function inChannel(text: string, blocks?: Block[]): ReplyMessage {
  return { response_type: "in_channel", text, ...(blocks ? { blocks } : {}) };
}
