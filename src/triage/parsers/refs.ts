/**
 * Load balancer references inside free text: ARNs, app/NAME/ID dimensions, ELB DNS names, and
 * "LoadBalancer = app/..." dimension lines. Returns them with the ALB name each stands for.
 */
import { awsConsoleUrl } from "../../domain/text.ts";

const ARN =
  /arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/([A-Za-z0-9-]{1,32})\/[A-Za-z0-9]+/;
const RESOURCE_ID =
  /(?<![\w/])app\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)\/([0-9a-f]{6,32})(?![\w/])/;
const DNS =
  /(?<![\w.-])(?:internal-)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)-\d+\.[a-z0-9-]+\.elb\.amazonaws\.com/;

/**
 * The first CloudWatch console link in the text. Candidates end at whitespace or anything that cannot be in
 * a URL Slack shows (<, >, |, quotes), and each is parsed: only an https URL on console.aws.amazon.com or one
 * of its subdomains, under /cloudwatch, counts (never "the text contains console.aws.amazon.com").
 */
export function findConsoleLink(text: string): string | undefined {
  for (const m of text.matchAll(/https:\/\/[^\s<>|"'`]+/g)) {
    const url = awsConsoleUrl(m[0], "/cloudwatch");
    if (url) return url;
  }
  return undefined;
}

export interface FoundRef {
  ref: string;
  name: string;
}

export function findLbRef(text: string): FoundRef | undefined {
  const arn = ARN.exec(text);
  if (arn) return { ref: arn[0], name: arn[1] };
  const id = RESOURCE_ID.exec(text);
  if (id) return { ref: id[0], name: id[1] };
  const dns = DNS.exec(text);
  if (dns) return { ref: dns[0], name: dns[1] };
  return undefined;
}

export const ALB_METRIC =
  /\b(HTTPCode_ELB_(?:5XX|502|503|504|4XX)_Count|HTTPCode_Target_5XX_Count|TargetResponseTime|UnHealthyHostCount|HealthyHostCount|TargetConnectionErrorCount|TargetTLSNegotiationErrorCount|RejectedConnectionCount|RequestCount)\b/;

export function findMetric(text: string): string | undefined {
  return ALB_METRIC.exec(text)?.[1];
}
