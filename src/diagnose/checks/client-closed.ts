/**
 * client-closed-early: clients give up before the response (460, alb-facts §3) because the backend is slower than
 * their own timeout. Evidence: 460s in the logs together with long target processing times. Never a 5xx cause,
 * so at most a warning.
 *
 * Confidence: 0.5, + 0.2 when the p99 of target processing time is 3 s or more, + 0.1 when three paths or fewer
 * hold 70% of the 460s.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import { confidence } from "../evidence/confidence.ts";
import { classCount, listFew, pct, secs, statusCount, topByClass, usableLogs } from "../evidence/logs.ts";
import { p99Seconds } from "../evidence/latency.ts";

const LONG_P99_SECONDS = 3;
const MIN_460 = 5;

export const clientClosedCheck: Check = {
  name: "client-closed",
  run: (s): Finding[] => {
    const logs = usableLogs(s);
    if (!logs) return [];
    const n = Math.max(classCount(logs, "client-closed"), statusCount(logs, "460"));
    if (n < MIN_460) return [];
    const p99 = p99Seconds(s);
    const max = logs.latency.targetProcessing.max;
    const long = (p99 !== null && p99 >= LONG_P99_SECONDS) || (max !== null && max >= 2 * LONG_P99_SECONDS);
    if (!long) return [];
    const requests = logs.lines.inWindow;
    const evidence: Evidence[] = [
      {
        source: "access-logs",
        detail: `${n} requests ended with 460 (${pct(n, requests)} of ${requests}): the client closed the connection first, while target_processing_time reaches p99 ${p99 === null ? "n/a" : secs(p99)}, max ${max === null ? "n/a" : secs(max)}`,
      },
    ];
    let c = 0.5 + (p99 !== null && p99 >= LONG_P99_SECONDS ? 0.2 : 0);
    const paths = topByClass(logs.byPath, "client-closed");
    if (paths.length) {
      const top = paths.slice(0, 3);
      if (top.reduce((a, p) => a + p.count, 0) >= 0.7 * n) c += 0.1;
      evidence.push({
        source: "access-logs",
        detail: `mostly on ${listFew(top.map((p) => `${p.key} (${p.count})`))}`,
      });
    }
    evidence.push({
      source: "access-logs",
      detail: "make those endpoints faster, or raise the client's timeout above the backend latency",
    });
    const rate = requests > 0 ? n / requests : 0;
    return [
      {
        id: "client-closed-early",
        severity: n >= 20 || rate >= 0.001 ? "warning" : "info",
        confidence: confidence(c, 0.85),
        title: "Clients give up before the targets answer (460)",
        evidence,
        resources: [s.loadBalancer.arn],
        fixes: [],
      },
    ];
  },
};
