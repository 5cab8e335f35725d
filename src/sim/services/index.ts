/**
 * The simulator's wire handlers, one per service. Each service module adds one line here.
 */
import type { ServiceHandler } from "../contract.ts";
import { stsHandler } from "./sts.ts";

export const serviceHandlers: ServiceHandler[] = [
  stsHandler,
  // one line per service
];
