import { describe, expect, it } from "vitest";
import type { LogErrorClass } from "../../src/domain/log-summary.ts";
import { classifyLine, type ClassifyInput } from "../../src/logs/classify.ts";

const line = (over: Partial<ClassifyInput>): ClassifyInput => ({
  elbStatus: 502,
  targetStatus: null,
  targetSet: true,
  requestProcessingTime: 0.001,
  targetProcessingTime: 0.01,
  durationSeconds: 0.02,
  errorReason: null,
  actions: "forward",
  ...over,
});
const never = { requestProcessingTime: -1, targetProcessingTime: -1 };

// [description, fields, idle timeout, expected class]
const TABLE: [string, Partial<ClassifyInput>, number, LogErrorClass | null][] = [
  ["200 is not classified", { elbStatus: 200, targetStatus: 200 }, 60, null],
  ["404 is not classified", { elbStatus: 404, targetStatus: 404 }, 60, null],
  ["target answered 502 itself", { elbStatus: 502, targetStatus: 502 }, 60, "target-5xx"],
  ["target answered 500", { elbStatus: 500, targetStatus: 500 }, 60, "target-5xx"],
  [
    "target answered 504 itself, even at the idle timeout",
    { elbStatus: 504, targetStatus: 504, durationSeconds: 60 },
    60,
    "target-5xx",
  ],
  [
    "502, target set, -1 timings: target closed (keep-alive race)",
    { ...never, durationSeconds: 0.003 },
    60,
    "elb-502-target-closed",
  ],
  [
    "502, target set, target time measured, no status: malformed response",
    { targetProcessingTime: 0.2 },
    60,
    "elb-502-malformed-response",
  ],
  [
    "504 at the idle timeout",
    { elbStatus: 504, ...never, durationSeconds: 60.001 },
    60,
    "elb-504-idle-timeout",
  ],
  [
    "504 at a raised idle timeout",
    { elbStatus: 504, ...never, durationSeconds: 299.2 },
    300,
    "elb-504-idle-timeout",
  ],
  [
    "504 at 60 s when the idle timeout is 300 s is not an idle timeout",
    { elbStatus: 504, ...never, durationSeconds: 60 },
    300,
    "elb-504-other",
  ],
  [
    "504 after ~10 s with -1 timings: connect timeout",
    { elbStatus: 504, ...never, durationSeconds: 10.004 },
    60,
    "elb-504-connect-timeout",
  ],
  ["504 after 30 s: other", { elbStatus: 504, ...never, durationSeconds: 30 }, 60, "elb-504-other"],
  [
    "504 without request_creation_time: other",
    { elbStatus: 504, ...never, durationSeconds: NaN },
    60,
    "elb-504-other",
  ],
  ["503 with no target", { elbStatus: 503, targetSet: false, ...never }, 60, "elb-503-no-target"],
  [
    "503 fixed-response is configured, not a failure",
    { elbStatus: 503, targetSet: false, actions: "fixed-response" },
    60,
    "elb-5xx-other",
  ],
  ["Lambda error reason", { targetSet: false, errorReason: "LambdaUnhandled" }, 60, "lambda-error"],
  [
    "Auth error reason on 500",
    { elbStatus: 500, targetSet: false, errorReason: "AuthTokenEpRequestTimeout" },
    60,
    "auth-error",
  ],
  ["561 without a reason", { elbStatus: 561, targetSet: false }, 60, "auth-error"],
  [
    "WAF error reason",
    { elbStatus: 500, targetSet: false, errorReason: "WAFConnectionError" },
    60,
    "waf-error",
  ],
  ["460 client closed", { elbStatus: 460, ...never, durationSeconds: 12 }, 60, "client-closed"],
  ["502 without a target and no reason", { targetSet: false, ...never }, 60, "elb-5xx-other"],
  [
    "500 with weighted-TG reason",
    { elbStatus: 500, targetSet: false, errorReason: "AWSALBTGCookieInvalid" },
    60,
    "elb-5xx-other",
  ],
  // An ELB 505 is an HTTP version the connection does not speak: a protocol mismatch, like 464.
  ["505 from the ALB", { elbStatus: 505, targetSet: false }, 60, "protocol-mismatch"],
  ["505 forwarded from the target", { elbStatus: 505, targetStatus: 505 }, 60, "target-5xx"],
  ["464 (protocol version)", { elbStatus: 464, targetSet: false, ...never }, 60, "protocol-mismatch"],
  ["464 with a target group but no target", { elbStatus: 464, targetSet: false }, 1, "protocol-mismatch"],
];

describe("classifyLine", () => {
  it.each(TABLE)("%s", (_d, over, idle, expected) => {
    expect(classifyLine(line(over), { idleTimeoutSeconds: idle })).toBe(expected);
  });

  it("honours an explicit idle tolerance", () => {
    const x = line({ elbStatus: 504, ...never, durationSeconds: 56 });
    expect(classifyLine(x, { idleTimeoutSeconds: 60 })).toBe("elb-504-other");
    expect(classifyLine(x, { idleTimeoutSeconds: 60, idleToleranceSeconds: 4.5 })).toBe(
      "elb-504-idle-timeout",
    );
  });
});
