/**
 * Access-log lines -> records with the field names of `parse --jsonl`, and the checks that tell an ALB
 * access-log line from anything else (NLB, classic ELB, connection logs, garbage).
 */
import { KNOWN_TOKENS, MIN_TOKENS, TOKEN, type LogRecord, type ParseResult } from "./fields.ts";
import { LineTokens, asciiAt, isoAt, numberAt, stringAt, tokenize } from "./tokens.ts";

export { LineTokens, tokenize } from "./tokens.ts";

const ZERO = 0x30;
const NINE = 0x39;

/** Splits "ip:port", "[v6]:port" or bare IPv6 "2001:db8::1:443" on the last colon. */
export function splitHostPort(value: string | null): { ip: string | null; port: number | null } {
  if (value === null) return { ip: null, port: null };
  const colon = value.lastIndexOf(":");
  if (colon < 0) return { ip: value, port: null };
  let ip = value.slice(0, colon);
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const port = Number(value.slice(colon + 1));
  return { ip, port: Number.isInteger(port) ? port : null };
}

/**
 * "METHOD url PROTOCOL" -> parts. Like the request line, the URL may contain spaces (logged as sent),
 * the protocol may be missing ("- http://host:80-") and stray trailing spaces occur, so: method is up
 * to the first space, protocol is the last word only if it looks like one, the URL is what is between.
 */
export function splitRequest(request: string | null): {
  method: string | null;
  url: string | null;
  protocol: string | null;
} {
  if (request === null) return { method: null, url: null, protocol: null };
  const text = request.trimEnd();
  const first = text.indexOf(" ");
  if (first < 0) return { method: dashNull(text), url: null, protocol: null };
  const method = dashNull(text.slice(0, first));
  let rest = text.slice(first + 1);
  let protocol: string | null = null;
  const last = rest.lastIndexOf(" ");
  if (last >= 0) {
    const tail = rest.slice(last + 1);
    if (tail === "-" || /^[A-Z]+\/\d/.test(tail)) {
      protocol = dashNull(tail);
      rest = rest.slice(0, last);
    }
  }
  return { method, url: dashNull(rest), protocol };
}

function dashNull(s: string): string | null {
  return s === "-" || s === "" ? null : s;
}

/** Positions whose value must be a number (or "-"). */
const NUMERIC_TOKENS: [number, string][] = [
  [TOKEN.requestProcessingTime, "request_processing_time"],
  [TOKEN.targetProcessingTime, "target_processing_time"],
  [TOKEN.responseProcessingTime, "response_processing_time"],
  [TOKEN.elbStatusCode, "elb_status_code"],
  [TOKEN.targetStatusCode, "target_status_code"],
  [TOKEN.receivedBytes, "received_bytes"],
  [TOKEN.sentBytes, "sent_bytes"],
];

/** Checks that a tokenized line is an ALB access-log line (not an NLB, classic ELB or connection-log line). */
export function validate(t: LineTokens): string | null {
  const shape = checkShape(t);
  if (shape !== null) return shape;
  if (Number.isNaN(isoAt(t, TOKEN.time))) return TIME_REASON;
  return checkNumbers(t);
}

export const TIME_REASON = "second field is not an ISO-8601 time";

/** Enough fields, and a request type first. */
export function checkShape(t: LineTokens): string | null {
  if (t.count < MIN_TOKENS) return `expected at least ${MIN_TOKENS} fields, found ${t.count}`;
  if (!isTypeToken(t)) return "first field is not a request type (http, https, h2, ws, ...)";
  return null;
}

/** The timing, status and byte fields are numbers or "-". */
export function checkNumbers(t: LineTokens): string | null {
  for (const [i, name] of NUMERIC_TOKENS) {
    const v = numberAt(t, i);
    if (v !== null && Number.isNaN(v)) return `${name} is not a number`;
  }
  return null;
}

function isTypeToken(t: LineTokens): boolean {
  const s = t.starts[0];
  const e = t.ends[0];
  if (t.flags[0] !== 0 || e - s < 2 || e - s > 8) return false;
  for (let i = s; i < e; i++) {
    const c = t.buf[i];
    if (!((c >= 0x61 && c <= 0x7a) || (c >= ZERO && c <= NINE))) return false;
  }
  return true;
}

function listAt(t: LineTokens, i: number): string[] | null {
  const s = stringAt(t, i);
  return s === null ? null : s.split(" ").filter((x) => x !== "");
}

/** The full record of a tokenized, validated line. */
export function toRecord(t: LineTokens): LogRecord {
  const client = splitHostPort(asciiAt(t, TOKEN.client));
  const target = splitHostPort(asciiAt(t, TOKEN.target));
  const req = splitRequest(stringAt(t, TOKEN.request));
  const rec: LogRecord = {
    type: asciiAt(t, TOKEN.type) as string,
    time: asciiAt(t, TOKEN.time) as string,
    elb: stringAt(t, TOKEN.elb) as string,
    client_ip: client.ip,
    client_port: client.port,
    target_ip: target.ip,
    target_port: target.port,
    request_processing_time: numberAt(t, TOKEN.requestProcessingTime),
    target_processing_time: numberAt(t, TOKEN.targetProcessingTime),
    response_processing_time: numberAt(t, TOKEN.responseProcessingTime),
    elb_status_code: numberAt(t, TOKEN.elbStatusCode),
    target_status_code: numberAt(t, TOKEN.targetStatusCode),
    received_bytes: numberAt(t, TOKEN.receivedBytes),
    sent_bytes: numberAt(t, TOKEN.sentBytes),
    request_method: req.method,
    request_url: req.url,
    request_protocol: req.protocol,
    user_agent: stringAt(t, TOKEN.userAgent),
    ssl_cipher: stringAt(t, TOKEN.sslCipher),
    ssl_protocol: stringAt(t, TOKEN.sslProtocol),
    target_group_arn: stringAt(t, TOKEN.targetGroupArn),
    trace_id: stringAt(t, TOKEN.traceId),
  };
  const n = t.count;
  if (n > TOKEN.domainName) rec.domain_name = stringAt(t, TOKEN.domainName);
  if (n > TOKEN.chosenCertArn) rec.chosen_cert_arn = stringAt(t, TOKEN.chosenCertArn);
  if (n > TOKEN.matchedRulePriority) rec.matched_rule_priority = numberOrNull(t, TOKEN.matchedRulePriority);
  if (n > TOKEN.requestCreationTime) rec.request_creation_time = stringAt(t, TOKEN.requestCreationTime);
  if (n > TOKEN.actionsExecuted) rec.actions_executed = stringAt(t, TOKEN.actionsExecuted);
  if (n > TOKEN.redirectUrl) rec.redirect_url = stringAt(t, TOKEN.redirectUrl);
  if (n > TOKEN.errorReason) rec.error_reason = stringAt(t, TOKEN.errorReason);
  if (n > TOKEN.targetPortList) rec.target_port_list = listAt(t, TOKEN.targetPortList);
  if (n > TOKEN.targetStatusCodeList) {
    rec.target_status_code_list =
      listAt(t, TOKEN.targetStatusCodeList)?.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) ?? null;
  }
  if (n > TOKEN.classification) rec.classification = stringAt(t, TOKEN.classification);
  if (n > TOKEN.classificationReason) rec.classification_reason = stringAt(t, TOKEN.classificationReason);
  if (n > TOKEN.connTraceId) rec.conn_trace_id = stringAt(t, TOKEN.connTraceId);
  if (n > TOKEN.transformedHost) rec.transformed_host = stringAt(t, TOKEN.transformedHost);
  if (n > TOKEN.transformedUri) rec.transformed_uri = stringAt(t, TOKEN.transformedUri);
  if (n > TOKEN.requestTransformStatus)
    rec.request_transform_status = stringAt(t, TOKEN.requestTransformStatus);
  for (let i = KNOWN_TOKENS; i < n; i++) rec[`field_${i}`] = stringAt(t, i);
  return rec;
}

/** matched_rule_priority is a number ("-1", "0", "10160") but kept as text if something else turns up. */
function numberOrNull(t: LineTokens, i: number): number | null {
  const v = numberAt(t, i);
  return v === null || Number.isNaN(v) ? null : v;
}

/** Parses one line given as bytes [start, end) of buf (no trailing newline). */
export function parseLineBytes(buf: Buffer, start: number, end: number, t = new LineTokens()): ParseResult {
  if (end > start && buf[end - 1] === 0x0d) end--;
  const reason = tokenize(buf, start, end, t) ?? validate(t);
  return reason === null ? { ok: true, record: toRecord(t) } : { ok: false, reason };
}

export function parseLine(line: string, t = new LineTokens()): ParseResult {
  const buf = Buffer.from(line, "utf8");
  return parseLineBytes(buf, 0, buf.length, t);
}
