import type { Check } from "../check.ts";
import { accessLogsCheck } from "./access-logs.ts";
import { healthCheckSettingsCheck } from "./health-check.ts";
import { targetHealthCheck } from "./health.ts";
import { idleTimeoutCheck } from "./idle-timeout.ts";
import { keepaliveCheck } from "./keepalive.ts";
import { securityGroupCheck } from "./security-groups.ts";

/** Every check the engine runs, in no particular order (the engine ranks the findings). */
export const ALL_CHECKS: readonly Check[] = [
  securityGroupCheck,
  keepaliveCheck,
  idleTimeoutCheck,
  targetHealthCheck,
  healthCheckSettingsCheck,
  accessLogsCheck,
];
