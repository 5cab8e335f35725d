import { describe, expect, it } from "vitest";
import { accessLogsCheck } from "../../src/diagnose/checks/access-logs.ts";
import { enableAccessLogsFix } from "../../src/diagnose/fixes/enable-access-logs.ts";
import { fixHealthCheckFix } from "../../src/diagnose/fixes/fix-health-check.ts";
import { raiseBackendKeepAliveFix } from "../../src/diagnose/fixes/raise-backend-keepalive.ts";
import { raisedIdleTimeout, setIdleTimeoutFix } from "../../src/diagnose/fixes/set-idle-timeout.ts";
import { proposedDeregistrationDelay } from "../../src/diagnose/fixes/set-deregistration-delay.ts";
import { buildSnapshot, edit, IDS, lbAttribute } from "../helpers/snapshot-builder.ts";

describe("raise-backend-keepalive snippets follow the idle timeout (+5 s)", () => {
  it.each([
    [
      60,
      "keepalive_timeout 65s;",
      "KeepAliveTimeout 65",
      "server.keepAliveTimeout = 65000;",
      "server.tomcat.keep-alive-timeout=65s",
      "--keep-alive 65",
      "IdleTimeout: 65 * time.Second",
    ],
    [
      120,
      "keepalive_timeout 125s;",
      "KeepAliveTimeout 125",
      "server.keepAliveTimeout = 125000;",
      "server.tomcat.keep-alive-timeout=125s",
      "--keep-alive 125",
      "IdleTimeout: 125 * time.Second",
    ],
    [
      3600,
      "keepalive_timeout 3605s;",
      "KeepAliveTimeout 3605",
      "server.keepAliveTimeout = 3605000;",
      "server.tomcat.keep-alive-timeout=3605s",
      "--keep-alive 3605",
      "IdleTimeout: 3605 * time.Second",
    ],
  ])("idle %i s", (idle, nginx, apache, node, spring, gunicorn, go) => {
    const fix = raiseBackendKeepAliveFix(idle);
    expect(fix.automated).toBe(false);
    const code = (label: string) => fix.snippets!.find((s) => s.label.startsWith(label))!.code;
    expect(code("nginx")).toBe(nginx);
    expect(code("Apache")).toContain(apache);
    expect(code("Node.js")).toContain(node);
    expect(code("Node.js")).toContain(`server.headersTimeout = ${(idle + 6) * 1000};`);
    expect(code("Spring Boot")).toContain(spring);
    expect(code("Gunicorn")).toContain(gunicorn);
    expect(code("Go")).toContain(go);
  });
});

describe("set-idle-timeout", () => {
  it("states current and proposed, clamped to 1..4000", () => {
    const s = buildSnapshot(lbAttribute("idle_timeout.timeout_seconds", "60"));
    expect(setIdleTimeoutFix(s, 60, 9000).changes).toEqual([
      { resource: IDS.lbArn, setting: "idle_timeout.timeout_seconds", current: "60", proposed: "4000" },
    ]);
    expect(setIdleTimeoutFix(s, 60, 4).summary).toBe("Lower idle_timeout.timeout_seconds 60 -> 4");
  });

  it.each([
    [60, null, 120],
    [60, 60.001, 120],
    [60, 95, 190],
    [3000, 3000, 4000],
  ])("raised for 504s: idle %i, slowest %s -> %i", (idle, slowest, expected) => {
    expect(raisedIdleTimeout(idle, slowest)).toBe(expected);
  });
});

describe("other fix builders", () => {
  it("deregistration delay covers the slowest request with headroom, 30..3600", () => {
    expect(proposedDeregistrationDelay(45)).toBe(70);
    expect(proposedDeregistrationDelay(1)).toBe(30);
    expect(proposedDeregistrationDelay(5000)).toBe(3600);
  });

  it("fix-health-check lists only settings that change, or nothing", () => {
    const tg = buildSnapshot().targetGroups[0];
    expect(fixHealthCheckFix(tg, { HealthCheckPath: "/health", Matcher: "200" })).toBeNull();
    expect(fixHealthCheckFix(tg, { HealthCheckPath: "/healthz", Matcher: "200" })!.changes).toEqual([
      { resource: IDS.tgArn, setting: "HealthCheckPath", current: "/health", proposed: "/healthz" },
    ]);
  });
});

describe("access-logs-disabled / enable-access-logs", () => {
  it("is info with the suggested bucket alb-logs-ACCOUNT-REGION and the LB name as prefix", () => {
    const [f] = accessLogsCheck.run(
      buildSnapshot(
        edit((s) => {
          s.loadBalancer.attributes = {
            "idle_timeout.timeout_seconds": "60",
            "access_logs.s3.enabled": "false",
          };
        }),
      ),
    );
    expect(f).toMatchObject({ id: "access-logs-disabled", severity: "info" });
    expect(f.fixes[0]).toMatchObject({
      id: "enable-access-logs",
      automated: true,
      summary: "Enable access logs to s3://alb-logs-123456789012-us-east-1/my-alb",
      params: { bucket: "alb-logs-123456789012-us-east-1", prefix: "my-alb", bucketKnown: true },
    });
    expect(f.fixes[0].changes!.map((c) => [c.setting, c.current, c.proposed])).toEqual([
      ["access_logs.s3.enabled", "false", "true"],
      ["access_logs.s3.bucket", null, "alb-logs-123456789012-us-east-1"],
      ["access_logs.s3.prefix", null, "my-alb"],
    ]);
  });

  it("keeps a configured bucket, and marks an unknown account in the summary", () => {
    const keep = enableAccessLogsFix(buildSnapshot(lbAttribute("access_logs.s3.enabled", "false")));
    expect(keep.params).toMatchObject({ bucket: "alb-logs", prefix: "prod" });
    const unknown = enableAccessLogsFix(
      buildSnapshot(
        edit((s) => {
          s.accountId = "";
          s.loadBalancer.attributes = {};
        }),
      ),
    );
    expect(unknown.summary).toContain("alb-logs-ACCOUNT-us-east-1");
    expect(unknown.summary).toContain("account or region unknown");
    expect(unknown.params!.bucketKnown).toBe(false);
  });

  it("says nothing when logs are on, or when the attributes could not be read", () => {
    expect(accessLogsCheck.run(buildSnapshot())).toEqual([]);
    expect(accessLogsCheck.run(buildSnapshot(edit((s) => void (s.loadBalancer.attributes = {}))))).toEqual(
      [],
    );
  });
});
