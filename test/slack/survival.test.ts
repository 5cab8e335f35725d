/**
 * The real entry point (`npm start`'s src/main.ts) as a child process: a signed `payload=null` no longer ends
 * it; a wrong token or an unreachable Slack no longer crash-loops it (auth.test is retried, /readyz says why,
 * the log names SLACK_BOT_TOKEN / SLACK_API_URL) and it becomes ready once Slack answers. The process
 * guards' policy (log a rejection and run on, exit on an uncaught exception) in a child too.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authFailure } from "../../src/slack/auth.ts";
import { postSigned, startFakeSlack, waitFor, type FakeSlack } from "../helpers/slack-harness.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const MAIN = join(ROOT, "src/main.ts");
const SECRET = "0123456789abcdef";
const TOKEN = "xoxb-1-2-3";

function spawnNode(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, ...args], {
    cwd: mkdtempSync(join(tmpdir(), "alb-doctor-survival-")),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (out.stdout += d));
  child.stderr.on("data", (d) => (out.stderr += d));
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((r) =>
    child.on("exit", (code) => {
      exitCode = code;
      r(code);
    }),
  );
  return { child, out, exit, exited: () => exitCode !== undefined };
}

function startBot(slackApiUrl: string) {
  const bot = spawnNode([MAIN], {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApiUrl,
    PORT: "0",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  });
  const port = waitFor(
    () => /"port":(\d+)/.exec(bot.out.stdout)?.[1] ?? (bot.exited() && "exited"),
    20_000,
    "the listening log line",
  ).then((p) => {
    if (p === "exited") throw new Error(`the bot exited: ${bot.out.stdout}${bot.out.stderr}`);
    return Number(p);
  });
  return { ...bot, port };
}

/** A port nothing listens on (fetch refuses "unsafe" ports such as 9 before connecting). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function readyz(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { slack?: { ok: boolean; reason?: string } } };
}

describe("the running process", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => fake?.close());

  it("survives a signed payload=null and JSON null, and still answers /healthz and commands", async () => {
    const bot = startBot(fake.url);
    try {
      const port = await bot.port;
      const events = `http://127.0.0.1:${port}/slack/events`;
      const form = "application/x-www-form-urlencoded";
      expect((await postSigned(events, "payload=null", form, { secret: SECRET })).status).toBe(400);
      expect((await postSigned(events, "null", "application/json", { secret: SECRET })).status).toBe(400);
      await new Promise((r) => setTimeout(r, 300)); // where the unhandled rejection used to end it
      expect(bot.exited()).toBe(false);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const help = new URLSearchParams({ command: "/alb", text: "help", user_id: "U1", channel_id: "C1" });
      const r = await postSigned(events, help.toString(), form, { secret: SECRET });
      expect(r.status).toBe(200);
      expect(r.text).toContain("/alb");
      expect(bot.out.stdout).toContain("refused a request on the Slack endpoint");
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exit;
    }
  });

  it("keeps running while auth.test fails, says why on /readyz, and becomes ready once Slack answers", async () => {
    let answer: "invalid_auth" | "ok" = "invalid_auth";
    const slack = await startFakeSlack();
    const real = slack.calls;
    slack.on("auth.test", () =>
      answer === "ok"
        ? { body: { ok: true, user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0TEST" } }
        : { body: { ok: false, error: "invalid_auth" } },
    );
    const bot = startBot(slack.url);
    try {
      const port = await bot.port;
      await waitFor(() => slack.callsTo("auth.test").length >= 2, 15_000, "a retried auth.test");
      expect(bot.exited()).toBe(false);
      const r = await readyz(port);
      expect(r.status).toBe(503);
      expect(r.body.slack).toEqual({ ok: false, reason: expect.stringContaining("invalid_auth") });
      expect(r.body.slack?.reason).toContain("SLACK_BOT_TOKEN");
      const errorLine = bot.out.stdout.split("\n").find((l) => l.includes('"component":"slack-auth"'));
      expect(JSON.parse(errorLine!)).toMatchObject({
        level: 50,
        reason: expect.stringContaining("SLACK_BOT_TOKEN"),
      });
      expect(bot.out.stdout).not.toContain(TOKEN);

      answer = "ok";
      await waitFor(() => bot.out.stdout.includes("auth.test succeeded"), 20_000, "auth.test to succeed");
      expect((await readyz(port)).body.slack).toEqual({ ok: true });
      expect(real.length).toBeGreaterThan(0);
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exit;
      await slack.close();
    }
  });

  it("keeps running when Slack is unreachable, naming SLACK_API_URL", async () => {
    const bot = startBot(`http://127.0.0.1:${await closedPort()}/`);
    try {
      const port = await bot.port;
      await waitFor(() => bot.out.stdout.includes("Slack unreachable"), 20_000, "the unreachable log line");
      await new Promise((r) => setTimeout(r, 2500)); // Bolt's own auth.test used to end it about here
      expect(bot.exited()).toBe(false);
      const r = await readyz(port);
      expect(r.status).toBe(503);
      expect(r.body.slack?.reason).toMatch(/unreachable \(ECONNREFUSED\): check SLACK_API_URL/);
    } finally {
      bot.child.kill("SIGTERM");
      expect(await bot.exit).toBe(0);
    }
  });
});

describe("authFailure", () => {
  it("names the variable to check, from codes only", () => {
    expect(authFailure({ data: { error: "token_revoked" } })).toMatch(/token_revoked: check SLACK_BOT_TOKEN/);
    expect(authFailure({ statusCode: 404 })).toMatch(/HTTP 404: check SLACK_API_URL/);
    expect(authFailure({ original: { cause: { code: "ENOTFOUND" } } })).toMatch(
      /\(ENOTFOUND\): check SLACK_API_URL/,
    );
    expect(authFailure({ data: { error: "<!channel> http://x" } })).not.toContain("<!channel>");
  });
});

describe("process guards", () => {
  const script = (body: string) => [
    "--input-type=module",
    "-e",
    `import { installProcessGuards } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/process-guards.ts")).href)};
     import { createLogger } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/slack/logger.ts")).href)};
     installProcessGuards(createLogger("info"));
     ${body}`,
  ];

  it("logs an unhandled rejection as an error with its stack, and keeps running", async () => {
    const p = spawnNode(
      script(
        `Promise.reject(new Error("boom in a request")); setTimeout(() => console.log("still running"), 200);`,
      ),
      {},
    );
    expect(await p.exit).toBe(0);
    const line = JSON.parse(p.out.stdout.split("\n").find((l) => l.includes("unhandled promise rejection"))!);
    expect(line).toMatchObject({ level: 50, rejections: 1, err: { message: "boom in a request" } });
    expect(line.err.stack).toContain("Error: boom in a request");
    expect(p.out.stdout).toContain("still running");
  });

  it("logs an uncaught exception as fatal and exits 1", async () => {
    const p = spawnNode(script(`setTimeout(() => { throw new TypeError("broken state"); }, 10);`), {});
    expect(await p.exit).toBe(1);
    const line = JSON.parse(p.out.stdout.split("\n").find((l) => l.includes("uncaught exception"))!);
    expect(line).toMatchObject({ level: 60, err: { type: "TypeError", message: "broken state" } });
  });
});
