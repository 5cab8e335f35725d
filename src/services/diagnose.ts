/**
 * The diagnosis service every surface calls (CLI, /alb check, triage, remediation's verify):
 * resolve the reference, collect the snapshot, run the checks, return the ranked report.
 */
import type { AwsClients } from "../aws/clients.ts";
import { collectSnapshot, type LogScanner } from "../aws/collect/index.ts";
import { resolveLoadBalancer } from "../aws/resolve.ts";
import { buildReport } from "../diagnose/engine.ts";
import { windowOf } from "../domain/window.ts";
import type { Diagnoser } from "./types.ts";

export interface DiagnoserDeps {
  aws: AwsClients;
  /** The access-log scanner; absent: the report says the logs were not scanned. */
  scanLogs?: LogScanner;
  /** The clock that ends the default window (the scenario clock under the simulator). */
  now: () => Date;
  defaultWindow: string;
}

export function createDiagnoser(deps: DiagnoserDeps): Diagnoser {
  return async (ref, options = {}) => {
    const startedAt = performance.now();
    const window = windowOf(options.window ?? deps.defaultWindow, options.end, deps.now());
    const { lb } = await resolveLoadBalancer(deps.aws, ref);
    options.onResolved?.({ name: lb.LoadBalancerName, arn: lb.LoadBalancerArn });
    const snapshot = await collectSnapshot(deps.aws, lb, { window, scanLogs: deps.scanLogs });
    return buildReport(snapshot, { durationMs: performance.now() - startedAt });
  };
}
