/**
 * The bot's pino logger. Tokens and secrets never reach the logs: known secret-bearing fields are redacted
 * by path, and the serializer masks anything that looks like a Slack token or an AWS secret in messages.
 */
import pino, { type Logger, type LoggerOptions } from "pino";

const SECRET_PATHS = [
  "token",
  "*.token",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  'headers["x-slack-signature"]',
  "config.SLACK_BOT_TOKEN",
  "config.SLACK_SIGNING_SECRET",
  "config.SLACK_APP_TOKEN",
  "config.REDIS_URL",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "secretAccessKey",
  "*.secretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "response_url",
  "*.response_url",
];

/** Slack tokens (xoxb-, xoxp-, xapp-...), hooks URLs and credentials in redis URLs. */
const TOKENISH =
  /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)|hooks\.slack\.com\/[^\s"']+|(rediss?:\/\/[^:@/\s]*:)[^@\s]+@/g;

export function maskSecrets(text: string): string {
  return text.replace(TOKENISH, (m, _tok, redisPrefix) =>
    redisPrefix ? `${redisPrefix}[redacted]@` : "[redacted]",
  );
}

export function createLogger(
  level: LoggerOptions["level"] = "info",
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { app: "alb-doctor" },
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
    hooks: {
      // Messages are formatted before redaction paths apply; mask token-shaped strings in them too.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? maskSecrets(a) : a)) as Parameters<typeof method>,
        );
      },
    },
    serializers: {
      err: serializeError,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * `err` as logged: an Error with its type, message, stack and cause; a string or another value as a message
 * (spreading a string gave `{"0":"c","1":"o",...}`); a plain object (an error summary) as it is. Messages and
 * stacks are masked like every other string.
 */
export function serializeError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    const s = pino.stdSerializers.err(e);
    return { ...s, message: maskSecrets(s.message ?? ""), stack: s.stack ? maskSecrets(s.stack) : undefined };
  }
  if (e !== null && typeof e === "object" && !Array.isArray(e)) {
    const o = e as Record<string, unknown>;
    return typeof o.message === "string" ? { ...o, message: maskSecrets(o.message) } : { ...o };
  }
  return { message: maskSecrets(typeof e === "string" ? e : String(e)) };
}
