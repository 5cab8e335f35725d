/**
 * The ELBv2 Modify actions, validated the way AWS validates them (all-or-nothing: a refused call changes
 * nothing), then applied to the World so later Describe calls see the change.
 */
import { SimError } from "../contract.ts";
import type { BucketW, World } from "../world.ts";
import { attributeProblemMessage, checkAttribute, LAMBDA_TG_ATTRIBUTE_DEFAULTS } from "../elb-attributes.ts";
import { checkHealthCheck, HEALTH_CHECK_RANGES, type HealthCheckSettings } from "../health-check.ts";
import {
  qBool,
  qInt,
  qKeyValues,
  qObject,
  qRequiredString,
  qString,
  type QueryParams,
} from "../wire/query.ts";
import { attributesShape, findLb, findTg, targetGroupShape } from "./elbv2-shapes.ts";

function attributeChanges(params: QueryParams): { Key: string; Value: string }[] {
  const changes = qKeyValues(params.Attributes, "Attributes");
  if (changes.length === 0) {
    throw new SimError(
      "ValidationError",
      "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null",
    );
  }
  return changes.map((c) => ({ Key: c.Key, Value: c.Value ?? "" }));
}

/** Does the bucket policy let ELB deliver logs (the service principal or an ELB account root, s3:PutObject)? */
export function policyAllowsElbDelivery(bucket: BucketW): boolean {
  if (!bucket.Policy) return false;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(bucket.Policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.some((st: unknown) => {
    const s = st as { Effect?: string; Action?: unknown; Principal?: unknown };
    const actions = ([] as unknown[]).concat(s?.Action ?? []).map(String);
    const principal = JSON.stringify(s?.Principal ?? "");
    return (
      s?.Effect === "Allow" &&
      actions.some((a) => a === "s3:PutObject" || a === "s3:*" || a === "*") &&
      (principal.includes("logdelivery.elasticloadbalancing.amazonaws.com") ||
        /arn:aws[a-z-]*:iam::\d{12}:root/.test(principal))
    );
  });
}

export function modifyLoadBalancerAttributes(params: QueryParams, world: World) {
  const lb = findLb(world, qRequiredString(params.LoadBalancerArn, "LoadBalancerArn"));
  const changes = attributeChanges(params);
  for (const c of changes) {
    const p = checkAttribute("load-balancer", c.Key, c.Value);
    if (p) throw new SimError("ValidationError", attributeProblemMessage("load-balancer", p));
  }
  const next = { ...lb.Attributes };
  for (const c of changes) next[c.Key] = c.Value;
  for (const kind of ["access_logs", "connection_logs", "health_check_logs"]) {
    if (next[`${kind}.s3.enabled`] !== "true") continue;
    const name = next[`${kind}.s3.bucket`];
    if (!name)
      throw new SimError(
        "ValidationError",
        `The value of '${kind}.s3.bucket' cannot be empty when ${kind}.s3.enabled is true`,
      );
    const bucket = world.buckets.get(name);
    // Only a change that (re)enables logging or moves it is checked, as AWS checks on modification.
    const touched = changes.some((c) => c.Key.startsWith(`${kind}.s3.`));
    if (touched && !bucket)
      throw new SimError("InvalidConfigurationRequest", `The specified bucket does not exist: ${name}`);
    if (touched && bucket && !policyAllowsElbDelivery(bucket)) {
      throw new SimError(
        "InvalidConfigurationRequest",
        `Access Denied for bucket: ${name}. Please check S3bucket permission`,
      );
    }
  }
  lb.Attributes = next;
  return { Attributes: attributesShape(lb.Attributes) };
}

export function modifyTargetGroupAttributes(params: QueryParams, world: World) {
  const tg = findTg(world, qRequiredString(params.TargetGroupArn, "TargetGroupArn"));
  const changes = attributeChanges(params);
  const lambda = tg.TargetType === "lambda";
  for (const c of changes) {
    const forLambda = c.Key in LAMBDA_TG_ATTRIBUTE_DEFAULTS;
    if (forLambda !== lambda) {
      throw new SimError(
        "InvalidConfigurationRequest",
        `Target group attribute key '${c.Key}' is not supported for target groups with target type '${tg.TargetType}'`,
      );
    }
    const p = checkAttribute("target-group", c.Key, c.Value);
    if (p) throw new SimError("ValidationError", attributeProblemMessage("target-group", p));
  }
  for (const c of changes) tg.Attributes[c.Key] = c.Value;
  return { Attributes: attributesShape(tg.Attributes) };
}

export function modifyTargetGroup(params: QueryParams, world: World) {
  const tg = findTg(world, qRequiredString(params.TargetGroupArn, "TargetGroupArn"));
  const next: HealthCheckSettings = {
    HealthCheckEnabled: tg.HealthCheckEnabled,
    HealthCheckProtocol: tg.HealthCheckProtocol,
    HealthCheckPort: tg.HealthCheckPort,
    HealthCheckPath: tg.HealthCheckPath,
    HealthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: tg.HealthyThresholdCount,
    UnhealthyThresholdCount: tg.UnhealthyThresholdCount,
    Matcher: tg.Matcher,
  };
  // AWS checks each number's range first (a modelled constraint), then the settings together.
  for (const [field, min, max] of HEALTH_CHECK_RANGES) {
    const v = qInt(params[field], field);
    if (v === undefined) continue;
    if (v < min || v > max) {
      const wire = field[0].toLowerCase() + field.slice(1);
      throw new SimError(
        "ValidationError",
        `1 validation error detected: Value '${v}' at '${wire}' failed to satisfy constraint: Member must have value ${v < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
      );
    }
    (next as unknown as Record<string, number>)[field] = v;
  }
  const enabled = qBool(params.HealthCheckEnabled, "HealthCheckEnabled");
  if (enabled === false && tg.TargetType !== "lambda") {
    throw new SimError(
      "ValidationError",
      `Health checks cannot be disabled for target groups with target type '${tg.TargetType}'`,
    );
  }
  if (enabled !== undefined) next.HealthCheckEnabled = enabled;
  for (const field of ["HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath"] as const) {
    const v = qString(params[field], field);
    if (v !== undefined) next[field] = v;
  }
  const matcher = qObject(params.Matcher, "Matcher");
  if (matcher) {
    const http = qString(matcher.HttpCode, "Matcher.HttpCode");
    const grpc = qString(matcher.GrpcCode, "Matcher.GrpcCode");
    next.Matcher = {
      ...(http !== undefined ? { HttpCode: http } : {}),
      ...(grpc !== undefined ? { GrpcCode: grpc } : {}),
    };
  }
  const problems = checkHealthCheck(next, tg.TargetType);
  if (problems.length) {
    const p = problems[0];
    const message =
      p.field === "HealthCheckTimeoutSeconds" && p.expected.startsWith("less than")
        ? `Health check timeout '${next.HealthCheckTimeoutSeconds}' must be smaller than the interval '${next.HealthCheckIntervalSeconds}'`
        : p.field.startsWith("Matcher")
          ? `Health check matcher ${p.field === "Matcher.HttpCode" ? "HTTP" : "gRPC"} code '${String(p.got)}' must be ${p.expected}`
          : `${p.field} '${String(p.got)}' is not valid: expected ${p.expected}`;
    throw new SimError("ValidationError", message);
  }
  Object.assign(tg, next);
  if (!next.HealthCheckEnabled && tg.TargetType === "lambda") {
    for (const t of tg.Targets)
      Object.assign(t, {
        State: "unavailable",
        Reason: "Target.HealthCheckDisabled",
        Description: "Health checks disabled",
      });
  }
  return { TargetGroups: [targetGroupShape(tg)] };
}
