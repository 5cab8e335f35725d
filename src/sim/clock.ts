/**
 * The simulated account's clock, as AWS shows it in every response's Date header: the scenario's `now` when
 * it was loaded, running on from there. With --live that is the wall clock; without it, the recorded time.
 * A client that sets its window from its own clock can then notice, as against real AWS, that the account's
 * clock is elsewhere (a scenario served without --live), instead of reading an empty window as healthy.
 */
import type { World } from "./world.ts";

/** Per World: the `now` last seen and the wall time it was seen at (a reload or a test moving `now` restarts it). */
const basis = new WeakMap<World, { nowMs: number; atMs: number }>();

export function accountClock(world: World, wallMs = Date.now()): Date {
  const nowMs = world.now.getTime();
  let b = basis.get(world);
  if (!b || b.nowMs !== nowMs) {
    b = { nowMs, atMs: wallMs };
    basis.set(world, b);
  }
  return new Date(nowMs + Math.max(0, wallMs - b.atMs));
}
