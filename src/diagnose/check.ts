import type { Finding } from "../domain/report.ts";
import type { Snapshot } from "../domain/snapshot.ts";

/**
 * A check: a pure function from the Snapshot to findings. It never calls AWS, reads only the snapshot,
 * and returns [] when its evidence is missing (the engine reports missing parts separately).
 */
export interface Check {
  /** The family name, e.g. "security-groups", "keepalive". */
  name: string;
  run(snapshot: Snapshot): Finding[];
}
