/**
 * Network ACLs as DescribeNetworkAcls reports them: the scenario's ACLs with their associations, each
 * VPC's default ACL (allow all) holding every subnet no other ACL holds, and the `*` deny rules (32767)
 * AWS lists on every ACL. A subnet may be associated with one ACL only.
 */
import type { NaclEntryW, NetworkAclW, SubnetW, VpcW } from "./world.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { Problems } from "./scenario-problems.ts";
import { hexIdFrom } from "./derive-ids.ts";

/** AWS lists these on every ACL: the final `*` rule (32767) that denies what no other rule allowed. */
function withImplicitDeny(entries: NaclEntryW[]): NaclEntryW[] {
  const out = [...entries];
  for (const egress of [false, true]) {
    if (!out.some((e) => e.RuleNumber === 32767 && e.Egress === egress)) {
      out.push({
        RuleNumber: 32767,
        Protocol: "-1",
        RuleAction: "deny",
        Egress: egress,
        CidrBlock: "0.0.0.0/0",
      });
    }
  }
  return out;
}

export function deriveNetworkAcls(
  s: Scenario,
  vpcs: VpcW[],
  subnetById: Map<string, SubnetW>,
  problems: Problems,
): NetworkAclW[] {
  const associated = new Map<string, string>(); // subnet -> acl
  const acls: NetworkAclW[] = s.networkAcls.map((a, i) => {
    if (!vpcs.some((v) => v.VpcId === a.VpcId))
      problems.add(["networkAcls", i, "VpcId"], `unknown VPC ${a.VpcId} (not in vpcs)`);
    const associations = (a.Associations ?? []).map((as, k) => {
      const sn = subnetById.get(as.SubnetId);
      const path = ["networkAcls", i, "Associations", k, "SubnetId"];
      if (!sn) problems.add(path, `unknown subnet ${as.SubnetId} (not in subnets)`);
      else if (sn.VpcId !== a.VpcId)
        problems.add(path, `subnet ${as.SubnetId} is in ${sn.VpcId}, not ${a.VpcId}`);
      if (associated.has(as.SubnetId)) {
        problems.add(path, `subnet ${as.SubnetId} is already associated with ${associated.get(as.SubnetId)}`);
      }
      associated.set(as.SubnetId, a.NetworkAclId);
      return {
        NetworkAclAssociationId:
          as.NetworkAclAssociationId ?? `aclassoc-${hexIdFrom(`${a.NetworkAclId}:${as.SubnetId}`, 17)}`,
        NetworkAclId: a.NetworkAclId,
        SubnetId: as.SubnetId,
      };
    });
    return {
      NetworkAclId: a.NetworkAclId,
      VpcId: a.VpcId,
      IsDefault: a.IsDefault ?? false,
      Entries: withImplicitDeny((a.Entries ?? []) as NaclEntryW[]),
      Associations: associations,
      OwnerId: a.OwnerId ?? s.accountId,
      ...(a.Tags ? { Tags: a.Tags } : {}),
    };
  });
  // Each VPC has a default ACL (allow all) that takes every subnet no other ACL is associated with.
  for (const vpc of vpcs) {
    let def = acls.find((a) => a.VpcId === vpc.VpcId && a.IsDefault);
    if (!def) {
      def = {
        NetworkAclId: `acl-${hexIdFrom(`acl-default:${vpc.VpcId}`, 17)}`,
        VpcId: vpc.VpcId,
        IsDefault: true,
        Entries: withImplicitDeny([
          { RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: false, CidrBlock: "0.0.0.0/0" },
          { RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: true, CidrBlock: "0.0.0.0/0" },
        ]),
        Associations: [],
        OwnerId: s.accountId,
      };
      acls.push(def);
    }
    for (const sn of subnetById.values()) {
      if (sn.VpcId !== vpc.VpcId || associated.has(sn.SubnetId)) continue;
      def.Associations.push({
        NetworkAclAssociationId: `aclassoc-${hexIdFrom(`${def.NetworkAclId}:${sn.SubnetId}`, 17)}`,
        NetworkAclId: def.NetworkAclId,
        SubnetId: sn.SubnetId,
      });
    }
  }
  for (const a of acls)
    a.Entries.sort((x, y) => Number(x.Egress) - Number(y.Egress) || x.RuleNumber - y.RuleNumber);
  return acls;
}
