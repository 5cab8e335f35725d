/**
 * ELBv2 attribute defaults and validation as AWS applies them (alb-facts §5.1, §5.2). Shared by the
 * scenario loader (defaults, and "expected ..." messages for bad scenario values) and by the ELBv2 wire
 * handler (ModifyLoadBalancerAttributes / ModifyTargetGroupAttributes answer ValidationError with the
 * same rule). All values are strings, as on the wire.
 */

/** ALB attributes in the order DescribeLoadBalancerAttributes lists them. */
export const LB_ATTRIBUTE_DEFAULTS: Readonly<Record<string, string>> = {
  "access_logs.s3.enabled": "false",
  "access_logs.s3.bucket": "",
  "access_logs.s3.prefix": "",
  "client_keep_alive.seconds": "3600",
  "connection_logs.s3.enabled": "false",
  "connection_logs.s3.bucket": "",
  "connection_logs.s3.prefix": "",
  "deletion_protection.enabled": "false",
  "health_check_logs.s3.enabled": "false",
  "health_check_logs.s3.bucket": "",
  "health_check_logs.s3.prefix": "",
  "idle_timeout.timeout_seconds": "60",
  "ipv6.deny_all_igw_traffic": "false",
  "load_balancing.cross_zone.enabled": "true",
  "routing.http.desync_mitigation_mode": "defensive",
  "routing.http.drop_invalid_header_fields.enabled": "false",
  "routing.http.preserve_host_header.enabled": "false",
  "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
  "routing.http.xff_client_port.enabled": "false",
  "routing.http.xff_header_processing.mode": "append",
  "routing.http2.enabled": "true",
  "waf.fail_open.enabled": "false",
  "zonal_shift.config.enabled": "false",
};

/** Target group attributes of instance and ip target groups behind an ALB. */
export const TG_ATTRIBUTE_DEFAULTS: Readonly<Record<string, string>> = {
  "deregistration_delay.timeout_seconds": "300",
  "load_balancing.algorithm.type": "round_robin",
  "load_balancing.algorithm.anomaly_mitigation": "off",
  "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
  "slow_start.duration_seconds": "0",
  "stickiness.app_cookie.cookie_name": "",
  "stickiness.app_cookie.duration_seconds": "86400",
  "stickiness.enabled": "false",
  "stickiness.lb_cookie.duration_seconds": "86400",
  "stickiness.type": "lb_cookie",
  "target_group_health.dns_failover.minimum_healthy_targets.count": "off",
  "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
};

/** Lambda target groups have no deregistration delay, stickiness or algorithm. */
export const LAMBDA_TG_ATTRIBUTE_DEFAULTS: Readonly<Record<string, string>> = {
  "lambda.multi_value_headers.enabled": "false",
};

/** A check returns what was expected, or undefined when the value is fine. */
type ValueCheck = (value: string) => string | undefined;

const bool: ValueCheck = (v) => (v === "true" || v === "false" ? undefined : "true or false");
const anyString: ValueCheck = () => undefined;
const oneOf =
  (...allowed: string[]): ValueCheck =>
  (v) =>
    allowed.includes(v) ? undefined : `one of ${allowed.join(", ")}`;
const intIn =
  (min: number, max: number, ...alsoAllowed: string[]): ValueCheck =>
  (v) => {
    if (alsoAllowed.includes(v)) return undefined;
    const ok = /^[0-9]+$/.test(v) && Number(v) >= min && Number(v) <= max;
    const range = `${min}..${max}`;
    return ok ? undefined : alsoAllowed.length ? `${alsoAllowed.join(" or ")} or ${range}` : range;
  };
const s3Prefix: ValueCheck = (v) =>
  v.includes("AWSLogs") ? "a prefix that does not contain AWSLogs" : undefined;

const LB_CHECKS: Record<string, ValueCheck> = {
  "access_logs.s3.enabled": bool,
  "access_logs.s3.bucket": anyString,
  "access_logs.s3.prefix": s3Prefix,
  "client_keep_alive.seconds": intIn(60, 604800),
  "connection_logs.s3.enabled": bool,
  "connection_logs.s3.bucket": anyString,
  "connection_logs.s3.prefix": s3Prefix,
  "deletion_protection.enabled": bool,
  "health_check_logs.s3.enabled": bool,
  "health_check_logs.s3.bucket": anyString,
  "health_check_logs.s3.prefix": s3Prefix,
  "idle_timeout.timeout_seconds": intIn(1, 4000),
  "ipv6.deny_all_igw_traffic": bool,
  "load_balancing.cross_zone.enabled": bool,
  "routing.http.desync_mitigation_mode": oneOf("monitor", "defensive", "strictest"),
  "routing.http.drop_invalid_header_fields.enabled": bool,
  "routing.http.preserve_host_header.enabled": bool,
  "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": bool,
  "routing.http.xff_client_port.enabled": bool,
  "routing.http.xff_header_processing.mode": oneOf("append", "preserve", "remove"),
  "routing.http2.enabled": bool,
  "waf.fail_open.enabled": bool,
  "zonal_shift.config.enabled": bool,
};

const cookieName: ValueCheck = (v) =>
  /^(AWSALB|AWSALBAPP|AWSALBTG)/.test(v)
    ? "a cookie name not starting with AWSALB, AWSALBAPP or AWSALBTG"
    : undefined;

const TG_CHECKS: Record<string, ValueCheck> = {
  "deregistration_delay.timeout_seconds": intIn(0, 3600),
  "load_balancing.algorithm.type": oneOf("round_robin", "least_outstanding_requests", "weighted_random"),
  "load_balancing.algorithm.anomaly_mitigation": oneOf("on", "off"),
  "load_balancing.cross_zone.enabled": oneOf("true", "false", "use_load_balancer_configuration"),
  "slow_start.duration_seconds": (v) => (v === "0" ? undefined : intIn(30, 900)(v) && "0 or 30..900"),
  "stickiness.app_cookie.cookie_name": cookieName,
  "stickiness.app_cookie.duration_seconds": intIn(1, 604800),
  "stickiness.enabled": bool,
  "stickiness.lb_cookie.duration_seconds": intIn(1, 604800),
  "stickiness.type": oneOf("lb_cookie", "app_cookie"),
  "target_group_health.dns_failover.minimum_healthy_targets.count": intIn(1, 1_000_000, "off"),
  "target_group_health.dns_failover.minimum_healthy_targets.percentage": intIn(1, 100, "off"),
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": intIn(1, 1_000_000),
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": intIn(1, 100, "off"),
  "lambda.multi_value_headers.enabled": bool,
};

export type AttributeOwner = "load-balancer" | "target-group";

export interface AttributeProblem {
  key: string;
  value: string;
  /** "unknown" for a key AWS does not recognise; otherwise what the value should be ("1..4000"). */
  expected: string;
}

/** Check one attribute; undefined when AWS would accept it. */
export function checkAttribute(
  owner: AttributeOwner,
  key: string,
  value: string,
): AttributeProblem | undefined {
  const checks = owner === "load-balancer" ? LB_CHECKS : TG_CHECKS;
  const check = checks[key];
  if (!check) return { key, value, expected: "unknown" };
  const expected = check(value);
  return expected ? { key, value, expected } : undefined;
}

/** The message AWS answers with (ValidationError) for a bad attribute. */
export function attributeProblemMessage(owner: AttributeOwner, p: AttributeProblem): string {
  const what = owner === "load-balancer" ? "Load balancer" : "Target group";
  if (p.expected === "unknown") return `${what} attribute key '${p.key}' is not recognized`;
  return `${what} attribute '${p.key}' value '${p.value}' is not valid: expected ${p.expected}`;
}

export function defaultTargetGroupAttributes(targetType: string): Record<string, string> {
  return { ...(targetType === "lambda" ? LAMBDA_TG_ATTRIBUTE_DEFAULTS : TG_ATTRIBUTE_DEFAULTS) };
}
