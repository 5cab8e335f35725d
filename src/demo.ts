/**
 * `npm run demo`: the whole diagnosis on the embedded default — a simulated AWS account served in-process
 * (the real SDK clients over HTTP) and the in-memory store; no AWS or Slack account needed.
 * Shows the report as a person reads it, then the Slack message the bot would post, with a Block Kit
 * Builder link to see it rendered.
 *
 *   npm run demo [-- scenarios/other.yaml]
 */
import { blockKitBuilderUrl, previewMessage } from "./cli/blocks.ts";
import { renderReportText } from "./cli/report-text.ts";
import { openRuntime } from "./cli/runtime.ts";
import { packagePath } from "./package-root.ts";
import { loadScenario } from "./sim/scenario.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const file = process.argv[2] ?? packagePath("scenarios", "keepalive-race.yaml");
const world = loadScenario(file);
const lbName = world.loadBalancers[0].LoadBalancerName;
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);

console.log(bold(`alb-doctor demo: ${world.name}`));
if (world.description) console.log(world.description);
console.log(`Simulated account ${world.accountId} (${world.region}), clock ${world.now.toISOString()}.`);
console.log(`Running: alb-doctor check ${lbName} --scenario ${file}\n`);

const runtime = await openRuntime({ scenario: file });
try {
  const report = await runtime.diagnose(lbName);
  console.log(renderReportText(report, { color }));
  const message = previewMessage(report);
  console.log(bold("What the bot posts in Slack for /alb check " + lbName));
  console.log(`${message.blocks?.length ?? 0} blocks; fallback text: ${message.text}`);
  console.log(`See it rendered (Block Kit Builder): ${blockKitBuilderUrl(message).slice(0, 120)}…`);
  console.log(`Full message JSON: npx alb-doctor check ${lbName} --scenario ${file} --blocks`);
  console.log(`Full Builder link: npx alb-doctor check ${lbName} --scenario ${file} --builder-link`);
  console.log(`\nOther incidents to try: npx alb-doctor scenarios`);
} finally {
  await runtime.close();
}
