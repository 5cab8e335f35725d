/**
 * Starting the bot: configuration errors name the variable (and `npm start` exits 2); the real entry point
 * starts against a fake Slack, answers /healthz, and stops cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema, loadConfig } from "../../src/config.ts";
import { parse as parseYaml } from "yaml";
import { Work } from "../../src/slack/work.ts";
import { REQUIRED_SCOPES } from "../../src/slack/blocks/status.ts";
import { startFakeSlack, type FakeSlack } from "../helpers/slack-harness.ts";

const ROOT = resolve(import.meta.dirname, "../..");
/** tsx's loader, by absolute URL (the child runs in a temporary directory). */
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const MAIN = join(ROOT, "src/main.ts");
const GOOD = { SLACK_BOT_TOKEN: "xoxb-1-2-3", SLACK_SIGNING_SECRET: "0123456789abcdef" };

describe("configuration", () => {
  it.each([
    [{ ...GOOD, SLACK_BOT_TOKEN: "xoxa-nope" }, "SLACK_BOT_TOKEN"],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, "SLACK_SIGNING_SECRET"],
    [{ ...GOOD, SLACK_APP_TOKEN: "xoxb-not-an-app-token" }, "SLACK_APP_TOKEN"],
    [{ ...GOOD, SLACK_API_URL: "not a url" }, "SLACK_API_URL"],
    [{ ...GOOD, PORT: "70000" }, "PORT"],
    [{ ...GOOD, AWS_REGION: "useast1" }, "AWS_REGION"],
    [{ ...GOOD, DEFAULT_WINDOW: "an hour" }, "DEFAULT_WINDOW"],
    [{ ...GOOD, REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ ...GOOD, LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("names the bad variable (%#)", (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration:[\\s\\S]*\\b${name}: `));
  });

  it("documents every variable in .env.example, and .env.example itself is valid", () => {
    const text = readFileSync(join(ROOT, ".env.example"), "utf8");
    const documented = [...text.matchAll(/^([A-Z_]+)=(.*)$/gm)];
    expect(documented.map((m) => m[1]).sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
    expect(() => loadConfig(Object.fromEntries(documented.map((m) => [m[1], m[2]])))).not.toThrow();
  });

  it("has a Slack manifest for the /alb command, buttons and message events, all on /slack/events", () => {
    const m = parseYaml(readFileSync(join(ROOT, "manifest.yml"), "utf8"));
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(["/alb"]);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.event_subscriptions.bot_events).toEqual(["message.channels", "message.groups"]);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(REQUIRED_SCOPES));
    for (const url of [
      m.features.slash_commands[0].url,
      m.settings.interactivity.request_url,
      m.settings.event_subscriptions.request_url,
    ])
      expect(new URL(url).pathname).toBe("/slack/events");
  });

  it("accepts Socket Mode without a signing secret", () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).SLACK_APP_TOKEN).toBe(
      "xapp-1",
    );
  });
});

function run(env: Record<string, string>) {
  // node itself (as the Docker image runs it), so that signals reach the bot without a wrapper process.
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd: mkdtempSync(join(tmpdir(), "alb-doctor-start-")), // no .env there
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (out.stdout += d));
  child.stderr.on("data", (d) => (out.stderr += d));
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, out, exit };
}

describe("npm start", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => fake?.close());

  it("stops with exit code 2 and a message naming the variable", async () => {
    const { out, exit } = run({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "short" });
    expect(await exit).toBe(2);
    expect(out.stderr).toContain("SLACK_SIGNING_SECRET");
  });

  it("starts, answers /healthz, keeps tokens out of the logs, and stops cleanly on SIGTERM", async () => {
    const { child, out, exit } = run({
      ...GOOD,
      SLACK_API_URL: fake.url,
      PORT: "0",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "debug",
    });
    const port = await fake.waitFor(
      () => /"port":(\d+)/.exec(out.stdout)?.[1],
      20_000,
      `the listening log line (stdout: ${out.stdout.slice(0, 300)} stderr: ${out.stderr.slice(0, 300)})`,
    );
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(out.stdout).toContain("stopped");
    expect(out.stdout + out.stderr).not.toContain(GOOD.SLACK_BOT_TOKEN);
    expect(out.stdout + out.stderr).not.toContain(GOOD.SLACK_SIGNING_SECRET);
  });
});

describe("graceful drain", () => {
  it("waits for in-flight work, refuses new work, and gives up after the bound", async () => {
    const work = new Work();
    let finish!: () => void;
    const slow = work.track(new Promise<void>((r) => (finish = r)));
    const draining = work.drain(5000);
    expect(work.accepting).toBe(false);
    finish();
    await slow;
    expect(await draining).toBe(true);

    const stuck = new Work();
    stuck.track(new Promise(() => {}));
    expect(await stuck.drain(20)).toBe(false);
  });

  it("runs at most maxConcurrent limited jobs at once, in arrival order", async () => {
    const work = new Work({ maxConcurrent: 2 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(i);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return i;
    };
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => work.limit(job(i))))).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it("shares one run between callers with the same key", async () => {
    const work = new Work();
    let runs = 0;
    const fn = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return runs;
    };
    const a = work.singleFlight("k", fn);
    const b = work.singleFlight("k", fn);
    expect([a.joined, b.joined]).toEqual([false, true]);
    expect(await Promise.all([a.promise, b.promise])).toEqual([1, 1]);
    expect(work.singleFlight("k", fn).joined).toBe(false); // finished runs are not reused
  });
});
