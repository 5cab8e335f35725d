/**
 * Process-level guards of the bot, installed by the entry point (src/main.ts). The policy:
 * - an unhandled promise rejection is logged as an error (with its stack, as a bug to report) and the bot
 *   keeps running: such a promise already unwound on its own, and Node's default (exit) would lose every
 *   diagnosis and approval in flight because of one faulty request;
 * - an uncaught exception is logged as fatal and the process exits with code 1: a synchronous throw may
 *   have left shared state half-updated, so running on would hide the bug; the supervisor restarts the bot,
 *   and crash-safe remediation picks up a change that was in flight.
 */
import type { Logger } from "pino";

export interface GuardTarget {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  on(event: "uncaughtException", listener: (error: Error) => void): unknown;
}

export interface ProcessGuards {
  /** Unhandled rejections seen so far (each is a bug). */
  readonly rejections: number;
}

export function installProcessGuards(
  logger: Logger,
  target: GuardTarget = process,
  exit: (code: number) => void = (code) => process.exit(code),
): ProcessGuards {
  let rejections = 0;
  target.on("unhandledRejection", (reason) => {
    rejections++;
    logger.error(
      { err: reason, rejections },
      "unhandled promise rejection (a bug in alb-doctor or a library; please report it); still running",
    );
  });
  target.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception: exiting so that the supervisor restarts the bot");
    exit(1);
  });
  return {
    get rejections() {
      return rejections;
    },
  };
}
