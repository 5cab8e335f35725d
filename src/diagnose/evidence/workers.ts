/**
 * Worker starvation in the access logs (alb-facts §10, "app-server worker pools"): an app server with a few
 * workers (Gunicorn's sync workers serve one connection each) lets requests queue for a free worker, so the
 * same request answers in milliseconds or after 20-30 s, on every path, and the ALB's 502/504s pile up at the
 * server's worker timeout (Gunicorn 30 s) where it kills a stuck worker. Load does not drive it: idle
 * connections held open tie up the workers at any traffic.
 */
import type { LogSummary } from "../../domain/log-summary.ts";
import { CONNECT_TIMEOUT_SECONDS, idleTolerance } from "../../logs/classify.ts";

/** An answered request this slow counts as slow (the analyzer's SLOW_SECONDS). */
export const SLOW_ANSWER_SECONDS = 5;
/** Paths with fewer answered requests say nothing about their own spread. */
const MIN_PATH_ANSWERS = 20;
/** A backend timeout below this is indistinguishable from slow answers and the ALB's 10 s connect timeout. */
const MIN_TIMEOUT_SECONDS = 12;

export interface TimeoutPile {
  /** The whole second the pile centres on, and the 502/504s within a second of it. */
  seconds: number;
  count: number;
  byStatus: Record<string, number>;
}

export interface Starvation {
  pathsWithSlow: number;
  pathsConsidered: number;
  slow: number;
  answered: number;
  /** Mean target time of the fast answers (seconds), when it can be told. */
  fastMeanSeconds: number | null;
  pile: TimeoutPile | null;
}

/**
 * ELB 502/504s that pile up at one duration (within a second) that is neither the idle timeout nor the
 * connect timeout: a timeout behind the ALB. Null without at least 3 such rows making half the long ones.
 */
export function timeoutPile(logs: LogSummary): TimeoutPile | null {
  const idle = logs.assumptions.idleTimeoutSeconds;
  const tol = idleTolerance({ idleTimeoutSeconds: idle });
  const perSecond = new Map<number, Record<string, number>>();
  let long = 0;
  for (const [status, secs] of Object.entries(logs.elbErrorSeconds ?? {})) {
    for (const [sec, n] of Object.entries(secs)) {
      const t = Number(sec);
      if (t < MIN_TIMEOUT_SECONDS || Math.abs(t - idle) <= tol + 1) continue;
      if (Math.abs(t - CONNECT_TIMEOUT_SECONDS) <= 1) continue;
      long += n;
      const m = perSecond.get(t) ?? {};
      m[status] = (m[status] ?? 0) + n;
      perSecond.set(t, m);
    }
  }
  let best: TimeoutPile | null = null;
  for (const t of perSecond.keys()) {
    const byStatus: Record<string, number> = {};
    for (const u of [t - 1, t, t + 1]) {
      for (const [st, n] of Object.entries(perSecond.get(u) ?? {})) byStatus[st] = (byStatus[st] ?? 0) + n;
    }
    const count = Object.values(byStatus).reduce((a, n) => a + n, 0);
    if (!best || count > best.count) best = { seconds: t, count, byStatus };
  }
  return best && best.count >= 3 && best.count >= 0.5 * long ? best : null;
}

/** Slow answers on most paths, with a timeout pile-up; null when the logs do not show it. */
export function starvationOf(logs: LogSummary): Starvation | null {
  let pathsConsidered = 0;
  let pathsWithSlow = 0;
  let slow = 0;
  let answered = 0;
  let fastSeconds = 0;
  for (const [path, b] of Object.entries(logs.byPath)) {
    const a = b.answered;
    if (path === "(other)" || !a || a.count < MIN_PATH_ANSWERS) continue;
    pathsConsidered++;
    slow += a.slow;
    answered += a.count;
    // Bimodal: some answers slow, most of them fast (a slow endpoint is slow nearly every time).
    if (a.slow >= 1 && a.slow / a.count >= 0.005 && a.slow / a.count <= 0.6) pathsWithSlow++;
    // Slow answers took at least SLOW_ANSWER_SECONDS: what is left of the sum bounds the fast ones' mean.
    fastSeconds += Math.max(0, a.meanSeconds * a.count - a.slow * SLOW_ANSWER_SECONDS);
  }
  const pile = timeoutPile(logs);
  if (pathsConsidered < 3 || pathsWithSlow < 0.6 * pathsConsidered || !pile) return null;
  const fast = answered - slow;
  return {
    pathsWithSlow,
    pathsConsidered,
    slow,
    answered,
    fastMeanSeconds: fast > 0 ? fastSeconds / fast : null,
    pile,
  };
}
