/**
 * Hostile outside text on every surface. A table of hostile strings (test/helpers/hostile.ts) goes into
 * every alarm format (SNS JSON, e-mail, Amazon Q, a person's sentence), into the AWS state the plans read
 * (names, health-check path), into a diagnosis report, an offer and the audit trail; then the real Bolt app,
 * driven by signed requests, answers through the fake Slack Web API. Every message it sends (thread reply,
 * edits, diagnosis reply, plan, outcome, rejection, refusal, history, their notification `text`) is checked:
 * nothing live, no link the bot did not build or validate, no control or bidi character. The CLI text
 * reports get the same table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveFixOffers } from "../../src/remediate/offers.ts";
import { formatEntry } from "../../src/cli/audit.ts";
import { renderReportText } from "../../src/cli/report-text.ts";
import type { LogSummary } from "../../src/domain/log-summary.ts";
import type { Report } from "../../src/domain/report.ts";
import { renderLogSummaryText } from "../../src/logs/summary-text.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import type { AuditEntry } from "../../src/store/store.ts";
import { HOSTILE, HOSTILE_PRINTABLE, LONG, inertProblems, terminalProblems } from "../helpers/hostile.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startFakeSlack, startTestApp, type FakeSlack, type TestApp } from "../helpers/slack-harness.ts";
import { NOW, TG_ARN, remediationScenario } from "../remediate/fixture.ts";
import { keepaliveReport } from "../slack/fixtures.ts";
import { LB_ID, alarmJson } from "../triage/fixtures.ts";

const CHANNEL = "C0INCIDENT";
const REQUESTER = "U0ALICE";
const APPROVER = "U0BOB";
const USERS = [REQUESTER, APPROVER];
const ALL = HOSTILE.join(" ");
/** Alarm names cannot hold a double quote (e-mail) or a bar (Amazon Q title), and are one line. */
const NAME = HOSTILE_PRINTABLE.filter((s) => !s.includes("|") && s !== LONG).join(" ");

let fake: FakeSlack;
const apps: TestApp[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await fake?.close();
});

/** Everything the app sent to Slack since `from`: Web API calls and response_url posts. */
function sentSince(from: { calls: number; hooks: number }): unknown[] {
  return [
    ...fake.calls
      .slice(from.calls)
      .filter((c) => c.method.startsWith("chat."))
      .map((c) => c.args),
    ...fake.hookPosts.slice(from.hooks).map((p) => p.body),
  ];
}
const mark = () => ({ calls: fake.calls.length, hooks: fake.hookPosts.length });
const expectInert = (messages: unknown[]) => {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.flatMap((m) => inertProblems(m, USERS))).toEqual([]);
};

type Element = { type: string; action_id?: string; value?: string };
function buttonValue(blocks: unknown, actionId: string): string | undefined {
  for (const b of (blocks ?? []) as { accessory?: Element; elements?: Element[] }[]) {
    if (b.accessory?.action_id === actionId) return b.accessory.value;
    const el = b.elements?.find((e) => e.action_id === actionId);
    if (el) return el.value;
  }
  return undefined;
}

function click(actionId: string, value: string, user: string, hook: string, ts = "1700000000.000100") {
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T0TEST" },
    api_app_id: "A0ALBDOCTOR",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: ts, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: `${Date.now()}.trigger`,
    team: { id: "T0TEST", domain: "test-team" },
    channel: { id: CHANNEL, name: "incidents" },
    message: { type: "message", ts, text: "", user: "U0BOT" },
    response_url: fake.responseUrl(hook),
    actions: [
      { type: "button", action_id: actionId, block_id: "b", value, action_ts: `${Date.now() / 1000}` },
    ],
  };
}

describe("alarm formats -> triage thread reply and its edits", () => {
  let sim: TestSim;
  let ts = 0;
  const nextTs = () => `1773584${String(100 + ++ts).padStart(3, "0")}.000100`;
  beforeAll(async () => {
    sim = await startTestSim("scenarios/keepalive-race.yaml");
  });
  afterAll(async () => {
    await sim?.close();
  });

  const sns = (state: string) => ({
    ...alarmJson(state),
    AlarmName: NAME,
    AlarmDescription: ALL,
    NewStateReason: ALL,
  });
  const email = `You are receiving this email because your Amazon CloudWatch Alarm "${NAME}" in the US East (N. Virginia) region has entered the ALARM state, because "${ALL}" at "Sunday 15 March, 2026 14:21:10 UTC".

View this alarm in the AWS Management Console:
https://evil.example/phish?console.aws.amazon.com/cloudwatch
https://us-east-1.console.aws.amazon.com/cloudwatch/deeplink.js?region=us-east-1#alarmsV2:alarm/x&gt;&lt;!channel&gt;&lt;https://evil.example|Acknowledge

Alarm Details:
- Name:                       ${NAME}
- State Change:               OK -> ALARM
- Reason for State Change:    ${ALL}

Monitored Metric:
- MetricNamespace:                     AWS/ApplicationELB
- MetricName:                          HTTPCode_ELB_5XX_Count
- Dimensions:                          [LoadBalancer = ${LB_ID}]`;
  // Slack delivers message text with &, < and > escaped; links as <url|label>.
  const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  const FORMATS: [string, () => Record<string, unknown>][] = [
    ["SNS JSON", () => ({ text: JSON.stringify(sns("ALARM")) })],
    ["e-mail", () => ({ text: slackEscape(email) })],
    [
      "Amazon Q",
      () => ({
        text: "",
        attachments: [
          {
            color: "danger",
            title: `CloudWatch Alarm | ${NAME} | us-east-1 | Account: 123456789012`,
            title_link: "https://evil.example/phish?console.aws.amazon.com/cloudwatch",
            text: `${slackEscape(ALL)} <https://evil.example/phish?console.aws.amazon.com/cloudwatch|View in console> state ALARM - ${LB_ID} HTTPCode_ELB_5XX_Count`,
          },
        ],
      }),
    ],
    ["plain sentence", () => ({ text: `shop-prod ALB is throwing 502s ${slackEscape(ALL)} <!channel>` })],
  ];

  it.each(FORMATS)("%s: the reply and the recovery edit carry nothing live", async (_name, message) => {
    const diagnose = createDiagnoser({
      aws: sim.clients,
      now: () => sim.world.now,
      defaultWindow: "1h",
      scanLogs: createLogScanner(sim.clients),
    });
    const app = await startTestApp({
      fake,
      aws: sim.clients,
      diagnose,
      env: { TRIAGE_CHANNELS: CHANNEL, SLACK_POST_INTERVAL_MS: "20" },
    });
    apps.push(app);
    const from = mark();
    const alarm = {
      type: "message",
      subtype: "bot_message",
      bot_id: "B0SNS",
      channel: CHANNEL,
      ts: nextTs(),
    };
    expect((await app.event({ ...alarm, ...message() })).status).toBe(200);
    const reply = await fake.waitFor(
      () => fake.calls.slice(from.calls).find((c) => c.method === "chat.postMessage" && c.args.thread_ts),
      20_000,
      "the thread reply",
    );
    expect(JSON.stringify(reply.args.blocks)).toContain("shop-prod");
    // A recovery whose alarm name is hostile too edits the same reply.
    await app.event({ ...alarm, ts: nextTs(), text: JSON.stringify(sns("OK")) });
    await fake.waitFor(
      () =>
        fake.calls
          .slice(from.calls)
          .find((c) => c.method === "chat.update" && JSON.stringify(c.args.blocks).includes("recovered at")),
      10_000,
      "the recovery edit",
    );
    expectInert(sentSince(from));
    // Links go to Slack's archive or the CloudWatch console only (hosts parsed, in inertProblems).
    const hosts = (JSON.stringify(sentSince(from)).match(/<https:\/\/[^/|>]+/g) ?? []).map((l) => l.slice(9));
    expect(hosts.length).toBeGreaterThan(0);
    for (const h of hosts) expect(h).toMatch(/^(slack\.com|([a-z0-9-]+\.)?console\.aws\.amazon\.com)$/);
  });
});

/** A report whose every outside string is hostile; the 6,000-character URL comes first in the evidence. */
function hostileReport(): Report {
  const r = keepaliveReport();
  const [root] = r.findings;
  root.title = `${root.title} ${ALL}`;
  root.evidence = [
    { source: "access-logs", detail: `slowest request ${LONG}` },
    { source: "access-logs", detail: ALL },
    { source: "attributes", detail: "LAST-EVIDENCE is still shown" },
  ];
  root.resources = [...root.resources, ALL];
  for (const fix of root.fixes) fix.summary = `${fix.summary} ${ALL}`;
  r.checks = [...r.checks, { id: "network-acls", status: "error", error: ALL } as Report["checks"][number]];
  return r;
}

describe("diagnosis reply, plan, outcome, rejection, refusal and history through the Bolt app", () => {
  let sim: TestSim;
  let app: TestApp;
  beforeAll(async () => {
    sim = await startTestSim(remediationScenario());
    // AWS state an operator (or an attacker with write access) set: the names and the path plans show.
    const group = sim.world.targetGroups.find((g) => g.TargetGroupArn === TG_ARN)!;
    group.TargetGroupName = `api ${HOSTILE_PRINTABLE.join(" ")}`;
    group.HealthCheckPath = `/h ${HOSTILE_PRINTABLE.join(" ")}`;
    app = await startTestApp({
      fake,
      aws: sim.clients,
      now: () => new Date(NOW),
      diagnose: async () => hostileReport(),
      env: { APPROVERS: APPROVER },
    });
    apps.push(app);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("/alb check: the diagnosis reply and its notification text, evidence capped per item", async () => {
    const from = mark();
    const ack = await app.slash("check my-alb", { user_id: REQUESTER });
    const posted = await fake.waitFor(
      () => fake.postsTo(ack.hook).find((p) => p.body.blocks),
      10_000,
      "the report",
    );
    expectInert(sentSince(from));
    const rootSection = JSON.stringify(posted.body.blocks).match(/\*Root cause:\*[^"]*/)?.[0] ?? "";
    expect(rootSection).toContain("LAST-EVIDENCE is still shown");
    expect(rootSection).toMatch(/… \(6,\d{3} characters\)/);
  });

  it("Fix -> plan, Approve -> outcome, Fix -> plan, Reject -> rejection, a hostile offer -> refusal, history", async () => {
    const from = mark();
    const report: Report = {
      ...keepaliveReport(),
      findings: [
        {
          id: "health-check-misconfigured",
          severity: "critical",
          confidence: 0.9,
          title: ALL,
          evidence: [],
          resources: [TG_ARN],
          fixes: [
            {
              id: "fix-health-check",
              automated: true,
              summary: ALL,
              params: { targetGroupArn: TG_ARN, Matcher: "200-299" },
            },
          ],
        },
      ],
    };
    const plans: string[] = [];
    for (const n of [1, 2]) {
      const offers = await saveFixOffers(app.deps.store, report, { now: new Date(NOW) });
      const before = fake.callsTo("chat.postMessage").length;
      await app.action(click(ACTION.fix, Object.values(offers)[0], REQUESTER, `fix-${n}`));
      const plan = await fake.waitFor(
        () =>
          fake
            .callsTo("chat.postMessage")
            .slice(before)
            .find((c) => buttonValue(c.args.blocks, ACTION.approve)),
        10_000,
        "the plan message",
      );
      plans.push(buttonValue(plan.args.blocks, ACTION.approve)!);
    }
    await app.action(click(ACTION.approve, plans[0], APPROVER, "approve", "1700000099.000100"));
    await fake.waitFor(
      // The simulator refuses the hostile path the group already has, so the outcome may be a failure:
      // either way it is the outcome message, with AWS's error text in it.
      () => fake.callsTo("chat.update").find((c) => /Applied|Failed/.test(String(c.args.text))),
      10_000,
      "the outcome",
    );
    await app.action(click(ACTION.reject, plans[1], REQUESTER, "reject", "1700000555.000100"));
    await fake.waitFor(
      () => fake.callsTo("chat.update").find((c) => /Rejected/.test(String(c.args.text))),
      10_000,
      "the rejection",
    );

    // An offer whose path came from traffic: refused before any plan, and the refusal is inert too.
    const pathReport: Report = {
      ...report,
      findings: [
        {
          ...report.findings[0],
          fixes: [
            {
              id: "fix-health-check",
              automated: true,
              summary: "x",
              params: { targetGroupArn: TG_ARN, HealthCheckPath: "/api/<!channel>/health" },
            },
          ],
        },
      ],
    };
    const bad = await saveFixOffers(app.deps.store, pathReport, { now: new Date(NOW) });
    await app.action(click(ACTION.fix, Object.values(bad)[0], REQUESTER, "refused"));
    const refusal = await fake.waitFor(() => fake.postsTo("refused")[0], 10_000, "the refusal");
    expect(String(refusal.body.text)).toMatch(/refusing the health-check path/);

    const entry: AuditEntry = {
      at: NOW,
      event: "refused",
      planId: "pl_hostile0001",
      fixId: "fix-health-check",
      actor: "<!channel>",
      loadBalancer: "my-alb",
      resource: ALL,
      before: { [ALL]: ALL },
      after: { [ALL]: "x" },
      awsRequestId: ALL,
      detail: ALL,
    };
    await app.deps.store.appendAudit(entry);
    const history = await app.slash("history my-alb", { user_id: REQUESTER });
    await fake.waitFor(() => fake.postsTo(history.hook)[0], 10_000, "the history");

    const sent = sentSince(from);
    // The plans show the hostile current path and name (escaped), so the check below is not empty.
    expect(JSON.stringify(sent)).toContain("&lt;!channel&gt;");
    expectInert(sent);
  });
});

describe("CLI text reports", () => {
  it("the check report: no control or bidi character, colours only our own, evidence capped", () => {
    for (const color of [false, true]) {
      const text = renderReportText(hostileReport(), { color });
      expect(terminalProblems(text, { color })).toEqual([]);
      expect(text).toContain("LAST-EVIDENCE is still shown");
    }
  });

  it("the logs summary and the audit lines", () => {
    const summary = {
      enabled: true,
      bucket: ALL,
      prefix: ALL,
      window: { start: "2026-03-15T13:30:00Z", end: "2026-03-15T14:30:00Z" },
      objects: { listed: 1, scanned: 1, bytes: 10, failed: [{ key: ALL, reason: ALL }] },
      lines: { total: 1, inWindow: 1, malformed: 0 },
      durationMs: 1,
      byStatus: { "502": 1 },
      byTargetStatus: {},
      byClass: { "elb-502-target-closed": 1 },
      byErrorReason: { [ALL]: 1 },
      byTarget: { [ALL]: { requests: 1, errors: { "502": 1 }, classes: {} } },
      byTargetGroup: {},
      byPath: {
        [`/${Buffer.from("€ \u202e", "utf8").toString("latin1")}${ALL}`]: {
          requests: 1,
          errors: { "502": 1 },
          classes: {},
        },
      },
      byMinute: {},
      latency: {
        targetProcessing: { count: 0, p50: null, p90: null, p99: null, max: null },
        total: { count: 0, p50: null, p90: null, p99: null, max: null },
      },
      samples: { "elb-502-target-closed": [ALL] },
      assumptions: { idleTimeoutSeconds: 60 },
    } as unknown as LogSummary;
    const text = renderLogSummaryText(summary);
    expect(terminalProblems(text)).toEqual([]);
    expect(text).toContain("/€ "); // raw UTF-8 read as latin1 is shown decoded, not as mojibake
    const line = formatEntry({
      at: NOW,
      event: "refused",
      planId: ALL,
      fixId: "x",
      actor: ALL,
      loadBalancer: ALL,
      resource: ALL,
      detail: ALL,
    });
    expect(terminalProblems(line).filter((p) => !p.includes("6,000"))).toEqual([]);
  });
});
