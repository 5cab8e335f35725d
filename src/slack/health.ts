/**
 * /healthz (liveness: the process answers) and /readyz (readiness: the store answers, AWS is reachable,
 * checked with sts:GetCallerIdentity under a short deadline, and Slack's auth.test succeeded; when it has not,
 * `slack.reason` says why and which variable to check). Readiness results are cached briefly so that
 * frequent probes do not turn into a stream of STS calls.
 */
import type { ServerResponse } from "node:http";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { CustomRoute } from "@slack/bolt";
import { withDeadline } from "./deadline.ts";
import type { SlackAuthState } from "./auth.ts";
import type { AppDeps } from "./deps.ts";

export interface Readiness {
  ok: boolean;
  store: { kind: string; ok: boolean; error?: string };
  aws: { region: string; ok: boolean; account?: string; error?: string };
  /** Absent when the caller has no Slack identity to report. */
  slack?: { ok: boolean; reason?: string };
}

const AWS_DEADLINE_MS = 2000;
const CACHE_MS = 5000;

export function healthRoutes(deps: AppDeps, slackAuth?: () => SlackAuthState): CustomRoute[] {
  let cached: { at: number; value: Readiness } | undefined;
  return [
    {
      path: "/healthz",
      method: ["GET", "HEAD"],
      handler: (_req, res) => json(res, 200, { ok: true }),
    },
    {
      path: "/readyz",
      method: ["GET", "HEAD"],
      handler: (_req, res) => {
        const fresh =
          cached && Date.now() - cached.at < CACHE_MS ? Promise.resolve(cached.value) : checkReadiness(deps);
        fresh.then(
          (checked) => {
            cached = { at: Date.now(), value: checked };
            // Slack's state is in memory: always the current one, never cached.
            const value = withSlack(checked, slackAuth?.());
            if (!value.ok) deps.logger.warn({ readiness: value }, "not ready");
            // The port faces the internet in HTTP mode: say what is down, not who the bot is.
            json(res, value.ok ? 200 : 503, {
              ok: value.ok,
              store: { kind: value.store.kind, ok: value.store.ok },
              aws: { region: value.aws.region, ok: value.aws.ok },
              // The reason is built from Slack's error code only (see auth.ts), so it names no secret or host.
              ...(value.slack ? { slack: value.slack } : {}),
            });
          },
          (e: unknown) => json(res, 503, { ok: false, error: e instanceof Error ? e.message : String(e) }),
        );
      },
    },
  ];
}

function withSlack(r: Readiness, s: SlackAuthState | undefined): Readiness {
  if (!s) return r;
  const slack = s.ok ? { ok: true } : { ok: false, reason: s.reason };
  return { ...r, slack, ok: r.ok && slack.ok };
}

export async function checkReadiness(deps: AppDeps): Promise<Readiness> {
  const { store, aws } = await checkStoreAndAws(deps);
  return { ok: store.ok && aws.ok, store, aws };
}

/** Store reachability and AWS identity, checked in parallel; also used by `/alb status`. */
export async function checkStoreAndAws(deps: AppDeps) {
  const [store, aws] = await Promise.all([storeReadiness(deps), awsReadiness(deps)]);
  return { store, aws };
}

async function storeReadiness(deps: AppDeps): Promise<Readiness["store"]> {
  try {
    await withDeadline(
      deps.store.ping(),
      AWS_DEADLINE_MS,
      () => new Error(`store ping took longer than ${AWS_DEADLINE_MS} ms`),
    );
    return { kind: deps.store.kind, ok: true };
  } catch (e) {
    return { kind: deps.store.kind, ok: false, error: message(e) };
  }
}

/** Who the bot is in AWS, or why it cannot tell. Also used by `/alb status`. */
export async function awsReadiness(
  deps: AppDeps,
  deadlineMs = AWS_DEADLINE_MS,
): Promise<Readiness["aws"] & { arn?: string }> {
  const region = deps.aws.region;
  try {
    const id = await deps.aws.sts.send(new GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(deadlineMs),
    });
    return { region, ok: true, account: id.Account, arn: id.Arn };
  } catch (e) {
    return { region, ok: false, error: message(e) };
  }
}

function message(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
