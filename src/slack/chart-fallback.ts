/**
 * Workspaces that do not know the data_visualization block yet answer invalid_blocks for the whole
 * message. The diagnosis must still arrive: the sender retries once without the chart and reports that the
 * chart was rejected, so the PNG goes to the thread instead.
 */
import { hasCharts, withoutCharts } from "./blocks/chart.ts";
import type { SlackMessage } from "./message.ts";

/** True when Slack refused the blocks: a Web API error (data.error) or a response_url answer, at any depth of `cause`. */
export function isInvalidBlocks(e: unknown): boolean {
  for (let x = e, depth = 0; x && depth < 5; depth++) {
    const err = x as { message?: unknown; data?: { error?: unknown }; cause?: unknown };
    if (err.data?.error === "invalid_blocks") return true;
    if (typeof err.message === "string" && /\binvalid_blocks\b/.test(err.message)) return true;
    x = err.cause;
  }
  return false;
}

export interface ChartSend<T> {
  result: T;
  /** The message that was delivered (without the chart when it was rejected). */
  sent: SlackMessage;
  chartRejected: boolean;
}

/** Sends `message`; when Slack rejects its chart block, sends it once more without the chart. */
export async function sendWithChartFallback<M extends SlackMessage, T>(
  message: M,
  send: (m: M) => Promise<T>,
  onRejected?: (e: unknown) => void,
): Promise<ChartSend<T>> {
  try {
    return { result: await send(message), sent: message, chartRejected: false };
  } catch (e) {
    if (!hasCharts(message) || !isInvalidBlocks(e)) throw e;
    onRejected?.(e);
    const plain = withoutCharts(message);
    return { result: await send(plain), sent: plain, chartRejected: true };
  }
}
