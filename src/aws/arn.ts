/**
 * Load balancer references as people paste them: a name, a full ARN, the app/NAME/ID resource id used by
 * CloudWatch and access logs, or the DNS name. Parsed without any AWS call, so malformed input costs nothing.
 */
import { AlbDoctorError } from "../domain/errors.ts";

export type LbRef =
  | { kind: "name"; name: string }
  | { kind: "arn"; arn: string; region: string; accountId: string; name: string; id: string }
  | { kind: "resource-id"; name: string; id: string }
  | { kind: "dns"; dnsName: string; name: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const ID = /^[A-Za-z0-9]{1,32}$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/(.+)$/;
const DNS = /^(?:internal-)?(.+)-(\d+)\.([a-z0-9-]+)\.elb\.amazonaws\.com(?:\.cn)?\.?$/i;

export function parseLbRef(input: string): LbRef {
  const ref = input.trim();
  if (!ref) throw new AlbDoctorError("usage", "no load balancer given: pass a name, ARN or DNS name");
  if (ref.startsWith("arn:")) return parseArn(ref);
  if (ref.startsWith("app/") || ref.startsWith("net/")) {
    const [type, name, id, ...rest] = ref.split("/");
    if (type !== "app") throw notAlb(ref);
    if (!name || !id || rest.length || !NAME.test(name) || !ID.test(id)) {
      throw new AlbDoctorError("malformed-arn", `"${ref}" is not a load balancer id of the form app/NAME/ID`);
    }
    return { kind: "resource-id", name, id };
  }
  const dns = DNS.exec(ref);
  if (dns) return { kind: "dns", dnsName: ref.replace(/\.$/, "").toLowerCase(), name: dns[1] };
  if (ref.includes(".")) {
    throw new AlbDoctorError(
      "usage",
      `"${ref}" looks like a host name but not an ELB DNS name (*.elb.amazonaws.com)`,
    );
  }
  if (!NAME.test(ref)) {
    throw new AlbDoctorError(
      "usage",
      `"${ref}" is not a valid load balancer name (1-32 letters, digits and hyphens, not starting or ending with a hyphen)`,
    );
  }
  return { kind: "name", name: ref };
}

function parseArn(arn: string): LbRef {
  const m = ARN.exec(arn);
  if (!m) {
    if (/^arn:[^:]*:elasticloadbalancing:[^:]*:[^:]*:targetgroup\//.test(arn)) {
      throw new AlbDoctorError(
        "malformed-arn",
        `"${arn}" is a target group ARN; pass the load balancer's ARN or name`,
      );
    }
    throw new AlbDoctorError(
      "malformed-arn",
      `"${arn}" is not a load balancer ARN (expected arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)`,
    );
  }
  const [, , region, accountId, resource] = m;
  const [type, name, id, ...rest] = resource.split("/");
  if (type !== "app") throw notAlb(arn);
  if (!name || !id || rest.length || !NAME.test(name) || !ID.test(id)) {
    throw new AlbDoctorError(
      "malformed-arn",
      `"${arn}" has a malformed resource part (expected app/NAME/ID)`,
    );
  }
  return { kind: "arn", arn, region, accountId, name, id };
}

function notAlb(ref: string): AlbDoctorError {
  return new AlbDoctorError(
    "usage",
    `"${ref}" is not an Application Load Balancer (alb-doctor diagnoses ALBs only)`,
  );
}

/** app/NAME/ID from an LB ARN; targetgroup/NAME/ID from a TG ARN. */
export function resourceIdOf(arn: string): string {
  const i = arn.indexOf(":loadbalancer/");
  if (i >= 0) return arn.slice(i + ":loadbalancer/".length);
  const j = arn.indexOf(":targetgroup/");
  if (j >= 0) return arn.slice(j + 1);
  return arn;
}

/**
 * Closest names first: names containing the wanted text (or contained in it), then by edit distance;
 * names too far to be a typo (more than about a third of the letters differ) are not suggested.
 */
export function closestNames(wanted: string, names: string[], limit = 5): string[] {
  const w = wanted.toLowerCase();
  const maxDistance = Math.max(2, Math.ceil(w.length / 3));
  return names
    .map((n) => {
      const l = n.toLowerCase();
      const related = l.includes(w) || w.includes(l);
      return { n, d: editDistance(w, l) - (related ? 100 : 0) };
    })
    .filter((x) => x.d <= maxDistance)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, limit)
    .map((x) => x.n);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
