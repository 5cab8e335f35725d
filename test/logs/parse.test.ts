import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RECORD_FIELDS } from "../../src/logs/fields.ts";
import { parseLine, splitHostPort, splitRequest } from "../../src/logs/parse.ts";
import { LogAggregator } from "../../src/logs/aggregate.ts";
import { DOC_EXAMPLES } from "../fixtures/logs/aws-doc-examples.expected.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/logs/${name}`, import.meta.url));
const docLines = readFileSync(fixture("aws-doc-examples.log"), "utf8").trimEnd().split("\n");

describe("AWS documentation example entries", () => {
  it("has one expectation per fixture line", () => {
    expect(docLines).toHaveLength(DOC_EXAMPLES.length);
  });

  it.each(DOC_EXAMPLES.map((x, i) => [x.name, i] as const))("%s: every field", (_name, i) => {
    const r = parseLine(docLines[i]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.record).toEqual(DOC_EXAMPLES[i].record);
    // Field order is the documented one.
    expect(Object.keys(r.record)).toEqual(RECORD_FIELDS.filter((f) => f in r.record));
  });

  it.each(DOC_EXAMPLES.map((x, i) => [x.name, i] as const))("%s: cause class", (_name, i) => {
    const agg = new LogAggregator({ idleTimeoutSeconds: 60 });
    const buf = Buffer.from(docLines[i]);
    expect(agg.addLine(buf, 0, buf.length)).toBeNull();
    const s = agg.summary({
      enabled: true,
      window: { start: "", end: "" },
      objects: { listed: 0, scanned: 0, bytes: 0, failed: [] },
    });
    const cls = DOC_EXAMPLES[i].cls;
    expect(s.byClass).toEqual(cls ? { [cls]: 1 } : {});
    if (cls) expect(s.samples[cls]).toEqual([docLines[i]]);
  });
});

const base =
  'http 2024-01-01T00:00:00.000000Z app/a/1 10.0.0.9:1234 10.0.0.1:80 0.001 0.002 0.000 200 200 1 2 "GET http://h:80/ HTTP/1.1" "ua" - - arn:tg "Root=1"';

describe("edge cases", () => {
  it("accepts the oldest 18-field format and stops the record there", () => {
    const r = parseLine(base);
    expect(r.ok && r.record.trace_id).toBe("Root=1");
    expect(r.ok && "domain_name" in r.record).toBe(false);
  });

  it("keeps unknown trailing fields by position, quoted or not", () => {
    const line = `${base} "-" "-" 0 2024-01-01T00:00:00.000000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1 "h" "/u" "OK" 100.51.96.60 "a b"`;
    const r = parseLine(line);
    if (!r.ok) throw new Error(r.reason);
    expect(r.record.transformed_host).toBe("h");
    expect(r.record.transformed_uri).toBe("/u");
    expect(r.record.request_transform_status).toBe("OK");
    expect(r.record.field_33).toBe("100.51.96.60");
    expect(r.record.field_34).toBe("a b");
  });

  it("unescapes \\\" and \\\\ in quoted fields but keeps AWS's \\xHH escapes as text", () => {
    const line = base.replace('"ua"', '"say \\"hi\\" c:\\\\x \\x22q\\x22"');
    const r = parseLine(line);
    expect(r.ok && r.record.user_agent).toBe('say "hi" c:\\x \\x22q\\x22');
  });

  it.each([
    ["short", 'a \\"b\\" c', 'a "b" c'],
    [
      "long, escaped quote past the first 24 bytes",
      `${"x".repeat(30)} \\"quoted\\" ${"y".repeat(30)}`,
      `${"x".repeat(30)} "quoted" ${"y".repeat(30)}`,
    ],
    ["ending in an escaped backslash", `${"z".repeat(40)}\\\\`, `${"z".repeat(40)}\\`],
  ])("finds the closing quote of a %s field", (_n, raw, text) => {
    const r = parseLine(base.replace('"ua"', `"${raw}"`));
    if (!r.ok) throw new Error(r.reason);
    expect(r.record.user_agent).toBe(text);
    expect(r.record.ssl_cipher).toBeNull();
    expect(r.record.trace_id).toBe("Root=1");
  });

  it.each([
    ["2001:db8::1:443", "2001:db8::1", 443],
    ["[2001:db8::1]:443", "2001:db8::1", 443],
    ["fd6d:8d64:af0c:3d00:40ce:face:ed83:f46:80", "fd6d:8d64:af0c:3d00:40ce:face:ed83:f46", 80],
    ["10.0.0.1:80", "10.0.0.1", 80],
    ["10.0.0.1", "10.0.0.1", null],
  ])("splits %s", (text, ip, port) => {
    expect(splitHostPort(text)).toEqual({ ip, port });
  });

  it.each([
    ["GET http://h:80/a b HTTP/1.1", "GET", "http://h:80/a b", "HTTP/1.1"],
    ["- - -", null, null, null],
    ["- http://h:80- -", null, "http://h:80-", null],
    ["- http://h:80-/ ", null, "http://h:80-/", null],
    ["GET http://h:80/ HTTP/1.0 ", "GET", "http://h:80/", "HTTP/1.0"],
    [
      "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1",
      "SSTP_DUPLEX_POST",
      "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/",
      "HTTP/1.1",
    ],
  ])("splits the request %j", (text, method, url, protocol) => {
    expect(splitRequest(text)).toEqual({ method, url, protocol });
  });

  it("reads -1 timings as -1 and '-' as null", () => {
    const r = parseLine(base.replace("0.001 0.002 0.000 200 200", "-1 -1 -1 502 -"));
    if (!r.ok) throw new Error(r.reason);
    expect(r.record.request_processing_time).toBe(-1);
    expect(r.record.target_status_code).toBeNull();
  });

  it.each([
    ["unbalanced quotes (a truncated line)", base.slice(0, -3), /unbalanced quote/],
    ["too few fields", "http 2024-01-01T00:00:00Z app/a/1 1.2.3.4:5", /at least 18 fields/],
    ["binary garbage", "\u0000\u0001\u00ff\u00fe".repeat(30), /fields|request type/],
    ["an NLB line", `tls 2.0 2018-12-20T02:59:40 net/my-nlb/e6f2 ${"x ".repeat(20)}`, /ISO-8601/],
    [
      "a connection-log line",
      `2024-10-04T17:05:15.514108Z 192.168.131.39 36280 443 ${"x ".repeat(20)}`,
      /request type/,
    ],
    ["a status that is not a number", base.replace("200 200", "abc 200"), /elb_status_code is not a number/],
  ])("rejects %s with a reason", (_n, line, reason) => {
    const r = parseLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
