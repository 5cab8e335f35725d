/**
 * Does an S3 bucket policy let Elastic Load Balancing deliver access logs? ELB writes objects under
 * `[prefix/]AWSLogs/<account>/` as the service principal logdelivery.elasticloadbalancing.amazonaws.com
 * (regions since August 2022, and accepted everywhere) or, in older regions, as the region's ELB account.
 * Pure: takes the policy text, answers with the reason.
 */

/** The ELB account per region for log delivery (public values from the ELB access-log documentation). */
export const ELB_LOG_ACCOUNTS: Record<string, string> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
};

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

export interface DeliveryCheck {
  allowed: boolean;
  reason: string;
}

/** The object ARN ELB writes to, with `*` for the file name part. */
export function deliveryObjectArn(bucket: string, prefix: string, accountId: string): string {
  const p = prefix ? `${prefix.replace(/^\/+|\/+$/g, "")}/` : "";
  return `arn:aws:s3:::${bucket}/${p}AWSLogs/${accountId}/elasticloadbalancing/x.log.gz`;
}

export function checkLogDeliveryPolicy(
  policyText: string,
  target: { bucket: string; prefix: string; accountId: string; region: string },
): DeliveryCheck {
  let statements: Statement[];
  try {
    const doc = JSON.parse(policyText) as { Statement?: Statement | Statement[] };
    statements =
      doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  } catch {
    return { allowed: false, reason: "the bucket policy is not valid JSON" };
  }
  const object = deliveryObjectArn(target.bucket, target.prefix, target.accountId);
  const elbAccount = ELB_LOG_ACCOUNTS[target.region];
  const applies = (s: Statement) =>
    isElbPrincipal(s.Principal, elbAccount) &&
    list(s.Action).some((a) => wildcard(a.toLowerCase(), "s3:putobject")) &&
    list(s.Resource).some((r) => wildcard(r, object));
  const denied = statements.find((s) => s.Effect === "Deny" && applies(s));
  if (denied)
    return { allowed: false, reason: "a Deny statement of the bucket policy blocks ELB log delivery" };
  const allowing = statements.find((s) => s.Effect === "Allow" && applies(s));
  if (allowing)
    return {
      allowed: true,
      reason: `the bucket policy lets ELB (${describePrincipal(allowing.Principal)}) write ${object.replace(/x\.log\.gz$/, "*")}`,
    };
  const who = elbAccount ? `${ELB_LOG_DELIVERY_SERVICE} or account ${elbAccount}` : ELB_LOG_DELIVERY_SERVICE;
  const where = object.replace(/elasticloadbalancing\/x\.log\.gz$/, "*");
  return { allowed: false, reason: `no statement allows ${who} s3:PutObject on ${where}` };
}

function isElbPrincipal(principal: unknown, elbAccount: string | undefined): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const p = principal as { Service?: string | string[]; AWS?: string | string[] };
  if (list(p.Service).includes(ELB_LOG_DELIVERY_SERVICE)) return true;
  if (!elbAccount) return false;
  return list(p.AWS).some((a) => a === "*" || a === elbAccount || a === `arn:aws:iam::${elbAccount}:root`);
}

function describePrincipal(principal: unknown): string {
  if (principal === "*") return "any principal";
  const p = principal as { Service?: string | string[]; AWS?: string | string[] };
  return [...list(p.Service), ...list(p.AWS)].join(", ");
}

function list(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** IAM-style match: `*` any run of characters, `?` one character. */
export function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(value);
}
