/**
 * The bot as it is shipped: `npm start` runs the compiled dist/src/main.js with no shell or wrapper between
 * npm and node, so a SIGTERM to `npm start` reaches the bot, which stops gracefully and leaves no process
 * behind. A SIGTERM while Socket Mode is still connecting (Slack not answering) ends the process too.
 */
import { execFileSync, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_BOT, ROOT, ensureBuilt } from "../helpers/built.ts";
import { startFakeSlack, type FakeSlack } from "../helpers/slack-harness.ts";

const GOOD = { SLACK_BOT_TOKEN: "xoxb-1-2-3", SLACK_SIGNING_SECRET: "0123456789abcdef" };

function start(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { text: "" };
  child.stdout.on("data", (d) => (out.text += d));
  child.stderr.on("data", (d) => (out.text += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal })),
  );
  return { child, out, exit };
}

function childrenOf(pid: number): { pid: number; args: string }[] {
  let ps: string;
  try {
    ps = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return ps
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l)!)
    .map((m) => ({ pid: Number(m[1]), args: m[2] }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the shipped bot and signals", { timeout: 240_000 }, () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
    await ensureBuilt();
  }, 240_000);
  afterAll(async () => fake?.close());

  it("npm start runs node dist/src/main.js directly; SIGTERM to npm stops it gracefully, nothing left", async () => {
    const bot = start("npm", ["start", "--silent"], {
      ...GOOD,
      SLACK_API_URL: fake.url,
      PORT: "0",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    });
    const port = await fake.waitFor(
      () => /"port":(\d+)/.exec(bot.out.text)?.[1],
      60_000,
      `the listening log line (${bot.out.text.slice(0, 300)})`,
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // npm's only child is node itself: no `sh -c` that would swallow the signal.
    const kids = childrenOf(bot.child.pid!);
    expect(kids).toHaveLength(1);
    expect(kids[0].args).toMatch(/^\S*node\S* dist\/src\/main\.js$/);
    bot.child.kill("SIGTERM");
    await bot.exit;
    await fake.waitFor(() => !alive(kids[0].pid), 15_000, "node to exit after npm got SIGTERM");
    expect(bot.out.text).toContain('"msg":"stopped"');
  });

  it("SIGTERM while Socket Mode is still connecting ends the process", async () => {
    let asked = 0;
    fake.on("apps.connections.open", () => {
      asked++;
      return new Promise(() => {}); // Slack never answers: the connection attempt hangs
    });
    const bot = start(process.execPath, [BUILT_BOT], {
      SLACK_BOT_TOKEN: GOOD.SLACK_BOT_TOKEN,
      SLACK_APP_TOKEN: "xapp-1-A1-1-abc",
      SLACK_API_URL: fake.url,
      PORT: "0",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    });
    await fake.waitFor(() => asked > 0, 60_000, `apps.connections.open (${bot.out.text.slice(0, 300)})`);
    bot.child.kill("SIGTERM");
    const ended = await Promise.race([
      bot.exit,
      new Promise<"still running">((r) => setTimeout(() => r("still running"), 20_000)),
    ]);
    if (ended === "still running") bot.child.kill("SIGKILL");
    expect(ended).toEqual({ code: 0, signal: null });
    expect(bot.out.text).toContain("stopped before start-up finished");
  });
});
