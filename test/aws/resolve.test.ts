/** Resolving every form of reference through the real ELBv2 client against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveLoadBalancer } from "../../src/aws/resolve.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";

let sim: TestSim;
let arn: string;
let dns: string;

beforeAll(async () => {
  sim = await startTestSim("scenarios/keepalive-race.yaml");
  const lb = sim.world.loadBalancers.find((l) => l.LoadBalancerName === "shop-prod")!;
  arn = lb.LoadBalancerArn;
  dns = lb.DNSName;
});
afterAll(async () => sim?.close());

async function errorOf(ref: string): Promise<AlbDoctorError> {
  try {
    await resolveLoadBalancer(sim.clients, ref);
  } catch (e) {
    return e as AlbDoctorError;
  }
  throw new Error(`${ref} resolved`);
}

describe("resolveLoadBalancer", () => {
  it.each([
    ["name", () => "shop-prod"],
    ["ARN", () => arn],
    ["app/NAME/ID", () => arn.split("loadbalancer/")[1]],
    ["DNS name", () => dns],
    ["DNS name in upper case", () => dns.toUpperCase()],
  ])("resolves the %s", async (_kind, ref) => {
    const { lb } = await resolveLoadBalancer(sim.clients, ref());
    expect(lb.LoadBalancerArn).toBe(arn);
  });

  it("refuses an ARN of another account, even when the name exists here", async () => {
    const other = arn.replace(`:${sim.world.accountId}:`, ":999999999999:");
    const e = await errorOf(other);
    expect(["wrong-account", "not-found"]).toContain(e.code);
  });

  it("refuses an ARN of another region before calling ELB", async () => {
    const calls = sim.world.callLog.length;
    const e = await errorOf(arn.replace(":us-east-1:", ":eu-west-1:"));
    expect(e.code).toBe("wrong-region");
    expect(sim.world.callLog.slice(calls).filter((c) => c.service === "elbv2")).toEqual([]);
  });

  it("answers an unknown name with the closest names", async () => {
    const e = await errorOf("shop-prd");
    expect(e.code).toBe("not-found");
    expect(e.details?.suggestions).toContain("shop-prod");
    expect(e.message).toContain("closest: shop-prod");
  });

  it("an app/NAME/ID with the wrong id is not that load balancer", async () => {
    const e = await errorOf("app/shop-prod/0000000000000000");
    expect(e.code).toBe("not-found");
  });
});
