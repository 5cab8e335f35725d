// Sends one signed `/alb TEXT` slash command to the bot, as Slack does (v0 HMAC-SHA256 signature over
// "v0:timestamp:body"), and prints the answer body. Usage: node smoke-command.mjs URL SIGNING_SECRET TEXT
import { createHmac } from "node:crypto";

const [url, secret, text] = process.argv.slice(2);
const body = new URLSearchParams({
  token: "unused",
  team_id: "T0SMOKE",
  team_domain: "smoke",
  channel_id: "C0SMOKE",
  channel_name: "smoke",
  user_id: "U0SMOKE",
  user_name: "smoke",
  command: "/alb",
  text,
  response_url: "https://hooks.slack.invalid/commands/T0SMOKE/1/x",
  trigger_id: "1.1.x",
  api_app_id: "A0SMOKE",
}).toString();
const ts = Math.floor(Date.now() / 1000).toString();
const signature = "v0=" + createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex");
const res = await fetch(url, {
  method: "POST",
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": ts,
    "x-slack-signature": signature,
  },
  body,
  signal: AbortSignal.timeout(10_000),
});
const answer = await res.text();
console.log(answer);
process.exit(res.status === 200 ? 0 : 1);
