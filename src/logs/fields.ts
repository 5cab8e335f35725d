/**
 * The access-log fields, in the order ALB writes them (alb-facts §1.2), and the parsed record that
 * `alb-doctor logs parse --jsonl` prints. AWS only ever appends fields, so a line may stop after any
 * field from `trace_id` on (older formats) or carry unknown trailing fields (newer formats).
 */

/** Token positions (0-based, quote-aware tokens; the quoted request counts as one token). */
export const TOKEN = {
  type: 0,
  time: 1,
  elb: 2,
  client: 3,
  target: 4,
  requestProcessingTime: 5,
  targetProcessingTime: 6,
  responseProcessingTime: 7,
  elbStatusCode: 8,
  targetStatusCode: 9,
  receivedBytes: 10,
  sentBytes: 11,
  request: 12,
  userAgent: 13,
  sslCipher: 14,
  sslProtocol: 15,
  targetGroupArn: 16,
  traceId: 17,
  domainName: 18,
  chosenCertArn: 19,
  matchedRulePriority: 20,
  requestCreationTime: 21,
  actionsExecuted: 22,
  redirectUrl: 23,
  errorReason: 24,
  targetPortList: 25,
  targetStatusCodeList: 26,
  classification: 27,
  classificationReason: 28,
  connTraceId: 29,
  transformedHost: 30,
  transformedUri: 31,
  requestTransformStatus: 32,
} as const;

/** The oldest ALB format ends at trace_id (18 tokens); anything shorter is not an ALB access-log line. */
export const MIN_TOKENS = TOKEN.traceId + 1;
/** Tokens known by name; later ones are kept as `field_<index>`. */
export const KNOWN_TOKENS = TOKEN.requestTransformStatus + 1;

/** Output field names in order (the request token expands to method/url/protocol, client/target to ip/port). */
export const RECORD_FIELDS = [
  "type",
  "time",
  "elb",
  "client_ip",
  "client_port",
  "target_ip",
  "target_port",
  "request_processing_time",
  "target_processing_time",
  "response_processing_time",
  "elb_status_code",
  "target_status_code",
  "received_bytes",
  "sent_bytes",
  "request_method",
  "request_url",
  "request_protocol",
  "user_agent",
  "ssl_cipher",
  "ssl_protocol",
  "target_group_arn",
  "trace_id",
  "domain_name",
  "chosen_cert_arn",
  "matched_rule_priority",
  "request_creation_time",
  "actions_executed",
  "redirect_url",
  "error_reason",
  "target_port_list",
  "target_status_code_list",
  "classification",
  "classification_reason",
  "conn_trace_id",
  "transformed_host",
  "transformed_uri",
  "request_transform_status",
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

/**
 * One parsed line. "-" is null; numbers are numbers (-1 timings stay -1); quoted strings are unescaped
 * (`\"` and `\\` only: AWS's own `\xHH` escapes are literal text). Fields absent from an older, shorter
 * line are absent here too; unknown trailing fields appear as `field_<0-based token index>`.
 */
export interface LogRecord {
  type: string;
  time: string;
  elb: string;
  client_ip: string | null;
  client_port: number | null;
  target_ip: string | null;
  target_port: number | null;
  request_processing_time: number | null;
  target_processing_time: number | null;
  response_processing_time: number | null;
  elb_status_code: number | null;
  target_status_code: number | null;
  received_bytes: number | null;
  sent_bytes: number | null;
  request_method: string | null;
  request_url: string | null;
  request_protocol: string | null;
  user_agent: string | null;
  ssl_cipher: string | null;
  ssl_protocol: string | null;
  target_group_arn: string | null;
  trace_id: string | null;
  domain_name?: string | null;
  chosen_cert_arn?: string | null;
  matched_rule_priority?: number | null;
  request_creation_time?: string | null;
  actions_executed?: string | null;
  redirect_url?: string | null;
  error_reason?: string | null;
  /** Targets that processed the request ("ip:port"), space-separated in the log. */
  target_port_list?: string[] | null;
  target_status_code_list?: (number | string)[] | null;
  classification?: string | null;
  classification_reason?: string | null;
  conn_trace_id?: string | null;
  transformed_host?: string | null;
  transformed_uri?: string | null;
  request_transform_status?: string | null;
  [extra: `field_${number}`]: string | null;
}

export type ParseResult = { ok: true; record: LogRecord } | { ok: false; reason: string };
