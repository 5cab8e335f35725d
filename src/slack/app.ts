/**
 * The Bolt app: HTTP mode (signing secret, Bolt's /slack/events endpoint on PORT, plus /healthz and /readyz)
 * or Socket Mode when SLACK_APP_TOKEN is set (health routes then on a small HTTP server on PORT).
 * SLACK_API_URL points every Web API call (and apps.connections.open) at another base URL.
 * In HTTP mode every request to /slack/events passes the request guard first (bounded body, signature,
 * timestamp window both ways, a JSON-object body). The bot's identity comes from SlackAuth, which retries
 * auth.test in the background instead of letting a failed one end the process.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from "@slack/bolt";
import type { CustomRoute } from "@slack/bolt";
import type { Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "pino";
import type { Accounts } from "../accounts/index.ts";
import { requireSlack } from "../config.ts";
import type { AppDeps } from "./deps.ts";
import { healthRoutes } from "./health.ts";
import { SlackAuth, type SlackAuthState } from "./auth.ts";
import { guardRequests } from "./request-guard.ts";
import { type Reconciler, startReconciler } from "./reconciler.ts";
import { Work } from "./work.ts";
import { slackClientOptions } from "./web-client.ts";

/** The one path Slack posts to (commands, interactions and events). */
const EVENTS_PATH = "/slack/events";

export interface SlackApp {
  app: App;
  /** The reconciler of interrupted executions (running once started). */
  readonly reconciler: Reconciler | undefined;
  deps: AppDeps & { work: Work; accounts: Accounts };
  /** Whether auth.test succeeded, or why not (also on /readyz). */
  slackAuth(): SlackAuthState;
  /** Starts listening; resolves with the HTTP port (Bolt's endpoint in HTTP mode, health in Socket Mode). */
  start(): Promise<{ port: number | undefined; mode: "http" | "socket" }>;
  /** Stops accepting, waits for in-flight work (at most drainMs), then stops the receiver. */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** A Slack surface: adds its listeners to the app (commands/ holds them; the entry point picks them). */
export type Registrar = (app: App, deps: AppDeps & { work: Work; accounts: Accounts }) => void;

export function createSlackApp(input: AppDeps & { accounts: Accounts }, register: Registrar): SlackApp {
  const deps = { ...input, work: input.work ?? new Work() };
  const { config } = deps;
  requireSlack(config);
  const logger = boltLogger(deps.logger.child({ component: "bolt" }));
  const clientOptions = slackClientOptions(config);
  const auth = new SlackAuth({
    token: config.SLACK_BOT_TOKEN,
    // Called only once started, when `app` exists; the app's client has the retries configured above.
    authTest: (token) => app.client.auth.test({ token }),
    logger: deps.logger.child({ component: "slack-auth" }),
  });
  const customRoutes: CustomRoute[] = healthRoutes(deps, () => auth.state);
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN!,
        logger,
        customRoutes,
        installerOptions: { port: config.PORT, clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET!,
        port: config.PORT,
        endpoints: [EVENTS_PATH],
        customRoutes,
        logger,
        // Ack within Slack's 3 s even if a listener forgot to: Bolt then answers on its own.
        unhandledRequestTimeoutMillis: 2900,
      });
  if (receiver instanceof HTTPReceiver) {
    receiver.requestListener = guardRequests(receiver.requestListener, {
      signingSecret: config.SLACK_SIGNING_SECRET!,
      endpoints: [EVENTS_PATH],
      logger: deps.logger.child({ component: "request-guard" }),
    });
  }
  const app: App = new App({
    // The identity comes from SlackAuth (not `token`, whose auth.test Bolt runs unawaited in the constructor).
    authorize: () => auth.authorize(),
    receiver,
    logger,
    clientOptions,
    // No conversation store: the bot keeps no per-conversation state in Bolt (one less middleware per request).
    convoStore: false,
    ...(socketMode ? { socketMode: true, appToken: config.SLACK_APP_TOKEN } : {}),
  });
  app.error(async (e) => {
    deps.logger.error({ err: { message: e.message, code: e.code } }, "unhandled error in a Slack listener");
  });
  register(app, deps);

  let server: Server | undefined;
  let reconciler: Reconciler | undefined;
  // Executions a stopped replica left behind (or this one, before a restart): once at start, then periodically.
  const startReconciling = () => {
    reconciler = startReconciler({
      flow: deps.approvals,
      client: app.client,
      intervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
      logger: deps.logger.child({ component: "reconciler" }),
    });
  };
  return {
    app,
    deps,
    slackAuth: () => auth.state,
    get reconciler() {
      return reconciler;
    },
    async start() {
      auth.start();
      if (socketMode) {
        await app.start();
        server = (receiver as unknown as { httpServer?: Server }).httpServer;
        if (server && !server.listening) await once(server, "listening");
        const port = server ? (server.address() as AddressInfo).port : undefined;
        deps.logger.info(
          { mode: "socket", healthPort: port },
          "alb-doctor connected to Slack in Socket Mode",
        );
        startReconciling();
        return { port, mode: "socket" as const };
      }
      server = (await app.start(config.PORT)) as Server;
      const port = (server.address() as AddressInfo).port;
      deps.logger.info({ mode: "http", port }, "alb-doctor listening for Slack on /slack/events");
      startReconciling();
      return { port, mode: "http" as const };
    },
    async stop(options = {}) {
      await reconciler?.stop();
      const finished = await deps.work.drain(options.drainMs ?? 20_000);
      if (!finished) deps.logger.warn({ left: deps.work.size }, "stopping with diagnoses still running");
      auth.stop();
      await app.stop();
      deps.accounts.close();
    },
  };
}

/** Bolt's logger interface on top of pino (so that Bolt's own logs are structured and redacted too). */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  // Bolt logs several debug lines per request: format them only when they will be written.
  const at =
    (name: "debug" | "info" | "warn" | "error") =>
    (...m: unknown[]) => {
      if (log.isLevelEnabled(name)) log[name](m.map(String).join(" "));
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
