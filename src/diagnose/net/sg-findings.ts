/**
 * Findings of the security-group check, built from the blocked paths that share one cause:
 * the evidence names the rules evaluated, the fix names the exact rule to add.
 */
import type { Evidence, Finding, FixChange, FixSuggestion } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { corroborate } from "./corroboration.ts";
import { listOf, type TargetPath } from "./paths.ts";
import { describeRule, type SgVerdict } from "./security-group-eval.ts";

export interface IngressBlock {
  kind: "sg-blocks-alb-to-target" | "sg-blocks-health-check-port";
  path: TargetPath;
  /** The blocked port this finding is about (traffic port, or the health-check port). */
  port: number;
  verdict: SgVerdict;
  /** The health check is blocked too (always true for sg-blocks-health-check-port). */
  hcBlocked: boolean;
  /** The health-check port when it differs from the traffic port. */
  hcPort: number | null;
}

export interface EgressBlock {
  path: TargetPath;
  ports: number[];
  trafficBlocked: boolean;
}

/** Instance ids, or ip targets with their ENI. */
function targetResources(paths: TargetPath[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    out.push(p.target.id);
    if (p.host && p.host.resourceId !== p.target.id) out.push(p.host.resourceId);
  }
  return [...new Set(out)];
}

function albDescription(s: Snapshot, p: TargetPath): string {
  const sgs = s.loadBalancer.securityGroupIds;
  const subnets = p.albSubnets.map((a) => a.cidr);
  return `the ALB (${[sgs.join(", "), subnets.length ? `subnets ${subnets.join(", ")}` : ""].filter(Boolean).join(" or ")})`;
}

function allowFix(
  s: Snapshot,
  groupId: string,
  ports: number[],
  targetGroupArn: string,
  hcPort: number | null,
): FixSuggestion | null {
  const source = s.loadBalancer.securityGroupIds[0];
  if (!source) return null;
  const changes: FixChange[] = ports.map((port) => ({
    resource: groupId,
    setting: `ingress tcp ${port} from ${source}`,
    current: null,
    proposed: "allow",
  }));
  return {
    id: "allow-alb-to-target",
    automated: true,
    summary: `Allow tcp ${ports.join(" and ")} from ${source} on ${groupId}`,
    changes,
    params: {
      groupId,
      port: ports[0],
      sourceGroupId: source,
      targetGroupArn,
      ...(hcPort !== null && ports.includes(hcPort) && hcPort !== ports[0]
        ? { healthCheckPort: hcPort }
        : {}),
    },
  };
}

export function ingressFinding(s: Snapshot, blocks: IngressBlock[]): Finding {
  const first = blocks[0];
  const { kind, port, verdict, hcPort, hcBlocked } = first;
  const tg = first.path.tg;
  const paths = blocks.map((b) => b.path);
  const targets = listOf(paths.map((p) => p.target.id));
  const sgs = [...new Set(paths.flatMap((p) => p.host?.securityGroupIds ?? []))];
  const alb = albDescription(s, first.path);
  const partial = verdict.coverage === "some";
  const evidence: Evidence[] = [];

  if (kind === "sg-blocks-health-check-port") {
    evidence.push({
      source: "security-groups",
      detail:
        `${sgs.join(", ")} (on ${targets}) admits the traffic port ${first.path.trafficPort} but ` +
        (partial
          ? `admits the health-check port tcp ${port} only from ${verdict.admittedBy.map((r) => r.text).join(", ")}: ${verdict.uncovered.join(", ")} not admitted`
          : `no ingress rule admits ${alb} on the health-check port tcp ${port}`) +
        `: health checks fail while traffic could flow`,
    });
  } else if (partial) {
    evidence.push({
      source: "security-groups",
      detail:
        `${sgs.join(", ")} (on ${targets}) admits ${verdict.admittedBy.map((r) => r.text).join(", ")}, which covers only part of the ALB's subnets: ` +
        `${verdict.uncovered.join(", ")} not admitted, so ALB nodes there cannot reach the targets on tcp ${port}`,
    });
  } else {
    const near = verdict.otherPorts.map((r) => r.text);
    evidence.push({
      source: "security-groups",
      detail: near.length
        ? `${sgs.join(", ")} (on ${targets}) admits ${near.join(", ")}, but not tcp ${port}: no ingress rule admits ${alb} on the traffic port`
        : `${sgs.join(", ")} (on ${targets}) has no ingress rule admitting ${alb} on any port; the traffic port is tcp ${port}`,
    });
  }
  if (kind === "sg-blocks-alb-to-target" && hcPort !== null && hcBlocked) {
    evidence.push({
      source: "security-groups",
      detail: `the health-check port tcp ${hcPort} is not admitted either`,
    });
  }
  for (const note of verdict.notes) evidence.push({ source: "security-groups", detail: note });

  const traffic = kind === "sg-blocks-alb-to-target";
  const corr = corroborate(
    s,
    tg,
    paths.map((p) => p.target.id),
    { traffic, healthChecks: hcBlocked, total: !partial },
  );
  evidence.push(...corr.evidence);

  const ports = traffic && hcBlocked && hcPort !== null ? [port, hcPort] : [port];
  const fixes: FixSuggestion[] = [];
  const fix = allowFix(s, sgs[0], ports, tg.arn, hcPort);
  if (fix) fixes.push(fix);
  if (!traffic && hcPort !== null) {
    fixes.push({
      id: "fix-health-check",
      automated: true,
      summary: `Or probe the traffic port: HealthCheckPort ${hcPort} -> traffic-port`,
      changes: [
        { resource: tg.arn, setting: "HealthCheckPort", current: String(hcPort), proposed: "traffic-port" },
      ],
      params: { targetGroupArn: tg.arn, healthCheckPort: "traffic-port" },
    });
  }
  const title = traffic
    ? partial
      ? `The targets' security group admits the ALB on port ${port} from only part of its subnets`
      : `The targets' security group does not admit the ALB on port ${port}`
    : `The targets' security group blocks the health-check port ${port} (traffic port ${first.path.trafficPort} is open)`;
  return {
    id: kind,
    severity: "critical",
    // A prefix-list rule on the port may admit the ALB after all: we could not see its entries.
    confidence: confidence((partial ? 0.6 : 0.75) + corr.boost - (verdict.notes.length ? 0.2 : 0), 0.98),
    title,
    evidence,
    resources: [...sgs, tg.arn, ...targetResources(paths)],
    fixes,
  };
}

function egressCommand(albSg: string, port: number, paths: TargetPath[]): string {
  const groups = [...new Set(paths.flatMap((p) => p.host?.securityGroupIds.slice(0, 1) ?? []))];
  const peers = groups.length
    ? `UserIdGroupPairs=[${groups.map((g) => `{GroupId=${g}}`).join(",")}]`
    : `IpRanges=[${[...new Set(paths.map((p) => p.subnet?.cidrBlock ?? `${p.ip}/32`))].map((c) => `{CidrIp=${c}}`).join(",")}]`;
  return `aws ec2 authorize-security-group-egress --group-id ${albSg} --ip-permissions 'IpProtocol=tcp,FromPort=${port},ToPort=${port},${peers}'`;
}

export function egressFinding(s: Snapshot, blocks: EgressBlock[]): Finding {
  const first = blocks[0];
  const tg = first.path.tg;
  const paths = blocks.map((b) => b.path);
  const albSgs = s.loadBalancer.securityGroupIds;
  const rules = albSgs.flatMap((id) =>
    (s.securityGroups[id]?.egress ?? []).map((r) => `${id}: ${describeRule(r, "egress")}`),
  );
  const hc = first.path.healthCheckPort;
  const portsText = first.ports
    .map((p) => (p === hc && p !== first.path.trafficPort ? `${p} (the health-check port)` : `${p}`))
    .join(" or ");
  const dest = listOf(
    paths.map((p) => (p.ip && p.ip !== p.target.id ? `${p.target.id} (${p.ip})` : p.target.id)),
  );
  const evidence: Evidence[] = [
    {
      source: "security-groups",
      detail: rules.length
        ? `the ALB's egress rules (${rules.join("; ")}) allow nothing to ${dest} on tcp ${portsText}`
        : `${albSgs.join(", ")} has no egress rules, so nothing reaches ${dest} on tcp ${portsText}`,
    },
  ];
  const corr = corroborate(
    s,
    tg,
    paths.map((p) => p.target.id),
    { traffic: first.trafficBlocked, healthChecks: true, total: true },
  );
  evidence.push(...corr.evidence);
  return {
    id: "alb-sg-egress-blocked",
    severity: "critical",
    confidence: confidence(0.75 + corr.boost, 0.98),
    title: `The ALB's security group allows no outbound traffic to the targets on port ${portsText}`,
    evidence,
    resources: [...albSgs, tg.arn, ...targetResources(paths)],
    fixes: [
      {
        id: "allow-alb-egress",
        automated: false,
        summary: `Allow egress tcp ${first.ports.join(" and ")} from ${albSgs[0]} to the targets`,
        snippets: first.ports.map((port) => ({
          label: `AWS CLI (port ${port})`,
          language: "bash",
          code: egressCommand(albSgs[0], port, paths),
        })),
      },
    ],
  };
}
