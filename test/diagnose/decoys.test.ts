/**
 * Look-alike incidents through the whole engine (every check, ranking): the root cause is findings[0] and the
 * look-alike's diagnosis is absent or ranked below.
 */
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/diagnose/engine.ts";
import {
  allTargetsUnhealthy,
  buildSnapshot,
  customAcl,
  defaultAclEntries,
  IDS,
  naclEntry,
  setIngress,
  tcp,
  type Mutator,
} from "../helpers/snapshot-builder.ts";
import { logPaths } from "./fixtures/logs.ts";
import { appReturns502, deployDraining, keepaliveRace } from "./fixtures/incidents.ts";

const report = (...m: Mutator[]) => buildReport(buildSnapshot(...m));
const ids = (...m: Mutator[]) => report(...m).findings.map((f) => f.id);

describe("decoys", () => {
  it("a clean load balancer: healthy, no findings from any check", () => {
    const r = report();
    expect(r.findings).toEqual([]);
    expect(r.status).toBe("healthy");
  });

  it("ALB-generated 502s (keep-alive race) vs app-generated 502s", () => {
    const alb = ids(...keepaliveRace);
    expect(alb[0]).toBe("keepalive-race");
    expect(alb).not.toContain("target-returned-5xx");

    const app = ids(...appReturns502);
    expect(app[0]).toBe("target-returned-5xx");
    expect(app).not.toContain("keepalive-race");
  });

  it("keep-alive 502s vs 502s confined to a draining target during a deploy", () => {
    const deploy = ids(...deployDraining);
    expect(deploy[0]).toBe("deregistration-draining");
    expect(deploy).not.toContain("keepalive-race");
    expect(ids(...keepaliveRace)).not.toContain("deregistration-draining");
  });

  it("no healthy targets because the targets' security group does not admit the ALB: the group ranks first", () => {
    const r = report(
      setIngress(IDS.appSg, [tcp(22, { cidrs: ["10.0.0.0/8"] })]),
      allTargetsUnhealthy("Target.Timeout", "Request timed out"),
    );
    expect(r.findings[0].id).toBe("sg-blocks-alb-to-target");
    expect(r.findings[1]).toMatchObject({ id: "no-healthy-targets", causedBy: "sg-blocks-alb-to-target" });
    expect(r.findings[1].evidence.at(-1)!.detail).toMatch(/^see sg-blocks-alb-to-target/);
  });

  it("no healthy targets because a NACL denies the traffic port: the NACL ranks first", () => {
    const r = report(
      customAcl(
        "acl-app",
        [...IDS.appSubnets],
        [naclEntry(50, "deny", { ports: [8080, 8080] }), ...defaultAclEntries()],
      ),
      allTargetsUnhealthy("Target.Timeout", "Request timed out"),
    );
    expect(r.findings[0].id).toBe("nacl-blocks-traffic");
    expect(r.findings.find((f) => f.id === "no-healthy-targets")!.causedBy).toBe("nacl-blocks-traffic");
  });

  it("no healthy targets because the health check asks for the wrong path: the health check ranks first", () => {
    const r = report(
      allTargetsUnhealthy("Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"),
      logPaths({ "/healthz": { requests: 120 } }),
    );
    expect(r.findings.map((f) => f.id).slice(0, 2)).toEqual([
      "health-check-misconfigured",
      "no-healthy-targets",
    ]);
    expect(r.findings[1].causedBy).toBe("health-check-misconfigured");
  });
});
