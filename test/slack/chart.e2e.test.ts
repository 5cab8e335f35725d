/**
 * The chart in the diagnosis, end to end: the real Bolt app over signed HTTP, the real diagnoser on the
 * simulator, the fake Slack. A workspace that knows the data_visualization block gets it within Slack's
 * limits; one that rejects it (invalid_blocks) still gets the diagnosis, sent again without the chart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { limitViolations } from "../../src/slack/blocks/limits.ts";
import type { Block } from "../../src/slack/message.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startTestApp, type HookPost, type TestApp } from "../helpers/slack-harness.ts";

const SCENARIO = "scenarios/sg-blocks-alb-to-target.yaml";
const LB = "billing-prod";

const finals = (posts: HookPost[]) => posts.filter((p) => p.body.replace_original === true);
const charts = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as { type: string }[]).filter((b) => b.type === "data_visualization");

describe("diagnosis chart through Bolt", () => {
  let sim: TestSim;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startTestSim(SCENARIO);
    const diagnose = createDiagnoser({
      aws: sim.clients,
      now: () => sim.world.now,
      defaultWindow: "1h",
      scanLogs: createLogScanner(sim.clients),
    });
    t = await startTestApp({ diagnose, aws: sim.clients });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it("carries the data_visualization chart of the window within Slack's limits", async () => {
    t.fake.rejectCharts = false;
    const ack = await t.slash(`check ${LB}`);
    const final = await t.fake.waitFor(() => finals(t.fake.postsTo(ack.hook))[0], 15_000, "the diagnosis");
    const blocks = final.body.blocks as Block[];
    const [errors] = charts(blocks) as Extract<Block, { type: "data_visualization" }>[];
    expect(errors.title).toMatch(/^5xx per \d+ min by class$/);
    expect(errors.chart.series.length).toBeGreaterThan(0);
    // The scenario's outage is ELB 504s (connect timeouts): the chart's total is the report's figure.
    const total = errors.chart.series.reduce((a, s) => a + s.data.reduce((b, d) => b + d.value, 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(errors.chart.series.map((s) => s.name)).toContain("ELB 504");
    expect(limitViolations(blocks)).toEqual([]);
  });

  it("sends the diagnosis again without the chart when the workspace rejects the block", async () => {
    t.fake.rejectCharts = true;
    try {
      const ack = await t.slash(`check ${LB} 2h`);
      const posts = await t.fake.waitFor(
        () => (finals(t.fake.postsTo(ack.hook)).length >= 2 ? finals(t.fake.postsTo(ack.hook)) : undefined),
        15_000,
        "the retried diagnosis",
      );
      const [rejected, sent] = posts;
      expect(charts(rejected.body.blocks).length).toBeGreaterThan(0);
      expect(charts(sent.body.blocks)).toEqual([]);
      expect(sent.body.response_type).toBe("in_channel");
      expect(JSON.stringify(sent.body.blocks)).toContain("Root cause");
      expect(JSON.stringify(sent.body.blocks)).not.toContain("alb-chart-legend");
    } finally {
      t.fake.rejectCharts = false;
    }
  });
});
