import type { Check } from "../check.ts";
import { accessLogsCheck } from "./access-logs.ts";
import { clientClosedCheck } from "./client-closed.ts";
import { drainingCheck } from "./draining.ts";
import { healthCheckMisconfiguredCheck } from "./health-check.ts";
import { healthCheckTooSlowCheck } from "./health-check-too-slow.ts";
import { targetHealthCheck } from "./health.ts";
import { idleTimeoutCheck } from "./idle-timeout.ts";
import { keepaliveCheck } from "./keepalive.ts";
import { lambdaCheck } from "./lambda.ts";
import { malformedCheck } from "./malformed.ts";
import { networkAclCheck } from "./network-acls.ts";
import { overloadCheck } from "./overload.ts";
import { protocolMismatchCheck } from "./protocol-mismatch.ts";
import { securityGroupCheck } from "./security-groups.ts";
import { target5xxCheck } from "./target-5xx.ts";
import { tlsCheck } from "./tls.ts";
import { websocketCheck } from "./websocket.ts";

/** Every check the engine runs, in no particular order (the engine ranks the findings). */
export const ALL_CHECKS: readonly Check[] = [
  securityGroupCheck,
  networkAclCheck,
  keepaliveCheck,
  idleTimeoutCheck,
  targetHealthCheck,
  healthCheckMisconfiguredCheck,
  healthCheckTooSlowCheck,
  drainingCheck,
  tlsCheck,
  overloadCheck,
  target5xxCheck,
  malformedCheck,
  lambdaCheck,
  clientClosedCheck,
  protocolMismatchCheck,
  accessLogsCheck,
  websocketCheck,
];
