/**
 * End to end: the real Bolt app in HTTP mode, signed requests as Slack sends them, the simulator behind the
 * real diagnoser, a fake Slack Web API and response_url receivers that record every call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixOffer } from "../../src/remediate/offers.ts";
import { AlbDoctorError } from "../../src/domain/errors.ts";
import { createDiagnoser } from "../../src/services/diagnose.ts";
import { createLogScanner } from "../../src/services/log-scanner.ts";
import type { Diagnoser } from "../../src/services/types.ts";
import { ACTION } from "../../src/slack/action-ids.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/store.ts";
import { startTestSim, type TestSim } from "../helpers/sim.ts";
import {
  slashBody,
  postSigned,
  startTestApp,
  type HookPost,
  type TestApp,
} from "../helpers/slack-harness.ts";

const SCENARIO = "scenarios/sg-blocks-alb-to-target.yaml";
const LB = "billing-prod";

interface CountingDiagnoser {
  diagnose: Diagnoser;
  calls: string[];
  /** While set, diagnoses wait for it (to make requests overlap deterministically). */
  gate?: Promise<void>;
}

function counting(real: Diagnoser): CountingDiagnoser {
  const c: CountingDiagnoser = {
    calls: [],
    diagnose: async (ref, options) => {
      c.calls.push(ref);
      if (c.gate) await c.gate;
      return real(ref, options);
    },
  };
  return c;
}

type AnyBlock = { type: string; accessory?: { type: string; action_id: string; value: string } };
const finalOf = (posts: HookPost[]) => posts.find((p) => p.body.replace_original === true);
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe("/alb over HTTP", () => {
  let sim: TestSim;
  let t: TestApp;
  let d: CountingDiagnoser;

  beforeAll(async () => {
    sim = await startTestSim(SCENARIO);
    d = counting(
      createDiagnoser({
        aws: sim.clients,
        now: () => sim.world.now,
        defaultWindow: "1h",
        scanLogs: createLogScanner(sim.clients),
      }),
    );
    t = await startTestApp({ diagnose: d.diagnose, aws: sim.clients });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it("acks first with 'Checking…', then replaces it with the root cause and a fix button", async () => {
    const ack = await t.slash(`check ${LB}`);
    expect(ack.status).toBe(200);
    expect(ack.json).toEqual({ response_type: "in_channel", text: `:mag: Checking *${LB}* (last 1h)…` });
    const final = await t.fake.waitFor(() => finalOf(t.fake.postsTo(ack.hook)), 10_000, "the final message");
    expect(final.at).toBeGreaterThanOrEqual(ack.at - 5); // the ack (HTTP response) came before the result
    expect(final.body.response_type).toBe("in_channel");
    expect(final.body.text).toContain("sg-blocks-alb-to-target");
    const button = (final.body.blocks as AnyBlock[]).find((b) => b.accessory?.type === "button")!.accessory!;
    expect(button.action_id).toBe(ACTION.fix);
    expect(button.value).toMatch(/^fx_[A-Za-z0-9_-]+$/);
    const offer = await loadFixOffer(t.deps.store, button.value);
    expect(offer?.fix.id).toBe("allow-alb-to-target");
    expect(offer?.loadBalancer.name).toBe(LB);
  });

  it.each([
    ["a bad signature", { signature: "v0=" + "0".repeat(64) }],
    ["a timestamp older than 5 minutes", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ["the wrong signing secret", { secret: "some-other-secret-value" }],
  ])("rejects %s with 401 and does nothing", async (_what, opts) => {
    const before = d.calls.length;
    const res = await t.slash(`check ${LB}`, opts);
    expect(res.status).toBe(401);
    await settle();
    expect(d.calls.length).toBe(before);
    expect(t.fake.postsTo(res.hook)).toEqual([]);
  });

  it("does not start a second diagnosis for Slack's retry of the same request", async () => {
    const hook = "retried";
    const body = slashBody({
      text: `check ${LB} 30m`,
      response_url: t.fake.responseUrl(hook),
      trigger_id: "111.222.retry",
    });
    const before = d.calls.length;
    const first = await postSigned(t.eventsUrl, body, "application/x-www-form-urlencoded");
    expect(first.status).toBe(200);
    await t.fake.waitFor(() => finalOf(t.fake.postsTo(hook)), 10_000, "the first answer");
    const retry = await postSigned(t.eventsUrl, body, "application/x-www-form-urlencoded", { retryNum: 1 });
    expect(retry.status).toBe(200);
    await settle();
    expect(d.calls.length - before).toBe(1);
    expect(t.fake.postsTo(hook).filter((p) => p.body.replace_original)).toHaveLength(1);
  });

  it("joins a running check of the same load balancer: one diagnosis, two answers", async () => {
    let release!: () => void;
    d.gate = new Promise<void>((r) => (release = r));
    const before = d.calls.length;
    try {
      const [a, b] = await Promise.all([
        t.slash(`check ${LB} 2h`),
        t.slash(`check ${LB} 2h`, { user_id: "U0BOB" }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await settle(100);
      release();
      const [fa, fb] = await Promise.all(
        [a.hook, b.hook].map((h) =>
          t.fake.waitFor(() => finalOf(t.fake.postsTo(h)), 10_000, `answer on ${h}`),
        ),
      );
      expect(d.calls.length - before).toBe(1);
      expect(fa.body.text).toContain("sg-blocks-alb-to-target");
      expect(fb.body.blocks).toEqual(fa.body.blocks);
    } finally {
      d.gate = undefined;
      release();
    }
  });

  it("answers an unknown load balancer with an ephemeral message naming the closest ones", async () => {
    const ack = await t.slash("check billing-prd");
    const reply = await t.fake.waitFor(
      () => t.fake.postsTo(ack.hook).find((p) => p.body.response_type === "ephemeral"),
      10_000,
      "the error",
    );
    expect(reply.body.text).toContain("billing-prd");
    expect(reply.body.text).toContain("`billing-prod`");
    expect(t.fake.postsTo(ack.hook)[0].body.delete_original).toBe(true); // the public "Checking…" goes away
  });

  it.each([
    [
      "a malformed ARN",
      "check arn:aws:elasticloadbalancing:us-east-1:123:loadbalancer/app/x",
      "not an Application Load Balancer ARN",
    ],
    [
      "a target group ARN",
      "check arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/6d0ecf831eec9f09",
      "target group ARN",
    ],
    ["a bad window", `check ${LB} yesterday`, "is not a window"],
    ["a window that is too long", `check ${LB} 30d`, "between 1m and 14d"],
    ["no reference", "check", "Which load balancer?"],
  ])("answers %s in the ack, ephemeral, without diagnosing", async (_what, text, expected) => {
    const before = d.calls.length;
    const ack = await t.slash(text);
    const body = ack.json as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain(expected);
    await settle(100);
    expect(d.calls.length).toBe(before);
  });

  it.each([
    ["bare /alb", "", undefined],
    ["an unknown subcommand", "nonsense 1 2", "I don't know `/alb nonsense`"],
    ["help", "help", undefined],
  ])("answers %s with help", async (_what, text, note) => {
    const ack = await t.slash(text);
    const body = ack.json as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("`/alb check REF [window]`");
    expect(body.text).toContain("`/alb status`");
    if (note) expect(body.text).toContain(note);
  });

  it("reports status: AWS identity and region, store, Slack scopes", async () => {
    const ack = await t.slash("status");
    expect(ack.status).toBe(200);
    const reply = await t.fake.waitFor(() => t.fake.postsTo(ack.hook)[0], 10_000, "the status");
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toContain(`account \`${sim.world.accountId}\``);
    expect(reply.body.text).toContain("region `us-east-1`");
    expect(reply.body.text).toContain("*Store*: memory");
    expect(reply.body.text).toContain("`chat:write`");
    const auth = t.fake.callsTo("auth.test").at(-1)!;
    expect(auth.token).toBe("xoxb-test-0000-bot-token");
  });

  it("serves /healthz and /readyz", async () => {
    const live = await fetch(`${t.url}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ok: true,
      store: { kind: "memory", ok: true },
      aws: { region: "us-east-1", ok: true },
      slack: { ok: true },
    });
  });
});

describe("/alb when things fail", () => {
  let t: TestApp | undefined;
  afterAll(async () => t?.close());

  it("is not ready when AWS is unreachable, and says which part is down", async () => {
    t = await startTestApp(); // AWS points at a closed port
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, store: { ok: true }, aws: { ok: false } });
    await t.close();
    t = undefined;
  });

  it("renders without fix buttons and says approvals are unavailable when the store is down", async () => {
    const down = storeThatIsDown();
    t = await startTestApp({ store: down, diagnose: cannedDiagnoser() });
    const ack = await t.slash(`check ${LB}`);
    const final = await t.fake.waitFor(() => finalOf(t!.fake.postsTo(ack.hook)), 10_000, "the final message");
    expect(JSON.stringify(final.body.blocks)).toContain("Approvals are unavailable");
    expect((final.body.blocks as AnyBlock[]).some((b) => b.accessory?.type === "button")).toBe(false);
    await t.close();
    t = undefined;
  });

  it("retries a response_url that answers 429 after Retry-After, then delivers", async () => {
    t = await startTestApp({ diagnose: cannedDiagnoser() });
    t.fake.failNext("hooks", { status: 429, headers: { "retry-after": "1" }, body: "rate_limited" });
    const ack = await t.slash(`check ${LB}`);
    const final = await t.fake.waitFor(
      () => t!.fake.postsTo(ack.hook).filter((p) => p.body.replace_original)[1],
      10_000,
      "the retried post",
    );
    const [first] = t.fake.postsTo(ack.hook);
    expect(final.at - first.at).toBeGreaterThanOrEqual(900);
    await t.close();
    t = undefined;
  });

  it("falls back to chat.postMessage when the response_url is expired", async () => {
    t = await startTestApp({ diagnose: cannedDiagnoser() });
    t.fake.failNext("hooks", { status: 404, body: "expired_url" });
    await t.slash(`check ${LB}`, { channel_id: "C0FALLBACK" });
    const post = await t.fake.waitFor(
      () => t!.fake.callsTo("chat.postMessage")[0],
      10_000,
      "chat.postMessage",
    );
    expect(post.args.channel).toBe("C0FALLBACK");
    expect(String(post.args.text)).toContain("keepalive-race");
    await t.close();
    t = undefined;
  });

  it("tells the user when the diagnosis fails unexpectedly (never silence)", async () => {
    t = await startTestApp({
      diagnose: async () => {
        throw new TypeError("boom");
      },
    });
    const ack = await t.slash(`check ${LB}`);
    const reply = await t.fake.waitFor(
      () => t!.fake.postsTo(ack.hook).find((p) => p.body.response_type === "ephemeral"),
      10_000,
      "the error",
    );
    expect(reply.body.text).toContain(`Something went wrong while checking ${LB}`);
    expect(reply.body.text).not.toContain("boom");
    await t.close();
    t = undefined;
  });

  it("tells the user about AWS permission errors with the policy hint", async () => {
    t = await startTestApp({
      diagnose: async () => {
        throw new AlbDoctorError("access-denied", "AccessDenied: elasticloadbalancing:DescribeLoadBalancers");
      },
    });
    const ack = await t.slash(`check ${LB}`);
    const reply = await t.fake.waitFor(
      () => t!.fake.postsTo(ack.hook).find((p) => p.body.response_type === "ephemeral"),
      10_000,
      "the error",
    );
    expect(reply.body.text).toContain("DescribeLoadBalancers");
    expect(reply.body.text).toContain("docs/iam-policy.json");
    await t.close();
    t = undefined;
  });
});

/** A report like the engine's, without AWS (for failure-path tests that are about Slack, not diagnosis). */
function cannedDiagnoser(): Diagnoser {
  return async (ref) => {
    const { keepaliveReport } = await import("./fixtures.ts");
    const r = keepaliveReport();
    return { ...r, loadBalancer: { ...r.loadBalancer, name: ref } };
  };
}

function storeThatIsDown(): Store {
  const real = createMemoryStore();
  const fail = async () => {
    throw new AlbDoctorError("store-unavailable", "connection refused");
  };
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === "kind" || prop === "close") return Reflect.get(target, prop, receiver);
      return fail;
    },
  });
}
