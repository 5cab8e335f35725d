/** The automated fixes by id. */
import { AlbDoctorError } from "../domain/errors.ts";
import type { FixId } from "../domain/ids.ts";
import type { FixModule } from "./fix-module.ts";
import { allowAlbToTarget } from "./fixes/allow-alb-to-target.ts";
import { enableAccessLogs } from "./fixes/enable-access-logs.ts";
import { fixHealthCheck } from "./fixes/fix-health-check.ts";
import { setDeregistrationDelay } from "./fixes/set-deregistration-delay.ts";
import { setIdleTimeout } from "./fixes/set-idle-timeout.ts";

export const FIX_MODULES: Partial<Record<FixId, FixModule>> = {
  "set-idle-timeout": setIdleTimeout,
  "allow-alb-to-target": allowAlbToTarget,
  "fix-health-check": fixHealthCheck,
  "set-deregistration-delay": setDeregistrationDelay,
  "enable-access-logs": enableAccessLogs,
};

export function fixModule(id: FixId): FixModule {
  const module = FIX_MODULES[id];
  if (!module) throw new AlbDoctorError("usage", `${id} is guidance, not an automated fix`);
  return module;
}
