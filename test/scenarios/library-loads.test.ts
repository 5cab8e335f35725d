/**
 * The scenario library (scenarios/*.yaml) is the project's own test material: every file must load, carry an
 * `expect` block with valid ids, and together they must cover every diagnosis id as a root cause.
 * Also checks that the literal access-log lines agree with the account they sit in (load balancer, target
 * groups, the file's 5-minute window), since the analyzer and the end-to-end tests rely on that.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CHECK_PART_IDS, DIAGNOSIS_IDS } from "../../src/domain/ids.ts";
import { loadScenario } from "../../src/sim/scenario.ts";

const dir = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

const Id = z.enum(DIAGNOSIS_IDS);
const Evidence = z.string().refine((s) => {
  const m = /^\/(.+)\/([dgimsuy]*)$/.exec(s);
  if (!m) return true;
  try {
    new RegExp(m[1], m[2]);
    return true;
  } catch {
    return false;
  }
}, "a /regex/ that compiles");
const Expect = z.strictObject({
  rootCause: Id.nullable(),
  includes: z.array(Id),
  excludes: z.array(Id),
  status: z.enum(["healthy", "problems-found", "incomplete", "no-data"]),
  evidence: z.array(Evidence),
  /** For an empty window: what the report's noData must say (the window, the clock). */
  noData: z.array(Evidence).optional(),
  failedChecks: z.array(z.enum(CHECK_PART_IDS)).optional(),
  /** The report's managedBy (who owns the load balancer, from its tags). */
  managedBy: z
    .strictObject({ kind: z.enum(["kubernetes", "cloudformation", "terraform"]), owner: z.string() })
    .optional(),
});
type ExpectBlock = z.infer<typeof Expect>;

interface RawScenario {
  name?: string;
  now?: string;
  loadBalancers?: { LoadBalancerName: string; Id?: string; Attributes?: Record<string, string> }[];
  targetGroups?: { TargetGroupName: string; Id?: string }[];
  metrics?: {
    MetricName: string;
    Dimensions?: Record<string, string>;
    Values?: number[];
    Stats?: Record<string, number[]>;
  }[];
  accessLogs?: { files: { End: string; Lines?: string[]; Generate?: unknown }[] };
  expect?: unknown;
}

const raw = new Map<string, RawScenario>(
  files.map((f) => [f, parse(readFileSync(join(dir, f), "utf8")) as RawScenario]),
);
const expectOf = (f: string): ExpectBlock => Expect.parse(raw.get(f)!.expect);

describe("scenario library", () => {
  it("has the scenarios the project relies on", () => {
    expect(files).toContain("healthy.yaml");
    expect(files).toContain("faults.yaml");
    expect(files.filter((f) => f.startsWith("decoy-")).length).toBeGreaterThanOrEqual(4);
  });

  it("has a scenario whose root cause is each diagnosis id", () => {
    const roots = new Set(files.map((f) => expectOf(f).rootCause));
    const missing = DIAGNOSIS_IDS.filter((id) => !roots.has(id));
    expect(missing).toEqual([]);
    // and a file named after each id, with that id as its root cause
    for (const id of DIAGNOSIS_IDS) expect(expectOf(`${id}.yaml`).rootCause, id).toBe(id);
  });

  describe.each(files)("%s", (file) => {
    const s = raw.get(file)!;

    it("loads with the simulator's loader, which keeps its expect block and writes its logs", () => {
      const world = loadScenario(join(dir, file));
      expect(world.expect).toEqual(s.expect);
      const files = s.accessLogs?.files ?? [];
      const objects = [...world.buckets.values()].reduce((n, b) => n + b.Objects.size, 0);
      expect(objects).toBe(files.length);
      for (const m of world.metrics) expect(m.End.toISOString()).toBe(new Date(s.now!).toISOString());
    });

    it("has a valid expect block", () => {
      const e = expectOf(file);
      if (e.rootCause) {
        expect(e.includes).not.toContain(e.rootCause);
        expect(e.excludes).not.toContain(e.rootCause);
      }
      expect(e.includes.filter((id) => e.excludes.includes(id))).toEqual([]);
      if (e.status === "problems-found") expect(e.rootCause).not.toBeNull();
      if (e.rootCause === null) expect(e.status).not.toBe("problems-found");
      // An empty window must be asserted on what the report says about it, not only on its status.
      if (e.status === "no-data") expect(e.noData?.length, "no-data needs noData needles").toBeGreaterThan(0);
      expect(s.name).toBe(file.replace(/\.yaml$/, ""));
    });

    it("has a fixed clock and metrics that reference its own resources", () => {
      expect(s.now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const lbs = new Set((s.loadBalancers ?? []).map((l) => l.LoadBalancerName));
      const tgs = new Set((s.targetGroups ?? []).map((t) => t.TargetGroupName));
      for (const m of s.metrics ?? []) {
        const d = m.Dimensions ?? {};
        if (d.LoadBalancer) expect(lbs, `${m.MetricName} LoadBalancer`).toContain(d.LoadBalancer);
        if (d.TargetGroup) expect(tgs, `${m.MetricName} TargetGroup`).toContain(d.TargetGroup);
        const lengths = [m.Values, ...Object.values(m.Stats ?? {})].filter(Boolean).map((v) => v!.length);
        expect(new Set(lengths).size, `${m.MetricName} series lengths`).toBe(1);
      }
    });

    it("has access-log lines that belong to its load balancer, groups and file windows", () => {
      const lbIds = new Set((s.loadBalancers ?? []).map((l) => `app/${l.LoadBalancerName}/${l.Id}`));
      const tgIds = new Set((s.targetGroups ?? []).map((t) => `targetgroup/${t.TargetGroupName}/${t.Id}`));
      for (const f of s.accessLogs?.files ?? []) {
        const end = Date.parse(f.End);
        for (const line of f.Lines ?? []) {
          const fields = line.match(/"[^"]*"|\S+/g) ?? [];
          expect(fields.length, line).toBeGreaterThanOrEqual(29);
          expect(lbIds, line).toContain(fields[2]);
          const t = Date.parse(fields[1]);
          expect(t > end - 300_000 && t <= end, `${fields[1]} in file ending ${f.End}`).toBe(true);
          const tg = fields[16];
          if (tg !== "-") expect(tgIds, line).toContain(tg.slice(tg.indexOf("targetgroup/")));
        }
      }
    });

    it("has ELB 5xx metrics that add up to its literal error rows", () => {
      const files = s.accessLogs?.files ?? [];
      // only where every error row is literal (no Generate block with Errors)
      if (
        files.length === 0 ||
        files.some((f) => (f.Generate as { Errors?: unknown[] } | undefined)?.Errors?.length)
      )
        return;
      const rows = files.flatMap((f) => f.Lines ?? []).map((l) => l.match(/"[^"]*"|\S+/g) ?? []);
      for (const code of ["502", "503", "504"]) {
        const inLogs = rows.filter((f) => f[8] === code && f[9] === "-").length;
        const series = (s.metrics ?? []).find(
          (m) => m.MetricName === `HTTPCode_ELB_${code}_Count` && !m.Dimensions?.TargetGroup,
        );
        const inMetrics = (series?.Values ?? []).reduce((a, b) => a + b, 0);
        expect(inMetrics, `HTTPCode_ELB_${code}_Count`).toBe(inLogs);
      }
    });
  });
});
