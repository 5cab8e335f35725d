/**
 * Where `--scenario NAME` and `alb-doctor scenarios` look: the scenarios shipped in the package. A module of
 * its own so that reading the default costs no simulator or SDK load (`--help` shows it).
 */
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { packagePath } from "../package-root.ts";

/** The scenarios shipped in the package (found from its root: compiled, this module is in dist/). */
export const SCENARIOS_DIR = packagePath("scenarios") + sep;

/** `--scenario keepalive-race` means the shipped scenarios/keepalive-race.yaml when no such file is here. */
export function scenarioFile(given: string): string {
  if (existsSync(given) || /[\\/]|\.(ya?ml|json)$/i.test(given)) return given;
  const shipped = `${SCENARIOS_DIR}${given}.yaml`;
  return existsSync(shipped) ? shipped : given;
}
