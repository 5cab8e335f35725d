/**
 * The simulator's wire handlers, one per service. Each service module adds one line here.
 */
import type { ServiceHandler } from "../contract.ts";
import { cloudwatchHandler } from "./cloudwatch.ts";
import { ec2Handler } from "./ec2.ts";
import { elbv2Handler } from "./elbv2.ts";
import { s3Handler } from "./s3.ts";
import { stsHandler } from "./sts.ts";
import { cloudtrailHandler } from "./cloudtrail.ts";
import { autoscalingHandler } from "./autoscaling.ts";
import { ecsHandler } from "./ecs.ts";
import { athenaHandler } from "./athena.ts";

export const serviceHandlers: ServiceHandler[] = [
  elbv2Handler,
  stsHandler,
  ec2Handler,
  cloudwatchHandler,
  s3Handler,
  cloudtrailHandler,
  autoscalingHandler,
  ecsHandler,
  athenaHandler,
  // one line per service
];
