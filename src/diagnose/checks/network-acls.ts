/**
 * Network-ACL check. NACLs are stateless, so ALB -> target traffic crosses four ordered rule lists,
 * each evaluated for the actual subnets involved:
 *   1. ALB subnet, egress:    to the target IP on the target port;
 *   2. target subnet, ingress: from the ALB subnet CIDR on the target port;
 *   3. target subnet, egress:  replies to the ALB subnet CIDR on its ephemeral ports 1024-65535;
 *   4. ALB subnet, ingress:   replies from the target IP on ephemeral ports 1024-65535.
 * The same again for the health-check port when it differs. Traffic inside one subnet crosses no NACL.
 */
import type { Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import type { Check } from "../check.ts";
import { partFailed } from "../evidence/parts.ts";
import { hostCidr } from "../net/cidr.ts";
import { aclForSubnet, evaluateNacl, type NaclVerdict } from "../net/nacl-eval.ts";
import { naclFinding, type Leg, type NaclBlock, type RuleNumberPool } from "../net/nacl-findings.ts";
import { groupBy, targetPaths } from "../net/paths.ts";
import { EPHEMERAL_PORTS } from "../net/protocol.ts";

function run(s: Snapshot): Finding[] {
  if (partFailed(s, "network-acls") || partFailed(s, "subnets")) return [];
  const blocks: NaclBlock[] = [];
  // A leg's verdict depends only on ACL, direction, ports and peer: ALB-subnet peers repeat for every target.
  const memo = new Map<string, NaclVerdict>();
  for (const path of targetPaths(s)) {
    const { ip, subnet } = path;
    if (!ip || !subnet) continue;
    const targetCidr = hostCidr(ip);
    const targetSubnetCidr = (path.family === 6 ? subnet.ipv6CidrBlocks[0] : subnet.cidrBlock) ?? targetCidr;
    const ports = [{ port: path.trafficPort, healthCheck: path.healthCheckPort === path.trafficPort }];
    if (path.healthCheckPort !== null && path.healthCheckPort !== path.trafficPort) {
      ports.push({ port: path.healthCheckPort, healthCheck: true });
    }
    const targetAcl = aclForSubnet(s, subnet.id).acl;
    for (const alb of path.albSubnets) {
      if (alb.id === subnet.id) continue;
      const albAcl = aclForSubnet(s, alb.id).acl;
      for (const { port, healthCheck } of ports) {
        const service = { from: port, to: port };
        const legs: Leg[] = [
          {
            name: "alb-out",
            acl: albAcl,
            subnetId: alb.id,
            egress: true,
            ports: service,
            peer: targetCidr,
            fixPeer: targetSubnetCidr,
          },
          {
            name: "target-in",
            acl: targetAcl,
            subnetId: subnet.id,
            egress: false,
            ports: service,
            peer: alb.cidr,
            fixPeer: alb.cidr,
          },
          {
            name: "target-out",
            acl: targetAcl,
            subnetId: subnet.id,
            egress: true,
            ports: EPHEMERAL_PORTS,
            peer: alb.cidr,
            fixPeer: alb.cidr,
          },
          {
            name: "alb-in",
            acl: albAcl,
            subnetId: alb.id,
            egress: false,
            ports: EPHEMERAL_PORTS,
            peer: targetCidr,
            fixPeer: targetSubnetCidr,
          },
        ];
        for (const leg of legs) {
          if (!leg.acl) continue; // not collected: a fresh AWS default ACL allows everything
          const key = `${leg.acl.id}|${leg.egress}|${leg.ports.from}-${leg.ports.to}|${leg.peer}`;
          const verdict =
            memo.get(key) ??
            evaluateNacl(leg.acl, {
              egress: leg.egress,
              protocol: "tcp",
              ports: leg.ports,
              peer: leg.peer,
            });
          memo.set(key, verdict);
          if (verdict.result === "allow") continue;
          blocks.push({ path, alb, leg, port, trafficPort: port === path.trafficPort, healthCheck, verdict });
        }
      }
    }
  }
  // One finding per cause (ACL, direction, first denying rule), across target groups: the fix is one
  // set of ACL entries however many groups the deny cuts off.
  const groups = groupBy(blocks, (b) =>
    [b.leg.acl?.id, b.leg.egress ? "egress" : "ingress", b.verdict.firstDenyRule].join("|"),
  );
  const pool: RuleNumberPool = new Map();
  return [...groups.values()].map((g) => naclFinding(s, g, pool));
}

export const networkAclCheck: Check = { name: "network-acls", run };
