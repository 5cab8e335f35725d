/**
 * Conformance with real access-log lines and what peer parsers assert about them. The data lives outside
 * the repository (../shared/conformance/alb-logs, licences forbid copying it in) and is read at run time;
 * the test is skipped, saying so, when the directory is absent.
 *
 * Values are compared, not representations: "-", "" and absent are all null; numeric strings are numbers;
 * lists compare item by item ("200" = 200); actions_executed "a,b" = ["a","b"]; method case is ignored;
 * times compare as instants ("…Z" = "…+00:00").
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/logs/parse.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = join(repoRoot, "..", "shared", "conformance", "alb-logs");
const present = existsSync(join(dir, "expected.jsonl")) && existsSync(join(dir, "real-lines.log"));
if (!present) console.warn(`conformance: ${dir} not found, skipping the peer-conformance tests`);

/**
 * Where we knowingly disagree with a peer's assertion, and why (peers.md). Every entry must still
 * disagree (a test checks), so the table cannot go stale.
 */
const DISAGREEMENTS: { lines: number[]; field: string; peer: string; reason: string }[] = [
  {
    lines: [21, 22, 75],
    field: "target_port",
    peer: "igtm/node-alb-log-parser",
    reason:
      'igtm/node-alb-log-parser writes target_port -1 when the target is "-"; there is no port, so null',
  },
  {
    lines: [96],
    field: "target_port",
    peer: "Falco",
    reason:
      'Falco ELB plugin turns target "-" into target_port 0 (and unparsable numbers into 0) — a peer bug',
  },
  {
    lines: [49, 50, 51, 52, 53],
    field: "domain_name",
    peer: "simnalamburt/elb-log-parser",
    reason:
      'simnalamburt/elb-log-parser\'s test expects the leading space of " some-subdomain.domain.com" trimmed; ' +
      "we keep the logged text as it is (the space is in the real line)",
  },
];

const TIME_FIELDS = new Set(["time", "request_creation_time"]);
const LIST_FIELDS = new Set(["target_port_list", "target_status_code_list", "actions_executed"]);

function scalar(field: string, v: unknown): unknown {
  if (v === undefined || v === null || v === "-" || v === "") return null;
  if (typeof v === "string") {
    if (TIME_FIELDS.has(field)) return Date.parse(v);
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    if (field === "request_method") return v.toUpperCase();
  }
  return v;
}

export function normalize(field: string, v: unknown): unknown {
  if (LIST_FIELDS.has(field)) {
    const items = Array.isArray(v)
      ? v
      : typeof v === "string"
        ? v.split(field === "actions_executed" ? "," : " ")
        : [v];
    const out = items.map((x) => scalar(field, x)).filter((x) => x !== null);
    return out.length ? out : null;
  }
  return scalar(field, v);
}

interface Expected {
  line: number;
  source: string;
  fields: Record<string, unknown>;
}

describe.skipIf(!present)("conformance with peer parsers (../shared/conformance/alb-logs)", () => {
  const lines = present ? readFileSync(join(dir, "real-lines.log"), "utf8").split("\n") : [];
  const expected: Expected[] = present
    ? readFileSync(join(dir, "expected.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Expected)
    : [];
  const known = (e: Expected, field: string) =>
    DISAGREEMENTS.some((d) => d.field === field && d.lines.includes(e.line) && e.source.includes(d.peer));

  it("parses every real line (all 98)", () => {
    const failures = lines
      .map((l, i) => [i + 1, l] as const)
      .filter(([, l]) => l !== "")
      .map(([n, l]) => [n, parseLine(l)] as const)
      .filter(([, r]) => !r.ok);
    expect(failures).toEqual([]);
    expect(lines.filter(Boolean).length).toBe(98);
  });

  it("covers the 90 lines with peer assertions", () => {
    expect(expected.length).toBe(90);
  });

  it.each(expected.map((e) => [e.line, e.source, e] as const))("line %i agrees with %s", (n, _source, e) => {
    const r = parseLine(lines[n - 1]);
    if (!r.ok) throw new Error(r.reason);
    const record = r.record as unknown as Record<string, unknown>;
    for (const [field, peerValue] of Object.entries(e.fields)) {
      if (known(e, field)) continue;
      expect({ field, value: normalize(field, record[field]) }, e.source).toEqual({
        field,
        value: normalize(field, peerValue),
      });
    }
  });

  it.each(DISAGREEMENTS.flatMap((d) => d.lines.map((n) => [n, d.field, d.reason, d.peer] as const)))(
    "line %i %s: the listed disagreement still exists (%s)",
    (n, field, _reason, peer) => {
      const e = expected.find((x) => x.line === n && x.source.includes(peer));
      const r = parseLine(lines[n - 1]);
      if (!e || !r.ok) throw new Error(`line ${n} missing or unparsable`);
      const ours = normalize(field, (r.record as unknown as Record<string, unknown>)[field]);
      expect(ours).not.toEqual(normalize(field, e.fields[field]));
    },
  );
});
