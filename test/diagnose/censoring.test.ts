/**
 * Censored durations (alb-facts §10): requests the ALB ends at the idle timeout ran at least that long, and
 * what they need beyond it is unknown. The raise is never sized from the timeout's own maximum, the plan says
 * so in its risks, and lowering the timeout for a keep-alive race names what it would break.
 */
import { describe, expect, it } from "vitest";
import { idleTimeoutCheck } from "../../src/diagnose/checks/idle-timeout.ts";
import { keepaliveCheck } from "../../src/diagnose/checks/keepalive.ts";
import { sizeRaisedIdleTimeout } from "../../src/diagnose/fixes/set-idle-timeout.ts";
import type { FixOffer } from "../../src/remediate/offers.ts";
import type { FixSuggestion } from "../../src/domain/report.ts";
import { censoringRisk, loweringBreaks } from "../../src/remediate/fixes/set-idle-timeout.ts";
import { buildSnapshot, edit, IDS, lbAttribute, logClasses } from "../helpers/snapshot-builder.ts";
import { keepaliveRace } from "./fixtures/incidents.ts";
import { bucket, logPaths } from "./fixtures/logs.ts";

const offerOf = (fix: FixSuggestion): FixOffer => ({
  offerId: "o-1",
  loadBalancer: { name: IDS.lbName, arn: IDS.lbArn },
  findingId: "idle-timeout-exceeded",
  fix,
  window: { ...IDS.window },
  createdAt: IDS.window.end,
});

describe("sizing a raised idle timeout", () => {
  it("requests cut at a 4 s timeout: back to the 60 s default, never twice the cut maximum", () => {
    const s = sizeRaisedIdleTimeout(4, 4.0, 120);
    expect(s).toMatchObject({ proposed: 60, censored: true });
    expect(s.note).toContain("120 requests were cut at 4 s, so how long they need is unknown");
  });

  it("requests cut at 60 s: a step to 120 s, said to be a step and not a size", () => {
    const s = sizeRaisedIdleTimeout(60, 59.9, 41);
    expect(s).toMatchObject({ proposed: 120, censored: true });
    expect(s.note).toMatch(/^a step, not a size/);
  });

  it("nothing cut: sized from the slowest completed request", () => {
    const s = sizeRaisedIdleTimeout(60, 25, 0);
    expect(s).toMatchObject({ proposed: 120, censored: false });
    expect(s.note).toContain("slowest completed request (25.0 s)");
  });
});

describe("idle-timeout-exceeded with censored durations", () => {
  const cutAt4 = [
    lbAttribute("idle_timeout.timeout_seconds", "4"),
    logClasses({ "elb-504-idle-timeout": 120 }),
    logPaths({ "/v1/sync": { requests: 400, classes: { "elb-504-idle-timeout": 120 } } }),
    edit((s) => {
      s.accessLogs!.byPath["/v1/sync"].answered = { count: 280, meanSeconds: 2.1, maxSeconds: 3.98, slow: 0 };
      s.accessLogs!.latency.total.max = 4.003;
    }),
  ];

  it("says the durations are cut, proposes 60 s and passes the censoring to the plan", () => {
    const [f] = idleTimeoutCheck.run(buildSnapshot(...cutAt4));
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain("durations are cut at the idle timeout: 120 requests ended at 4 s");
    const fix = f.fixes.find((x) => x.id === "set-idle-timeout")!;
    expect(fix.changes?.[0].proposed).toBe("60");
    expect(fix.params).toMatchObject({ censoredAtSeconds: 4, cutRequests: 120 });
    // the plan's risk check says the value is not sized from the cut requests
    const risk = censoringRisk(offerOf(fix), 60);
    expect(risk).toMatchObject({ id: "censored-durations", level: "warn" });
    expect(risk!.message).toContain(
      "120 requests were cut at the 4 s idle timeout, so their real durations are unknown",
    );
  });

  it("no censoring risk on an offer that carries none", () => {
    const fix: FixSuggestion = {
      id: "set-idle-timeout",
      automated: true,
      summary: "",
      params: { idleTimeoutSeconds: 90 },
    };
    expect(censoringRisk(offerOf(fix), 90)).toBeNull();
  });
});

describe("lowering the idle timeout for a keep-alive race", () => {
  it("names the slow paths and WebSockets it would break and passes them to the plan, which blocks", () => {
    const [f] = keepaliveCheck.run(
      buildSnapshot(
        ...keepaliveRace,
        edit((s) => {
          const logs = s.accessLogs!;
          logs.byPath["/v1/orders/:id"] = {
            ...bucket(70_000),
            answered: { count: 70_000, meanSeconds: 0.04, maxSeconds: 1.2, slow: 0 },
          };
          logs.byPath["/v1/poll"] = {
            ...bucket(900),
            answered: { count: 900, meanSeconds: 25, maxSeconds: 30.2, slow: 800 },
          };
          logs.webSockets = {
            connections: 340,
            closedAtIdle: 0,
            maxSeconds: 1800,
            longerThanIdle: 300,
            clientsAtIdle: 0,
            repeatClientsAtIdle: 0,
            pathsAtIdle: {},
          };
        }),
      ),
    );
    expect(f.fixes.map((x) => x.id)).toEqual(["raise-backend-keepalive", "set-idle-timeout"]);
    const lower = f.fixes[1];
    expect(lower.summary).toContain(
      "risky: it would break requests longer than 4 s on /v1/poll (up to 30.2 s)",
    );
    expect(lower.summary).toContain(
      "340 WebSocket connections (up to 1800.0 s), closed after 4 s without a frame",
    );
    expect(lower.summary).toContain("prefer raising the backend keep-alive");
    const risks = loweringBreaks(offerOf(lower), 4);
    expect(risks.map((r) => [r.id, r.level])).toEqual([
      ["lower-idle-timeout", "block"],
      ["slow-endpoints", "warn"],
    ]);
    expect(risks[0].message).toContain("340 WebSocket connections");
    expect(risks[1].message).toContain("/v1/poll");
  });
});
