import type { TargetAccount } from "../accounts/index.ts";
import type { Report } from "../domain/report.ts";

export interface DiagnoseOptions {
  /** Window length such as "1h", "30m" (default from config, 1h). */
  window?: string;
  /** Window end (ISO); default now (the scenario clock under the simulator). */
  end?: string;
  /** Called once the load balancer reference resolved, before the slow parts (for progress messages). */
  onResolved?: (lb: { name: string; arn: string }) => void;
  /** The account and region to diagnose in (from the accounts file); absent: the diagnoser's own clients. */
  target?: TargetAccount;
}

/**
 * Resolve a reference (name, ARN, app/NAME/ID, DNS name), collect the snapshot, run the checks, return the report.
 * Throws AlbDoctorError: "not-found" (details.suggestions: closest names), "malformed-arn", "wrong-region",
 * "wrong-account", "access-denied" (when even the load balancer cannot be read), "usage" (bad window).
 */
export type Diagnoser = (ref: string, options?: DiagnoseOptions) => Promise<Report>;
