/**
 * The generator and the access-log analyzer (src/logs) must agree: every error kind the generator writes
 * parses with the analyzer's parser, all 30 fields and no complaint, and lands in the cause class the
 * kind stands for. This keeps the scenarios honest test material for the diagnosis.
 */
import { describe, expect, it } from "vitest";
import { generateAccessLogLines, type ErrorKind } from "../../src/sim/loggen/index.ts";
import { parseLine } from "../../src/logs/parse.ts";
import { classifyLine } from "../../src/logs/classify.ts";
import type { LogErrorClass } from "../../src/domain/log-summary.ts";
import * as f from "./loggen-fixture.ts";

const IDLE = 45;
const expected: [ErrorKind, string, LogErrorClass | null][] = [
  ["keepalive-502", "/v1/orders/{id}", "elb-502-target-closed"],
  ["connect-refused-502", "/v1/orders/{id}", "elb-502-target-closed"],
  ["tls-502", "/v1/orders/{id}", "elb-502-target-closed"],
  ["malformed-502", "/v1/orders/{id}", "elb-502-malformed-response"],
  ["idle-timeout-504", "/v1/reports", "elb-504-idle-timeout"],
  ["connect-timeout-504", "/v1/orders/{id}", "elb-504-connect-timeout"],
  ["no-target-503", "/v1/orders/{id}", "elb-503-no-target"],
  ["lambda-error", "/thumbs/{id}", "lambda-error"],
  ["target-5xx", "/v1/orders/{id}", "target-5xx"],
  ["client-460", "/v1/orders/{id}", "client-closed"],
  ["target-4xx", "/v1/orders/{id}", null],
];

describe("generated access logs, read by the analyzer", () => {
  it.each(expected)("%s is classified as %s", (kind, path, cls) => {
    const lines = generateAccessLogLines(
      { RequestsPerMinute: 10, Paths: [{ Path: path }], Errors: [{ Kind: kind, Rate: 1 }] },
      {
        lb: f.makeLb({ "idle_timeout.timeout_seconds": String(IDLE) }),
        targetGroups: f.targetGroups,
        listeners: f.listeners.filter((l) => l.Protocol === "HTTPS"),
        instances: f.instances,
        start: new Date("2026-03-15T14:20:00Z"),
        end: new Date("2026-03-15T14:25:00Z"),
      },
    );
    expect(lines).toHaveLength(50);
    for (const line of lines) {
      const parsed = parseLine(line);
      if (!parsed.ok) throw new Error(`${parsed.reason}: ${line}`);
      const r = parsed.record;
      expect(r.conn_trace_id).toMatch(/^TID_/);
      const duration = (Date.parse(r.time) - Date.parse(r.request_creation_time ?? "")) / 1000;
      const got = classifyLine(
        {
          elbStatus: r.elb_status_code ?? 0,
          targetStatus: r.target_status_code,
          targetSet: r.target_ip !== null,
          requestProcessingTime: r.request_processing_time,
          targetProcessingTime: r.target_processing_time,
          durationSeconds: duration,
          errorReason: r.error_reason ?? null,
          actions: r.actions_executed ?? null,
        },
        { idleTimeoutSeconds: IDLE },
      );
      expect(got).toBe(cls);
    }
  });
});
