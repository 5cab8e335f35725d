/**
 * set-idle-timeout: ModifyLoadBalancerAttributes idle_timeout.timeout_seconds. Lowering it below what requests
 * need turns slow requests into 504s, so the plan compares the new value with the window's observed
 * TargetResponseTime (Maximum and p99) and blocks unless the approver overrides `lower-idle-timeout`; it also
 * weighs what the diagnosis saw in the access logs (WebSockets and long requests it would cut). Raising it
 * after requests were cut at the current timeout cannot be sized from their durations (they are censored at
 * the timeout): the plan says so.
 */
import type { AwsClients } from "../../aws/clients.ts";
import { AlbDoctorError } from "../../domain/errors.ts";
import { observedDurations, type ObservedDurations, readLoadBalancerAttributes } from "../aws.ts";
import { defineFix, type PlanContext, type PlanProposal, type PlanTarget } from "../fix-module.ts";
import type { AwsCall, Risk, Settings } from "../plan.ts";
import type { FixOffer } from "../offers.ts";
import { integerIn, lbNameOf, modifyAttributesCalls, offerValue, requireValue } from "./common.ts";

export const IDLE_TIMEOUT = "idle_timeout.timeout_seconds";
export const LOWER_IDLE_TIMEOUT = "lower-idle-timeout";

const callsFor = (plan: PlanTarget, before: Settings, after: Settings): AwsCall[] =>
  modifyAttributesCalls("load-balancer", plan.resource, [IDLE_TIMEOUT], before, after);

const readSettings = async (clients: AwsClients, arn: string): Promise<Record<string, string>> => {
  const attrs = await readLoadBalancerAttributes(clients, arn);
  return { [IDLE_TIMEOUT]: attrs[IDLE_TIMEOUT] ?? "60" };
};

export const setIdleTimeout = defineFix({
  id: "set-idle-timeout",
  async plan(ctx: PlanContext): Promise<PlanProposal> {
    const arn = ctx.offer.loadBalancer.arn;
    const proposed = integerIn(
      requireValue(ctx.offer, "idleTimeoutSeconds", IDLE_TIMEOUT),
      1,
      4000,
      IDLE_TIMEOUT,
    );
    const before = await readSettings(ctx.clients, arn);
    const current = before[IDLE_TIMEOUT];
    let risks: Risk[] = [];
    if (proposed < Number(current)) {
      let observed = ctx.observed;
      let readError: string | undefined;
      if (!observed) {
        try {
          observed = await observedDurations(ctx.clients, arn, ctx.offer.window);
        } catch (e) {
          readError = e instanceof AlbDoctorError ? e.message : String(e);
        }
      }
      risks = [...idleTimeoutRisks(proposed, observed, readError), ...loweringBreaks(ctx.offer, proposed)];
    } else if (proposed > Number(current)) {
      risks.push({
        id: "backend-keepalive",
        level: "warn",
        message: `Backend keep-alive timeouts must stay above ${proposed} s, or targets close idle connections first (502s).`,
        overridable: false,
      });
      const censored = censoringRisk(ctx.offer, proposed);
      if (censored) risks.push(censored);
    }
    const after = { [IDLE_TIMEOUT]: String(proposed) };
    const target = { resource: arn, loadBalancer: ctx.offer.loadBalancer, data: {} };
    const calls = callsFor(target, before, after);
    return {
      resource: arn,
      resources: [arn],
      calls,
      before,
      after,
      summary: `${IDLE_TIMEOUT} ${current} -> ${proposed} on ${lbNameOf(arn)}`,
      risks,
      multiResource: false,
      data: {},
    };
  },
  readCurrent: (clients, plan) => readSettings(clients, plan.resource),
  callsFor,
});

/** The risk check of lowering the idle timeout, pure so it is easy to test. */
export function idleTimeoutRisks(
  proposed: number,
  observed: ObservedDurations | undefined,
  readError?: string,
): Risk[] {
  const override = `approve with \`/alb fix PLAN_ID --override ${LOWER_IDLE_TIMEOUT}\` to accept`;
  if (!observed || (observed.maxSeconds === null && observed.p99Seconds === null)) {
    return [
      {
        id: LOWER_IDLE_TIMEOUT,
        level: "block",
        message: `Request durations of the window are unknown (${readError ?? "no TargetResponseTime data"}); lowering the idle timeout to ${proposed} s could cut slow requests (504). Check them, or ${override}.`,
        overridable: true,
      },
    ];
  }
  const { maxSeconds, p99Seconds } = observed;
  const seen = `max ${fmt(maxSeconds)}, p99 ${fmt(p99Seconds)}`;
  if ((maxSeconds ?? 0) >= proposed || (p99Seconds ?? 0) >= proposed) {
    return [
      {
        id: LOWER_IDLE_TIMEOUT,
        level: "block",
        message: `Requests in the window ran longer than ${proposed} s (${seen}): with this idle timeout they would end in 504s. ${override[0].toUpperCase()}${override.slice(1)}.`,
        overridable: true,
      },
    ];
  }
  if ((maxSeconds ?? 0) >= proposed * 0.5) {
    return [
      {
        id: "idle-timeout-headroom",
        level: "warn",
        message: `Little headroom: the slowest request took ${fmt(maxSeconds)} against a new idle timeout of ${proposed} s.`,
        overridable: false,
      },
    ];
  }
  return [
    {
      id: "observed-durations",
      level: "ok",
      message: `Observed TargetResponseTime (${seen}) stays well under ${proposed} s.`,
      overridable: false,
    },
  ];
}

/** A finite number parameter of the offer, or null (the offer's params are data, never trusted as more). */
function numberParam(offer: FixOffer, name: string): number | null {
  const v = Number(offerValue(offer, name));
  return Number.isFinite(v) && v >= 0 ? v : null;
}

/** What the diagnosis saw in the logs that a lower idle timeout would cut: WebSockets, long requests. */
export function loweringBreaks(offer: FixOffer, proposed: number): Risk[] {
  const risks: Risk[] = [];
  const ws = numberParam(offer, "webSocketConnections");
  const wsMax = numberParam(offer, "webSocketMaxSeconds");
  if (ws && wsMax !== null && wsMax >= proposed) {
    risks.push({
      id: LOWER_IDLE_TIMEOUT,
      level: "block",
      message: `The access logs hold ${ws} WebSocket connections (up to ${fmt(wsMax)}): an idle timeout of ${proposed} s closes every one that is quiet for ${proposed} s. Add an application ping first, or approve with \`--override ${LOWER_IDLE_TIMEOUT}\`.`,
      overridable: true,
    });
  }
  const slow = offerValue(offer, "slowPaths");
  if (slow) {
    risks.push({
      id: "slow-endpoints",
      level: "warn",
      message: `Paths with requests longer than ${proposed} s in the window (long polls, exports, reports) would end in 504s: ${slow.slice(0, 300)}.`,
      overridable: false,
    });
  }
  return risks;
}

/** Raising after requests were cut at the current timeout: the new value is a step, not a measured size. */
export function censoringRisk(offer: FixOffer, proposed: number): Risk | null {
  const at = numberParam(offer, "censoredAtSeconds");
  if (at === null) return null;
  const cut = numberParam(offer, "cutRequests");
  return {
    id: "censored-durations",
    level: "warn",
    message: `${cut ? `${cut} requests were` : "Requests were"} cut at the ${at} s idle timeout, so their real durations are unknown: ${proposed} s is not sized from them and may still be too short (or longer than needed). Watch HTTPCode_ELB_504_Count after the change; the slow endpoints' own logs tell what they need.`,
    overridable: false,
  };
}

function fmt(s: number | null): string {
  return s === null ? "n/a" : `${Number(s.toFixed(3))} s`;
}
