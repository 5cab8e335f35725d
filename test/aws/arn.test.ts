import { describe, expect, it } from "vitest";
import { closestNames, parseLbRef, resourceIdOf } from "../../src/aws/arn.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";

const ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";

describe("parseLbRef", () => {
  it.each([
    ["my-alb", { kind: "name", name: "my-alb" }],
    [" my-alb ", { kind: "name", name: "my-alb" }],
    [
      ARN,
      { kind: "arn", name: "my-alb", id: "50dc6c495c0c9188", region: "us-east-1", accountId: "123456789012" },
    ],
    ["app/my-alb/50dc6c495c0c9188", { kind: "resource-id", name: "my-alb", id: "50dc6c495c0c9188" }],
    ["my-alb-1234567890.us-east-1.elb.amazonaws.com", { kind: "dns", name: "my-alb" }],
    ["internal-api-lb-99.eu-west-1.elb.amazonaws.com", { kind: "dns", name: "api-lb" }],
    ["a-b-c-42.us-east-1.elb.amazonaws.com.", { kind: "dns", name: "a-b-c" }],
  ])("%s", (input, expected) => {
    expect(parseLbRef(input)).toMatchObject(expected);
  });

  it.each([
    ["", "usage"],
    ["-bad", "usage"],
    ["bad-", "usage"],
    ["x".repeat(33), "usage"],
    ["my_alb", "usage"],
    ["www.example.com", "usage"],
    ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb", "malformed-arn"],
    ["arn:aws:elasticloadbalancing:us-east-1:12345:loadbalancer/app/my-alb/abc", "malformed-arn"],
    ["arn:aws:s3:::bucket", "malformed-arn"],
    ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067", "malformed-arn"],
    ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/my-nlb/abc", "usage"],
    ["app/only-name", "malformed-arn"],
    ["net/x/y", "usage"],
  ])("rejects %j as %s", (input, code) => {
    let err: unknown;
    try {
      parseLbRef(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AlbDoctorError);
    expect((err as AlbDoctorError).code).toBe(code);
    expect((err as AlbDoctorError).message.length).toBeGreaterThan(10);
  });
});

describe("resourceIdOf", () => {
  it("gives the CloudWatch dimension of LB and TG ARNs", () => {
    expect(resourceIdOf(ARN)).toBe("app/my-alb/50dc6c495c0c9188");
    expect(resourceIdOf("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/api/73e2")).toBe(
      "targetgroup/api/73e2",
    );
  });
});

describe("closestNames", () => {
  it("ranks by edit distance and containment", () => {
    const names = ["prod-api", "prod-web", "staging-api", "my-alb", "my-alb-2"];
    expect(closestNames("my-alp", names, 2)).toEqual(["my-alb"]);
    expect(closestNames("my-alb-3", names)).toEqual(["my-alb", "my-alb-2"]);
    // Too far to be a typo: no suggestion rather than a random one.
    expect(closestNames("shop-prod", ["cms-prod", "analytics-prod"])).toEqual([]);
    expect(closestNames("api", names, 2)).toEqual(["prod-api", "staging-api"]);
    expect(closestNames("x", [], 3)).toEqual([]);
  });
});
