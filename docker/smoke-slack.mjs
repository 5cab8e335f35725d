// A minimal stand-in for the Slack Web API, for docker/smoke.sh: every method answers ok, auth.test with an
// identity. Prints the port it listens on (127.0.0.1, chosen by the kernel) as its first line.
import { createServer } from "node:http";

const identity = {
  ok: true,
  url: "https://smoke.slack.invalid/",
  team: "smoke",
  user: "alb-doctor",
  team_id: "T0SMOKE",
  user_id: "U0BOT",
  bot_id: "B0BOT",
};

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const method = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/api\//, "");
    const body =
      method === "auth.test" ? identity : { ok: true, ts: "1700000000.000100", channel: "C0SMOKE" };
    res.setHeader("content-type", "application/json");
    // Bolt reads the granted scopes from this header (for /alb status).
    res.setHeader("x-oauth-scopes", "commands,chat:write,channels:history,groups:history");
    res.end(JSON.stringify(body));
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
