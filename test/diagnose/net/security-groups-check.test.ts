import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/domain/report.ts";
import { networkAclCheck } from "../../../src/diagnose/checks/network-acls.ts";
import { securityGroupCheck } from "../../../src/diagnose/checks/security-groups.ts";
import {
  addSecurityGroup,
  allTargetsUnhealthy,
  allTraffic,
  buildSnapshot,
  customAcl,
  edit,
  healthCheckPort,
  hostSecurityGroups,
  IDS,
  ipTargets,
  logClasses,
  metric,
  naclEntry,
  partError,
  setEgress,
  setIngress,
  tcp,
  targetHealth,
} from "../../helpers/snapshot-builder.ts";

const run = (...m: Parameters<typeof buildSnapshot>) => securityGroupCheck.run(buildSnapshot(...m));
const ids = (fs: Finding[]) => fs.map((f) => f.id).sort();
const text = (f: Finding) => f.evidence.map((e) => e.detail).join("\n");

/** sg-app admits the ALB's group, but on 443 instead of 8080. */
const wrongPort = setIngress(IDS.appSg, [tcp(443, { groups: [IDS.albSg] })]);

describe("security-groups check", () => {
  it("finds nothing on the healthy baseline", () => {
    expect(run()).toEqual([]);
  });

  it("reports a blocked traffic port once per target group, naming the rules and the targets", () => {
    const fs = run(wrongPort, allTargetsUnhealthy("Target.Timeout"));
    expect(ids(fs)).toEqual(["sg-blocks-alb-to-target"]);
    const [f] = fs;
    expect(f.severity).toBe("critical");
    expect(text(f)).toContain("sg-app (on i-0a1, i-0a2) admits tcp 443 from sg-alb, but not tcp 8080");
    expect(text(f)).toMatch(/i-0a1, i-0a2 are unhealthy with Target\.Timeout/);
    expect(f.resources).toEqual(expect.arrayContaining([IDS.appSg, IDS.tgArn, "i-0a1", "i-0a2"]));
    const fix = f.fixes.find((x) => x.id === "allow-alb-to-target");
    expect(fix?.automated).toBe(true);
    expect(fix?.changes).toEqual([
      { resource: IDS.appSg, setting: "ingress tcp 8080 from sg-alb", current: null, proposed: "allow" },
    ]);
    expect(fix?.params).toEqual({
      groupId: IDS.appSg,
      port: 8080,
      sourceGroupId: IDS.albSg,
      targetGroupArn: IDS.tgArn,
    });
  });

  it("raises confidence with corroboration and lowers it when healthy targets contradict the rules", () => {
    const bare = run(wrongPort, allTargetsUnhealthy("Target.FailedHealthChecks"))[0].confidence;
    const corroborated = run(
      wrongPort,
      allTargetsUnhealthy("Target.FailedHealthChecks"),
      metric("TargetConnectionErrorCount", [0, 12, 30]),
      logClasses({ "elb-504-connect-timeout": 41 }),
    )[0];
    const contradicted = run(wrongPort)[0].confidence;
    expect(corroborated.confidence).toBeGreaterThan(bare);
    expect(bare).toBeGreaterThan(contradicted);
    expect(text(corroborated)).toMatch(/TargetConnectionErrorCount is 42/);
    expect(text(corroborated)).toMatch(/41 ELB 504s/);
  });

  it("tells a blocked health-check port from a blocked traffic port (decoy pair)", () => {
    // Health check on 8081, sg-app admits only 8080: health checks fail, traffic would pass.
    const hcBlocked = run(healthCheckPort(8081), allTargetsUnhealthy());
    expect(ids(hcBlocked)).toEqual(["sg-blocks-health-check-port"]);
    expect(text(hcBlocked[0])).toMatch(/health-check port tcp 8081/);
    expect(hcBlocked[0].fixes.map((x) => x.id)).toEqual(["allow-alb-to-target", "fix-health-check"]);
    expect(hcBlocked[0].fixes[0].changes?.[0].setting).toBe("ingress tcp 8081 from sg-alb");

    // Health check on 8081 admitted, traffic port 8080 not: healthy targets, requests time out.
    const trafficBlocked = run(
      healthCheckPort(8081),
      setIngress(IDS.appSg, [tcp(8081, { groups: [IDS.albSg] })]),
    );
    expect(ids(trafficBlocked)).toEqual(["sg-blocks-alb-to-target"]);
    expect(text(trafficBlocked[0])).toMatch(/admits tcp 8081 from sg-alb, but not tcp 8080/);
    expect(text(trafficBlocked[0])).not.toMatch(/report healthy/); // healthy is expected: the HC port is open
  });

  it("asks for both ports when traffic and a separate health-check port are blocked", () => {
    const fs = run(healthCheckPort(8081), wrongPort, allTargetsUnhealthy());
    expect(ids(fs)).toEqual(["sg-blocks-alb-to-target"]);
    expect(text(fs[0])).toMatch(/health-check port tcp 8081 is not admitted either/);
    expect(fs[0].fixes[0].changes?.map((c) => c.setting)).toEqual([
      "ingress tcp 8080 from sg-alb",
      "ingress tcp 8081 from sg-alb",
    ]);
    expect(fs[0].fixes[0].params?.healthCheckPort).toBe(8081);
  });

  it.each([
    ["both ALB subnet CIDRs", ["10.0.1.0/24", "10.0.2.0/24"]],
    ["the VPC CIDR", ["10.0.0.0/16"]],
    ["one subnet in two halves", ["10.0.1.0/24", "10.0.2.0/25", "10.0.2.128/25"]],
  ])("accepts a target group that admits the ALB by %s instead of its group (decoy)", (_n, cidrs) => {
    expect(run(setIngress(IDS.appSg, [tcp(8080, { cidrs })]))).toEqual([]);
  });

  it("reports partial coverage when the CIDRs admit only some ALB subnets", () => {
    const fs = run(setIngress(IDS.appSg, [tcp(8080, { cidrs: ["10.0.1.0/24"] })]));
    expect(ids(fs)).toEqual(["sg-blocks-alb-to-target"]);
    expect(fs[0].title).toMatch(/only part of its subnets/);
    expect(text(fs[0])).toMatch(/subnet-pub-b 10\.0\.2\.0\/24 not admitted/);
    const full = run(wrongPort, allTargetsUnhealthy())[0].confidence;
    const partial = run(
      setIngress(IDS.appSg, [tcp(8080, { cidrs: ["10.0.1.0/24"] })]),
      allTargetsUnhealthy(),
    )[0];
    expect(partial.confidence).toBeLessThan(full);
  });

  it("groups targets by cause: only the target whose groups block is reported", () => {
    const fs = run(
      addSecurityGroup("sg-app2", [tcp(8000, { groups: [IDS.albSg] }, 8999)]),
      hostSecurityGroups(["sg-app2"], "i-0a2"),
      setIngress(IDS.appSg, []),
      targetHealth("i-0a1", "unhealthy", "Target.Timeout"),
    );
    expect(ids(fs)).toEqual(["sg-blocks-alb-to-target"]);
    expect(fs[0].resources).toContain("i-0a1");
    expect(fs[0].resources).not.toContain("i-0a2");
    expect(text(fs[0])).toMatch(/has no ingress rule admitting the ALB/);
  });

  it("reports the ALB's missing egress with a CLI command, not an automated fix", () => {
    const fs = run(setEgress(IDS.albSg, [tcp(443, { cidrs: ["0.0.0.0/0"] })]), allTargetsUnhealthy());
    expect(ids(fs)).toEqual(["alb-sg-egress-blocked"]);
    expect(text(fs[0])).toMatch(
      /egress rules \(sg-alb: tcp 443 to 0\.0\.0\.0\/0\) allow nothing to i-0a1 \(10\.0\.11\.10\)/,
    );
    const fix = fs[0].fixes[0];
    expect(fix.id).toBe("allow-alb-egress");
    expect(fix.automated).toBe(false);
    expect(fix.snippets?.[0].code).toBe(
      "aws ec2 authorize-security-group-egress --group-id sg-alb --ip-permissions " +
        "'IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=sg-app}]'",
    );
  });

  it("says when the ALB's egress misses only the health-check port", () => {
    const fs = run(
      healthCheckPort(8081),
      setIngress(IDS.appSg, [tcp(8080, { groups: [IDS.albSg] }, 8081)]),
      setEgress(IDS.albSg, [tcp(8080, { groups: [IDS.appSg] })]),
    );
    expect(ids(fs)).toEqual(["alb-sg-egress-blocked"]);
    expect(fs[0].title).toMatch(/port 8081 \(the health-check port\)/);
    expect(fs[0].fixes[0].snippets?.map((x) => x.code)).toEqual([
      expect.stringContaining("FromPort=8081,ToPort=8081"),
    ]);
  });

  it.each([
    ["to the targets' group", [tcp(8080, { groups: [IDS.appSg] })]],
    ["to the VPC", [tcp(8080, { cidrs: ["10.0.0.0/16"] })]],
    ["all traffic", [allTraffic({ cidrs: ["0.0.0.0/0"] })]],
  ])("accepts ALB egress %s", (_n, rules) => {
    expect(run(setEgress(IDS.albSg, rules))).toEqual([]);
  });

  it("works for ip targets (ENIs) and names the ENI", () => {
    const fs = run(ipTargets(), wrongPort, allTargetsUnhealthy());
    expect(ids(fs)).toEqual(["sg-blocks-alb-to-target"]);
    expect(fs[0].resources).toEqual(expect.arrayContaining(["10.0.11.10", "eni-01", "10.0.12.10", "eni-02"]));
  });

  it("returns nothing when security groups could not be collected", () => {
    expect(run(wrongPort, partError("security-groups", "AccessDenied: ec2:DescribeSecurityGroups"))).toEqual(
      [],
    );
  });

  it("does not guess when a target's group is missing from the snapshot", () => {
    expect(run(hostSecurityGroups(["sg-unknown"]))).toEqual([]);
  });

  it("does not guess the ALB's egress when an ip target's host (and so its groups) is unknown", () => {
    const noHosts = edit((s) => (s.targetHosts = {}));
    expect(run(ipTargets(), noHosts, setEgress(IDS.albSg, [tcp(8080, { groups: [IDS.appSg] })]))).toEqual([]);
    const fs = run(ipTargets(), noHosts, setEgress(IDS.albSg, [tcp(443, { cidrs: ["0.0.0.0/0"] })]));
    expect(ids(fs)).toEqual(["alb-sg-egress-blocked"]);
    expect(fs[0].fixes[0].snippets?.[0].code).toContain(
      "IpRanges=[{CidrIp=10.0.11.0/24},{CidrIp=10.0.12.0/24}]",
    );
  });

  it("lowers confidence and says so when a prefix list might admit the ALB", () => {
    const plain = run(wrongPort, allTargetsUnhealthy())[0];
    const withPl = run(
      setIngress(IDS.appSg, [tcp(443, { groups: [IDS.albSg] }), tcp(8080, { prefixLists: ["pl-0a1b2c"] })]),
      allTargetsUnhealthy(),
    )[0];
    expect(withPl.id).toBe("sg-blocks-alb-to-target");
    expect(text(withPl)).toMatch(/prefix list pl-0a1b2c/);
    expect(withPl.confidence).toBeLessThan(plain.confidence);
  });

  it("does not judge CIDR rules against ALB subnets it cannot see", () => {
    const lostSubnet = edit((s) => delete s.subnets["subnet-pub-b"]);
    expect(run(lostSubnet, setIngress(IDS.appSg, [tcp(8080, { cidrs: ["10.0.1.0/24"] })]))).toEqual([]);
    expect(ids(run(lostSubnet, wrongPort))).toEqual(["sg-blocks-alb-to-target"]);
  });

  it("skips lambda target groups", () => {
    expect(
      run(
        wrongPort,
        edit((s) => (s.targetGroups[0].targetType = "lambda")),
      ),
    ).toEqual([]);
  });
});

describe("NACL vs security group (decoys)", () => {
  const naclBlocksReturn = customAcl("acl-app", IDS.appSubnets, [
    naclEntry(100, "allow"),
    naclEntry(100, "allow", { egress: true, ports: [32768, 60999] }),
    naclEntry(32767, "deny"),
    naclEntry(32767, "deny", { egress: true }),
  ]);

  it("a NACL block is not a security-group finding", () => {
    const s = buildSnapshot(
      naclBlocksReturn,
      setIngress(IDS.appSg, [tcp(8080, { cidrs: ["10.0.1.0/24", "10.0.2.0/24"] })]),
    );
    expect(securityGroupCheck.run(s)).toEqual([]);
    expect(ids(networkAclCheck.run(s))).toEqual(["nacl-blocks-traffic"]);
  });

  it("a security-group block is not a NACL finding", () => {
    const s = buildSnapshot(wrongPort, allTargetsUnhealthy());
    expect(networkAclCheck.run(s)).toEqual([]);
    expect(ids(securityGroupCheck.run(s))).toEqual(["sg-blocks-alb-to-target"]);
  });
});
