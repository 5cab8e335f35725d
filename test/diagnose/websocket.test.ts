/**
 * websocket-idle-timeout from real ws/wss lines through the log aggregator: connections of about the idle
 * timeout, repeating per client, are cut by the ALB; long-lived ones (that send frames) are not evidence.
 */
import { describe, expect, it } from "vitest";
import { websocketCheck } from "../../src/diagnose/checks/websocket.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { accessLogs, buildSnapshot, IDS, lbAttribute } from "../helpers/snapshot-builder.ts";

const START = Date.parse(IDS.window.start);

/** One WebSocket row: opened at `openMs`, closed `lifeSeconds` later. */
function wsLine(type: string, client: string, openMs: number, lifeSeconds: number, path = "/socket"): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");
  return `${type} ${iso(openMs + lifeSeconds * 1000)} ${IDS.lbResourceId} ${client}:51000 10.0.11.10:8080 0.000 0.001 0.000 101 101 420 129 "GET https://chat.example.com:443${path} HTTP/1.1" "Mozilla/5.0" - - ${IDS.tgArn} "Root=1-1" "chat.example.com" "-" 0 ${iso(openMs)} "forward" "-" "-" "10.0.11.10:8080" "101" "-" "-" TID_1`;
}

function summarize(lines: string[], idle = 60, parts = 1): LogSummary {
  const aggs = Array.from({ length: parts }, () => new LogAggregator({ idleTimeoutSeconds: idle }));
  lines.forEach((l, i) => {
    const b = Buffer.from(l);
    expect(aggs[i % parts].addLine(b, 0, b.length)).toBeNull();
  });
  const [first, ...rest] = aggs;
  for (const a of rest) first.merge(a.state());
  return first.summary({
    enabled: true,
    window: { ...IDS.window },
    objects: { listed: 1, scanned: 1, bytes: 0, failed: [] },
  });
}

/** 8 idle clients, each cut every 60 s for 20 minutes, and 2 busy clients with 15-minute connections. */
function idleClients(type = "wss"): string[] {
  const lines: string[] = [];
  for (let c = 0; c < 8; c++) {
    for (let k = 0; k < 20; k++)
      lines.push(wsLine(type, `198.51.100.${c}`, START + k * 60_500 + c * 1000, 60.02));
  }
  for (let c = 0; c < 2; c++) lines.push(wsLine(type, `203.0.113.${c}`, START + c * 1000, 900));
  return lines;
}

describe("websocket-idle-timeout", () => {
  it("the aggregator counts ws/wss 101 rows by lifetime, client and path, the same merged or not", () => {
    const one = summarize(idleClients());
    expect(one.webSockets).toEqual({
      connections: 162,
      closedAtIdle: 160,
      maxSeconds: 900,
      longerThanIdle: 2,
      clientsAtIdle: 8,
      repeatClientsAtIdle: 8,
      pathsAtIdle: { "/socket": 160 },
    });
    expect(summarize(idleClients(), 60, 3).webSockets).toEqual(one.webSockets);
    expect(summarize(idleClients("ws")).webSockets?.closedAtIdle).toBe(160);
  });

  it("fires with the reconnects and the ping fix computed from the idle timeout", () => {
    const [f, ...rest] = websocketCheck.run(buildSnapshot(accessLogs(summarize(idleClients()))));
    expect(rest).toEqual([]);
    expect(f.id).toBe("websocket-idle-timeout");
    expect(f.severity).toBe("critical");
    expect(f.confidence).toBeGreaterThanOrEqual(0.85);
    const text = f.evidence.map((e) => e.detail).join("\n");
    expect(text).toContain(
      "160 of 162 WebSocket connections (ws/wss rows, status 101) lasted about the 60 s idle timeout",
    );
    expect(text).toContain("8 clients had connections cut this way, 8 of them two times or more");
    expect(text).toContain("2 connections lived longer than the idle timeout (up to 900.0 s)");
    expect(f.fixes.map((x) => x.id)).toEqual([
      "websocket-ping",
      "set-idle-timeout",
      "raise-backend-keepalive",
    ]);
    expect(f.fixes[0].snippets!.map((s) => s.code).join("\n")).toContain("}, 20000);");
    expect(f.fixes[1].changes?.[0]).toMatchObject({ current: "60", proposed: "300" });
  });

  it("reads the idle timeout the analyzer used: 120 s connections are not cut at a 60 s timeout", () => {
    const lines = Array.from({ length: 30 }, (_, k) =>
      wsLine("wss", `198.51.100.${k % 3}`, START + k * 121_000, 120),
    );
    expect(websocketCheck.run(buildSnapshot(accessLogs(summarize(lines, 60))))).toEqual([]);
    const [f] = websocketCheck.run(
      buildSnapshot(lbAttribute("idle_timeout.timeout_seconds", "120"), accessLogs(summarize(lines, 120))),
    );
    expect(f.id).toBe("websocket-idle-timeout");
    expect(f.fixes[0].summary).toContain("every 40 s");
  });

  it("stays silent on long-lived WebSockets, on two cut connections, and without logs", () => {
    const long = Array.from({ length: 20 }, (_, k) =>
      wsLine("wss", `198.51.100.${k}`, START + k * 1000, 600),
    );
    expect(websocketCheck.run(buildSnapshot(accessLogs(summarize(long))))).toEqual([]);
    const two = [wsLine("wss", "198.51.100.1", START, 60), wsLine("wss", "198.51.100.1", START + 61_000, 60)];
    expect(websocketCheck.run(buildSnapshot(accessLogs(summarize(two))))).toEqual([]);
    expect(websocketCheck.run(buildSnapshot(accessLogs(null)))).toEqual([]);
  });
});
