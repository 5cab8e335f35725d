/**
 * `/alb check` across accounts through the real Bolt app (signed requests, fake Slack) and the real SDK
 * clients against a two-account simulator: AssumeRole with the Slack user as SourceIdentity, a diagnosis in
 * the other account, its fix planned and run there with the approver's session; unknown alias, denied role
 * and a region outside the account's list answered by name.
 */
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_CREDENTIALS } from "../../src/aws/clients.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import { startTestApp, type TestApp } from "../helpers/slack-harness.ts";
import { ACCOUNTS_YAML, STAGING_ID, twoAccountScenario, writeAccountsFile } from "./fixture.ts";
import { buttonValue, clickPayload, finalText } from "./slack-helpers.ts";

describe("/alb check in another account", () => {
  let sim: TestSim;
  let t: TestApp;
  beforeAll(async () => {
    sim = await startTestSim(twoAccountScenario());
    t = await startTestApp({
      aws: sim.clients,
      now: () => sim.world.now,
      diagnose: createDiagnoser({
        aws: sim.clients,
        now: () => sim.world.now,
        defaultWindow: "1h",
        credentials: SIMULATOR_CREDENTIALS,
        scannerFor: (aws) => createLogScanner(aws),
      }),
      env: {
        ACCOUNTS_FILE: writeAccountsFile(
          `${ACCOUNTS_YAML}channels:\n  C0INCIDENT: { accounts: ["*"], fixes: ["*"] }\n`,
        ),
        APPROVERS: "U0BOB",
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it("assumes staging's role as the Slack user, diagnoses there, and plans and runs the fix there", async () => {
    const ack = await t.slash("check staging/billing-prod", { user_id: "U0ALICE" });
    const report = await t.fake.waitFor(
      () => t.fake.postsTo(ack.hook).find((p) => p.body.replace_original === true),
      15_000,
      "the report",
    );
    const text = JSON.stringify(report.body);
    expect(text).toContain("sg-blocks-alb-to-target");
    expect(text).toContain("*Account* `staging` (210987654321");
    const session = [...sim.world.sessions.values()].find((s) => s.accountId === STAGING_ID)!;
    expect(session.sourceIdentity).toBe("U0ALICE");
    expect(session.roleSessionName).toBe("alb-doctor-U0ALICE");
    // The load balancer is staging's: the own account has no billing-prod.
    expect(sim.world.loadBalancers.some((lb) => lb.LoadBalancerName === "billing-prod")).toBe(false);

    const offerId = buttonValue(report.body.blocks, ACTION.fix)!;
    expect(offerId).toBeTruthy();
    const before = t.fake.callsTo("chat.postMessage").length;
    await t.action(clickPayload(ACTION.fix, offerId, "U0ALICE", "C0INCIDENT", t.fake));
    const planMsg = await t.fake.waitFor(
      () =>
        t.fake
          .callsTo("chat.postMessage")
          .slice(before)
          .find((c) => buttonValue(c.args.blocks, ACTION.approve)),
      10_000,
      "the plan message",
    );
    expect(JSON.stringify(planMsg.args.blocks)).toContain("staging");
    const planId = buttonValue(planMsg.args.blocks, ACTION.approve)!;
    const updates = t.fake.callsTo("chat.update").length;
    await t.action(clickPayload(ACTION.approve, planId, "U0BOB", "C0INCIDENT", t.fake));
    const outcome = await t.fake.waitFor(
      () => t.fake.callsTo("chat.update").slice(updates)[0],
      10_000,
      "the outcome",
    );
    expect(JSON.stringify(outcome.args)).toMatch(/applied|executed|verified/i);
    // The approver's own session ran the change, in staging.
    expect([...sim.world.sessions.values()].some((s) => s.sourceIdentity === "U0BOB")).toBe(true);
    const staging = sim.world.accounts.find((a) => a.accountId === STAGING_ID)!.world;
    const writes = staging.callLog.filter((c) => c.action === "AuthorizeSecurityGroupIngress");
    expect(writes).toHaveLength(1);
    expect(sim.world.callLog.filter((c) => c.action === "AuthorizeSecurityGroupIngress")).toHaveLength(0);
    const audit = await t.deps.store.readAudit({ limit: 10 });
    expect(audit.length).toBeGreaterThan(1);
    expect(audit.every((e) => e.account === "staging")).toBe(true);
    // Through the real client: staging's group now admits the ALB (the own account's does not change).
    const ec2 = new EC2Client({
      region: "us-east-1",
      endpoint: sim.endpoint,
      credentials: SIMULATOR_CREDENTIALS,
    });
    const own = await ec2.send(new DescribeSecurityGroupsCommand({}));
    ec2.destroy();
    expect(JSON.stringify(own.SecurityGroups)).not.toContain("billing");
  });

  it.each([
    ["nosuch/billing-prod", /unknown account "nosuch": the accounts are prod, staging, denied/],
    [
      "denied/billing-prod",
      /cannot assume the role of account denied \(arn:aws:iam::444444444444:role\/alb-doctor-read\): AccessDenied/,
    ],
    [
      "staging/ap-south-1/billing-prod",
      /ap-south-1 is not a region of account staging \(its regions: us-east-1, eu-west-1\)/,
    ],
  ])("answers %s by name", async (ref, message) => {
    const ack = await t.slash(`check ${ref}`);
    const text = await finalText(t, ack.hook, (s) => message.test(s));
    expect(text).toMatch(message);
  });
});
