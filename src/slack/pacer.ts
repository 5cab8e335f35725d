/**
 * Slack's pace for posting: about one message per second per channel. Every post or edit in a channel
 * first reserves a time slot; slots are at least `intervalMs` apart. Slots live in the shared store
 * (a compare-and-set on the channel's next free time), so every bot replica keeps the same pace;
 * when the store cannot be reached the pacer falls back to this process's own slots.
 * A slot is a window: the call goes out at its start or not at all. A process that wakes up late (a busy
 * event loop) reserves a new slot rather than send at the same moment as the next slot's owner; slots are
 * a quarter interval longer than the interval, so calls never come closer than the interval itself.
 */
import type { Store } from "../store/store.ts";

export class ChannelPacer {
  private readonly local = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Waits for this channel's next slot, then runs fn. */
  async run<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const slot = await this.reserve(channel);
      const wait = slot - this.clock();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.clock() - slot <= this.slack || attempt >= 20) return fn();
    }
  }

  /** How late a call may still use its slot. */
  private get slack(): number {
    return Math.floor(this.intervalMs / 4);
  }

  /** Slots are spaced by the interval plus the lateness allowed within one. */
  private get spacing(): number {
    return this.intervalMs + this.slack;
  }

  /** Reserves the next free slot of the channel and returns its start (epoch ms). */
  async reserve(channel: string): Promise<number> {
    if (this.intervalMs <= 0) return this.clock();
    try {
      return await this.reserveShared(channel);
    } catch {
      return this.reserveLocal(channel);
    }
  }

  private async reserveShared(channel: string): Promise<number> {
    const key = `pace:${channel}`;
    const ttl = Math.max(60, Math.ceil((this.intervalMs * 10) / 1000));
    for (let attempt = 0; attempt < 200; attempt++) {
      const now = this.clock();
      const current = await this.store.get(key);
      if (current === null) {
        if (await this.store.setIfAbsent(key, String(now + this.spacing), ttl)) return now;
        continue;
      }
      const slot = Math.max(now, Number(current) || now);
      if (await this.store.compareAndSet(key, current, String(slot + this.spacing), ttl)) return slot;
    }
    throw new Error("pacer: too much contention on the channel slot");
  }

  private reserveLocal(channel: string): number {
    const now = this.clock();
    const slot = Math.max(now, this.local.get(channel) ?? now);
    this.local.set(channel, slot + this.spacing);
    return slot;
  }
}
