/**
 * The fleet scan: every ALB of the accounts and regions in scope, collected without access logs and ranked by
 * latent risk (risks.ts). A fixed number of ALBs is collected at once across the whole fleet (each ALB makes
 * about a dozen calls in its own rounds), and the clients retry throttled calls with backoff, so a large
 * fleet slows down under API rate limits instead of failing.
 */
import type { AwsClients } from "../aws/clients.ts";
import { collectSnapshot } from "../aws/collect/index.ts";
import { listAlbs } from "../aws/list.ts";
import { buildReport } from "../diagnose/engine.ts";
import { risksOf, scoreOf, type ScanRisk } from "./risks.ts";

export interface ScanScope {
  /** Account alias (absent without an accounts file). */
  alias?: string;
  region: string;
  clients: AwsClients;
}

export interface ScanEntry {
  account?: string;
  region: string;
  name: string;
  arn: string;
  score: number;
  risks: ScanRisk[];
  /** Parts that could not be read (the ranking may miss their risks). */
  errors: string[];
}

export interface ScanResult {
  entries: ScanEntry[];
  /** Scopes whose ALBs could not be listed. */
  failed: { account?: string; region: string; error: string }[];
  durationMs: number;
}

export interface ScanOptions {
  /** ALBs collected at once (default 8). */
  concurrency?: number;
  /** The end of the metrics window (the scenario clock under the simulator). */
  now: Date;
  /** How far back the metrics reach (default 24 h). */
  windowMs?: number;
}

export async function scanFleet(scopes: ScanScope[], options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const end = options.now;
  const window = { start: new Date(end.getTime() - (options.windowMs ?? 86_400_000)), end };
  const failed: ScanResult["failed"] = [];
  const listed = await Promise.all(
    scopes.map(async (scope) => {
      try {
        return (await listAlbs(scope.clients)).map((lb) => ({ scope, lb }));
      } catch (e) {
        failed.push({ account: scope.alias, region: scope.region, error: (e as Error).message });
        return [];
      }
    }),
  );
  const work = listed.flat();
  const entries: ScanEntry[] = [];
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { scope, lb } = work[next++];
      const sdkLb = lb as typeof lb & { LoadBalancerArn: string };
      const snapshot = await collectSnapshot(scope.clients, sdkLb, { window });
      const report = buildReport(snapshot, { durationMs: 0 });
      const risks = risksOf(snapshot, report);
      entries.push({
        ...(scope.alias ? { account: scope.alias } : {}),
        region: scope.region,
        name: lb.LoadBalancerName ?? "",
        arn: sdkLb.LoadBalancerArn,
        score: scoreOf(risks),
        risks,
        errors: snapshot.parts.filter((p) => p.status === "error").map((p) => p.error ?? p.id),
      });
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 8, work.length));
  await Promise.all(Array.from({ length: n }, worker));
  entries.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return { entries, failed, durationMs: performance.now() - started };
}
