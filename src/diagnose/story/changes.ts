/**
 * The changes in the report: nearest to the onset first, and tied (`relatedTo`) to the findings they explain.
 * A change is tied to a finding when it touched a resource the finding names and came shortly before the
 * errors began (TIE_BEFORE_MS) or just after (TIE_AFTER_MS, the event time and the first failing minute
 * straddle); changes on other resources, or far from the onset, are listed but tied to nothing.
 */
import type { Change, Finding, Onset } from "../../domain/report.ts";

const TIE_BEFORE_MS = 60 * 60_000;
const TIE_AFTER_MS = 5 * 60_000;
const MAX_CHANGES = 50;

/** "arn:...:targetgroup/api/abc" names the same thing as "targetgroup/api/abc" or "api". */
function sameResource(a: string, b: string): boolean {
  if (a === b) return true;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return (
    short.length >= 3 &&
    (long.endsWith(`/${short}`) || long.endsWith(`:${short}`) || long.includes(`/${short}/`))
  );
}

export function tieChanges(
  changes: Change[],
  findings: Finding[],
  onset: Onset | undefined,
  windowEnd: string,
): { changes: Change[]; findings: Finding[] } {
  const anchor = Date.parse(onset?.start ?? windowEnd);
  const sorted = [...changes]
    .sort((a, b) => Math.abs(Date.parse(a.time) - anchor) - Math.abs(Date.parse(b.time) - anchor))
    .slice(0, MAX_CHANGES)
    .map((c) => ({ ...c, relatedTo: [] as string[] }));
  const out = findings.map((f) => ({ ...f }));
  if (onset) {
    sorted.forEach((c, i) => {
      const dt = Date.parse(c.time) - anchor;
      if (dt < -TIE_BEFORE_MS || dt > TIE_AFTER_MS) return;
      for (const f of out) {
        if (f.severity === "info") continue;
        if (!c.resources.some((r) => f.resources.some((fr) => sameResource(r, fr)))) continue;
        c.relatedTo.push(f.id);
        f.changes = [...(f.changes ?? []), i];
        const who = c.actor ? ` by ${c.actor}` : "";
        f.evidence = [
          ...f.evidence,
          { source: "changes", detail: `${c.time} ${c.event}${who}: ${c.summary}` },
        ];
      }
    });
  }
  return {
    changes: sorted.map(({ relatedTo, ...c }) => (relatedTo.length ? { ...c, relatedTo } : c)),
    findings: out,
  };
}
