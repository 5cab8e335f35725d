/**
 * Each part of a collection (CHECK_PART_IDS) runs under this tracker: its time is measured, and an error
 * is captured as data (the failed action and the IAM permission it needs), so one failing API yields a
 * partial snapshot instead of a crash.
 */
import type { CheckPartId } from "../../domain/ids.ts";
import type { CheckRun } from "../../domain/report.ts";
import { isAlbDoctorError } from "../../domain/errors.ts";

export class PartTracker {
  private readonly runs = new Map<
    CheckPartId,
    { started: number; ended: number; errors: string[]; note?: string }
  >();

  /** Runs fn as (a piece of) a part; returns undefined when it failed. Never throws. */
  async run<T>(part: CheckPartId, fn: () => Promise<T>): Promise<T | undefined> {
    const rec = this.entry(part);
    const t0 = performance.now();
    try {
      return await fn();
    } catch (e) {
      rec.errors.push(describeError(e));
      return undefined;
    } finally {
      rec.ended = Math.max(rec.ended, performance.now());
      rec.started = Math.min(rec.started, t0);
    }
  }

  skip(part: CheckPartId, note: string): void {
    this.entry(part).note = note;
  }

  failed(part: CheckPartId): boolean {
    return (this.runs.get(part)?.errors.length ?? 0) > 0;
  }

  toCheckRuns(): CheckRun[] {
    return [...this.runs.entries()].map(([id, r]) => {
      const durationMs = r.ended >= r.started ? Math.round(r.ended - r.started) : 0;
      if (r.errors.length) {
        const unique = [...new Set(r.errors)];
        const error =
          unique.length > 3
            ? `${unique.slice(0, 3).join("; ")}; and ${unique.length - 3} more`
            : unique.join("; ");
        return { id, status: "error" as const, durationMs, error };
      }
      if (r.note && r.ended < r.started)
        return { id, status: "skipped" as const, durationMs: 0, note: r.note };
      return { id, status: "ok" as const, durationMs, ...(r.note ? { note: r.note } : {}) };
    });
  }

  private entry(part: CheckPartId) {
    let rec = this.runs.get(part);
    if (!rec) {
      rec = { started: Infinity, ended: -Infinity, errors: [] };
      this.runs.set(part, rec);
    }
    return rec;
  }
}

function describeError(e: unknown): string {
  if (isAlbDoctorError(e)) return e.message;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
