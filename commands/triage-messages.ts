import type { App } from "@slack/bolt";
import { listAlbNames } from "../src/aws/list.ts";
import type { AppDeps } from "../src/slack/deps.ts";
import { ChannelPacer } from "../src/slack/pacer.ts";
import type { SlackMessageEvent } from "../src/triage/alarm.ts";
import { TriageService } from "../src/triage/service.ts";

/** Message events in watched channels: alarms about ALBs get a diagnosis in their thread (src/triage). */
export function register(app: App, deps: AppDeps): void {
  const triage = createTriage(deps);
  app.event("message", async ({ event, client, logger }) => {
    const outcome = await triage.handle(event as SlackMessageEvent, client).catch((e: unknown) => {
      logger.warn(`triage failed: ${e instanceof Error ? e.message : String(e)}`);
      return "ignored";
    });
    if (outcome !== "ignored" && outcome !== "not-watched") deps.logger.debug({ outcome }, "triage");
  });
}

function createTriage(deps: AppDeps): TriageService {
  let names: { at: number; list: Promise<string[]> } | undefined;
  return new TriageService({
    store: deps.store,
    diagnose: deps.diagnose,
    ...(deps.accounts ? { accounts: deps.accounts } : {}),
    pacer: new ChannelPacer(deps.store, deps.config.SLACK_POST_INTERVAL_MS),
    logger: deps.logger.child({ surface: "triage" }),
    now: deps.now,
    dedupeSeconds: deps.config.TRIAGE_DEDUPE_SECONDS,
    configuredChannels: deps.config.TRIAGE_CHANNELS,
    // ALB names change rarely; one listing serves five minutes of alarms.
    listAlbNames: () => {
      if (!names || Date.now() - names.at > 300_000) names = { at: Date.now(), list: listAlbNames(deps.aws) };
      return names.list;
    },
    track: (p) => (deps.work ? deps.work.track(p) : p),
  });
}
