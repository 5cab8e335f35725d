/**
 * The Athena table's RegexSerDe regex against every real line of ../shared/conformance/alb-logs (read at run
 * time, never copied in) and this repository's own fixtures: each line the streaming parser accepts must
 * match the access-log branch, with every field the table names captured exactly as the tokenizer cuts it
 * (raw text, quotes removed, escapes kept); each line the parser rejects must fall to the catch-all branch.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALB_LOG_REGEX, TABLE_COLUMNS, TABLE_FIELDS } from "../../../src/logs/athena/table.ts";
import { LineTokens, tokenize, validate } from "../../../src/logs/parse.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const corpus = join(repoRoot, "..", "shared", "conformance", "alb-logs", "real-lines.log");
const fixture = join(repoRoot, "test", "fixtures", "logs", "aws-doc-examples.log");
// Java's Matcher.matches() semantics: the whole line.
const whole = new RegExp(`^(?:${ALB_LOG_REGEX})$`);

function readLines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
}

/** What the table's columns hold for a line, by name (undefined: NULL). */
function columns(line: string): Record<string, string | undefined> {
  const m = whole.exec(line);
  if (!m) throw new Error(`regex did not match at all: ${line.slice(0, 80)}`);
  return Object.fromEntries(TABLE_COLUMNS.map((c, i) => [c, m[i + 1]]));
}

/** The streaming tokenizer's view: null when it rejects the line, else each field's raw content. */
function tokens(line: string): (string | undefined)[] | null {
  const buf = Buffer.from(line, "utf8");
  const t = new LineTokens();
  if ((tokenize(buf, 0, buf.length, t) ?? validate(t)) !== null) return null;
  return TABLE_FIELDS.map((_, i) => (i < t.count ? buf.toString("utf8", t.starts[i], t.ends[i]) : undefined));
}

function check(lines: string[]): { accepted: number; rejected: number } {
  let accepted = 0;
  let rejected = 0;
  for (const line of lines) {
    const cols = columns(line);
    expect(cols.line).toBe(line);
    const want = tokens(line);
    if (want === null) {
      rejected++;
      expect(cols.type, line).toBeUndefined();
      continue;
    }
    accepted++;
    TABLE_FIELDS.forEach(([name], i) => expect(cols[name], `${name} of ${line}`).toBe(want[i]));
  }
  return { accepted, rejected };
}

describe("the Athena table's regex", () => {
  it.skipIf(!existsSync(corpus))("captures every field of every corpus line the parser accepts", () => {
    const lines = readLines(corpus);
    const r = check(lines);
    expect(r.accepted).toBeGreaterThan(90);
    expect(r.accepted + r.rejected).toBe(lines.length);
  });

  it("captures the fixtures' lines and rejects what the parser rejects", () => {
    const extra = [
      // NLB (tls) lines, classic ELB lines and junk: no ALB type and time in the right places.
      "tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com - - - 2018-12-20T02:59:30",
      '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -',
      "hello world",
      "   ",
      // Too few fields, a bad number, hour 24.
      'http 2018-07-02T22:23:00.186641Z app/x/1 1.2.3.4:5 - 0 0 0 200 200 1 2 "GET / HTTP/1.1" "ua" - -',
      'http 2018-07-02T22:23:00.186641Z app/x/1 1.2.3.4:5 - 0 abc 0 200 200 1 2 "GET / HTTP/1.1" "ua" - - arn "Root=1"',
      'http 2018-07-02T24:23:00.186641Z app/x/1 1.2.3.4:5 - 0 0 0 200 200 1 2 "GET / HTTP/1.1" "ua" - - arn "Root=1"',
      // Accepted: escapes in quotes, several spaces, a quote touching the next token, a trailing space.
      'h2 2018-07-02T22:23:00Z app/x/1 1.2.3.4:5 10.0.0.1:80  -1 -1 -1 502 - 1 2 "GET /a\\"b HTTP/2.0" "u \\\\ a" - - arn "Root=1""d" "-"1 2018-07-02T22:23:00Z "forward" "-" "-" ',
      'http 2018-07-02T22:23:00.1Z app/x/1 1.2.3.4:5 - .5 -.25 0 460 - 1 2 "- - - " "-" - - - "-"',
    ];
    const r = check([...readLines(fixture), ...extra]);
    expect(r.rejected).toBeGreaterThanOrEqual(7);
    expect(r.accepted).toBeGreaterThanOrEqual(2);
  });
});
