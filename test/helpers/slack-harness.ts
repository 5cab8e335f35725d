/**
 * Test harness for the Slack bot: the fake Slack (Web API + response_url receivers), Slack's request
 * signing, helpers that post a slash command / an interactive payload / an Events API event to the app
 * as Slack does, and `startTestApp` which runs the real Bolt app in HTTP mode on a free port.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { createAwsClients, SIMULATOR_CREDENTIALS, type AwsClients } from "../../src/aws/clients.ts";
import { createAccounts } from "../../src/accounts/index.ts";
import { loadConfig } from "../../src/config.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import type { Diagnoser } from "../../src/services/types.ts";
import { assembleBot, type BotParts } from "../../src/bot.ts";
import type { SlackApp } from "../../src/slack/app.ts";
import type { AppDeps } from "../../src/slack/deps.ts";
import { createLogger } from "../../src/slack/logger.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/store.ts";
import { FAKE_TEAM, startFakeSlack, type FakeSlack } from "./fake-slack.ts";

export * from "./fake-slack.ts";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789";
export const TEST_BOT_TOKEN = "xoxb-test-0000-bot-token";

/** Slack's v0 request signature: HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret. */
export function signedRequest(
  body: string,
  secret: string,
  options: { timestamp?: number } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "X-Slack-Signature": `v0=${signature}`, "X-Slack-Request-Timestamp": String(timestamp) };
}

export interface PostOptions {
  secret?: string;
  timestamp?: number;
  /** Sets X-Slack-Retry-Num (and a retry reason), as Slack does when it re-sends a request. */
  retryNum?: number;
  /** Replaces the signature header (bad-signature tests). */
  signature?: string;
}

export interface PostResult {
  status: number;
  text: string;
  json: unknown;
  /** When the HTTP response (the ack) arrived. */
  at: number;
}

export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  options: PostOptions = {},
): Promise<PostResult> {
  const headers: Record<string, string> = {
    "content-type": contentType,
    ...signedRequest(body, options.secret ?? TEST_SIGNING_SECRET, { timestamp: options.timestamp }),
  };
  if (options.signature) headers["X-Slack-Signature"] = options.signature;
  if (options.retryNum !== undefined) {
    headers["X-Slack-Retry-Num"] = String(options.retryNum);
    headers["X-Slack-Retry-Reason"] = "http_timeout";
  }
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, at: Date.now() };
}

export interface SlashFields {
  text: string;
  command?: string;
  user_id?: string;
  channel_id?: string;
  response_url?: string;
  trigger_id?: string;
}

/** The form body Slack sends for a slash command. */
export function slashBody(fields: SlashFields): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: fields.channel_id ?? "C0INCIDENT",
    channel_name: "incidents",
    user_id: fields.user_id ?? "U0ALICE",
    user_name: "alice",
    command: fields.command ?? "/alb",
    text: fields.text,
    api_app_id: "A0ALBDOCTOR",
    is_enterprise_install: "false",
    response_url: fields.response_url ?? "",
    trigger_id: fields.trigger_id ?? `${Date.now()}.${randomBytes(6).toString("hex")}`,
  }).toString();
}

export interface TestApp {
  url: string;
  eventsUrl: string;
  port: number;
  fake: FakeSlack;
  deps: AppDeps;
  slack: SlackApp;
  /** Posts `/alb <text>` signed; returns the HTTP ack and the response_url id its replies go to. */
  slash(text: string, options?: PostOptions & Partial<SlashFields>): Promise<PostResult & { hook: string }>;
  /** Posts an interactive payload (block_actions...) as `payload=<json>`. */
  action(payload: Record<string, unknown>, options?: PostOptions): Promise<PostResult>;
  /** Posts an Events API event_callback wrapping `event`. */
  event(event: Record<string, unknown>, options?: PostOptions & { eventId?: string }): Promise<PostResult>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  diagnose?: Diagnoser;
  store?: Store;
  aws?: AwsClients;
  env?: Record<string, string | undefined>;
  fake?: FakeSlack;
  logger?: Logger;
  now?: () => Date;
}

let hookCounter = 0;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fake = options.fake ?? (await startFakeSlack());
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    AWS_REGION: "us-east-1",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...options.env,
  });
  const store = options.store ?? createMemoryStore();
  // Unreachable by default (port 9, discard): tests that need AWS pass the simulator's clients.
  const aws =
    options.aws ??
    createAwsClients({
      region: config.AWS_REGION ?? "us-east-1",
      endpoint: config.AWS_ENDPOINT_URL ?? "http://127.0.0.1:9",
      credentials: SIMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });
  const deps: BotParts = {
    accounts: createAccounts({ file: config.ACCOUNTS_FILE, aws, credentials: SIMULATOR_CREDENTIALS }),
    config,
    logger: options.logger ?? createLogger(config.LOG_LEVEL),
    store,
    aws,
    diagnose:
      options.diagnose ??
      (async () => {
        throw new AlbDoctorError("internal", "this test app has no diagnoser");
      }),
    now: options.now ?? (() => new Date()),
  };
  const slack = assembleBot(deps);
  const { port } = await slack.start();
  const url = `http://127.0.0.1:${port}`;
  const eventsUrl = `${url}/slack/events`;
  return {
    url,
    eventsUrl,
    port: port!,
    fake,
    deps: slack.deps,
    slack,
    async slash(text, opts = {}) {
      const hook = `slash-${++hookCounter}`;
      const body = slashBody({ response_url: fake.responseUrl(hook), ...opts, text });
      const result = await postSigned(eventsUrl, body, "application/x-www-form-urlencoded", opts);
      return { ...result, hook };
    },
    action(payload, opts = {}) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return postSigned(eventsUrl, body, "application/x-www-form-urlencoded", opts);
    },
    event(event, opts = {}) {
      const body = JSON.stringify({
        token: "deprecated-verification-token",
        team_id: FAKE_TEAM.id,
        api_app_id: "A0ALBDOCTOR",
        type: "event_callback",
        event_id: opts.eventId ?? `Ev${randomBytes(5).toString("hex")}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: FAKE_TEAM.id, user_id: FAKE_TEAM.botUserId, is_bot: true }],
        event,
      });
      return postSigned(eventsUrl, body, "application/json", opts);
    },
    async close() {
      await slack.stop({ drainMs: 2000 });
      if (!options.aws) aws.destroy();
      if (!options.store) await store.close();
      if (!options.fake) await fake.close();
    },
  };
}
