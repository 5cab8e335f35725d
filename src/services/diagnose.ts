/**
 * The diagnosis service every surface calls (CLI, /alb check, triage, remediation's verify):
 * resolve the reference, collect the snapshot, run the checks, return the ranked report.
 */
import type { AwsCredentialIdentity } from "@smithy/types";
import { clientsForTarget } from "../accounts/index.ts";
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
  /** The own credentials, for a target in another region of the own account (undefined: the default chain). */
  credentials?: AwsCredentialIdentity;
  /** The log scanner for another account's clients; absent: such reports say the logs were not scanned. */
  scannerFor?: (aws: AwsClients) => LogScanner;
}

/**
 * The account's clock as AWS answers showed it: the SDK keeps the offset of their Date headers from this
 * machine's clock (to sign requests in AWS's time). Read from the load-balancing client, which every diagnosis calls.
 */
function accountClock(aws: AwsClients): Date | undefined {
  const offset = aws.elbv2.config.systemClockOffset;
  return typeof offset === "number" && Number.isFinite(offset) ? new Date(Date.now() + offset) : undefined;
}

export function createDiagnoser(deps: DiagnoserDeps): Diagnoser {
  return async (ref, options = {}) => {
    const startedAt = performance.now();
    const window = windowOf(options.window ?? deps.defaultWindow, options.end, deps.now());
    const target = options.target;
    // Another account or region: clients of its own for this one diagnosis.
    const own = !target || (!target.credentials && target.region === deps.aws.region);
    const aws = own ? deps.aws : clientsForTarget(target, deps.aws, deps.credentials);
    try {
      const { lb } = await resolveLoadBalancer(aws, ref);
      options.onResolved?.({ name: lb.LoadBalancerName, arn: lb.LoadBalancerArn });
      const scanLogs = own ? deps.scanLogs : deps.scannerFor?.(aws);
      const snapshot = await collectSnapshot(aws, lb, { window, scanLogs });
      const clock = {
        localNow: deps.now(),
        accountNow: accountClock(aws),
        endGiven: options.end !== undefined,
      };
      const report = buildReport(snapshot, { durationMs: performance.now() - startedAt, clock });
      return target ? { ...report, account: { id: target.id, alias: target.alias } } : report;
    } finally {
      if (!own) aws.destroy();
    }
  };
}
