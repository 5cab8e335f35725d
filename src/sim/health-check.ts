/**
 * Target-group health-check settings: defaults per target type and AWS's validation (alb-facts §5.3).
 * Shared by the scenario loader and ModifyTargetGroup, so a scenario cannot hold a setting AWS would refuse.
 */

export interface HealthCheckSettings {
  HealthCheckEnabled: boolean;
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
}

export function defaultHealthCheck(targetType: string, protocolVersion?: string): HealthCheckSettings {
  if (targetType === "lambda") {
    return {
      HealthCheckEnabled: false,
      HealthCheckPath: "/",
      HealthCheckIntervalSeconds: 35,
      HealthCheckTimeoutSeconds: 30,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: "200" },
    };
  }
  const grpc = protocolVersion === "GRPC";
  return {
    HealthCheckEnabled: true,
    HealthCheckProtocol: "HTTP",
    HealthCheckPort: "traffic-port",
    HealthCheckPath: grpc ? "/AWS.ALB/healthcheck" : "/",
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    Matcher: grpc ? { GrpcCode: "12" } : { HttpCode: "200" },
  };
}

export interface HealthCheckProblem {
  /** The TG field at fault: HealthCheckIntervalSeconds, Matcher.HttpCode, ... */
  field: string;
  expected: string;
  got: unknown;
}

/** The numeric settings' allowed ranges (AWS checks these before the settings together). */
export const HEALTH_CHECK_RANGES: [keyof HealthCheckSettings, number, number][] = [
  ["HealthCheckIntervalSeconds", 5, 300],
  ["HealthCheckTimeoutSeconds", 2, 120],
  ["HealthyThresholdCount", 2, 10],
  ["UnhealthyThresholdCount", 2, 10],
];

/** A matcher code list: "200", "200,202", "200-299" (and mixes), each code within [min, max]. */
export function matcherCodesValid(spec: string, min: number, max: number): boolean {
  if (!/^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/.test(spec)) return false;
  return spec.split(",").every((part) => {
    const [a, b] = part.split("-").map(Number);
    const hi = b ?? a;
    return a >= min && hi <= max && a <= hi;
  });
}

/** All problems AWS would reject in these settings (after defaults are filled in). */
export function checkHealthCheck(hc: HealthCheckSettings, targetType: string): HealthCheckProblem[] {
  const problems: HealthCheckProblem[] = [];
  for (const [field, min, max] of HEALTH_CHECK_RANGES) {
    const v = hc[field] as number;
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push({ field, expected: `${min}..${max}`, got: v });
  }
  if (
    targetType !== "lambda" &&
    hc.HealthCheckTimeoutSeconds >= hc.HealthCheckIntervalSeconds &&
    problems.length === 0
  ) {
    problems.push({
      field: "HealthCheckTimeoutSeconds",
      expected: `less than HealthCheckIntervalSeconds (${hc.HealthCheckIntervalSeconds})`,
      got: hc.HealthCheckTimeoutSeconds,
    });
  }
  if (hc.HealthCheckProtocol !== undefined && !["HTTP", "HTTPS"].includes(hc.HealthCheckProtocol)) {
    problems.push({ field: "HealthCheckProtocol", expected: "HTTP or HTTPS", got: hc.HealthCheckProtocol });
  }
  const port = hc.HealthCheckPort;
  if (port !== undefined && port !== "traffic-port") {
    const n = Number(port);
    if (!/^[0-9]+$/.test(port) || n < 1 || n > 65535) {
      problems.push({ field: "HealthCheckPort", expected: "traffic-port or 1..65535", got: port });
    }
  }
  const path = hc.HealthCheckPath;
  if (path !== undefined && (!path.startsWith("/") || path.length > 1024 || /\s/.test(path))) {
    problems.push({
      field: "HealthCheckPath",
      expected: "a path starting with / (at most 1024 characters)",
      got: path,
    });
  }
  const http = hc.Matcher?.HttpCode;
  if (http !== undefined && !matcherCodesValid(http, 200, 499)) {
    problems.push({
      field: "Matcher.HttpCode",
      expected: 'codes 200..499 as "200", "200,202" or "200-299"',
      got: http,
    });
  }
  const grpc = hc.Matcher?.GrpcCode;
  if (grpc !== undefined && !matcherCodesValid(grpc, 0, 99)) {
    problems.push({
      field: "Matcher.GrpcCode",
      expected: 'codes 0..99 as "12", "0,12" or "0-99"',
      got: grpc,
    });
  }
  return problems;
}

/** The description DescribeTargetHealth carries for each reason code when the scenario gives none. */
export const REASON_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "Elb.RegistrationInProgress": "Target registration is in progress",
  "Elb.InitialHealthChecking": "Initial health checks in progress",
  "Target.ResponseCodeMismatch": "Health checks failed with these codes: [404]",
  "Target.Timeout": "Request timed out",
  "Target.FailedHealthChecks": "Health checks failed",
  "Target.NotRegistered": "Target is not registered to the target group",
  "Target.NotInUse": "Given target group is not configured to receive traffic from ELB",
  "Target.DeregistrationInProgress": "Target deregistration is in progress",
  "Target.InvalidState": "Target is in the stopped state",
  "Target.IpUnusable": "The IP address is in use by a load balancer or is otherwise unusable",
  "Target.HealthCheckDisabled": "Health checks disabled",
  "Elb.InternalError": "Health checks failed due to an internal error",
};

export const TARGET_STATES = [
  "initial",
  "healthy",
  "unhealthy",
  "unhealthy.draining",
  "unused",
  "draining",
  "unavailable",
] as const;
