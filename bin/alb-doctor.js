#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx alb-doctor` works straight after `npm ci`, with no build step.
import { register } from "tsx/esm/api";

// alb-doctor supports Node.js 20 with the SDK versions its lock file pins; the SDK's notice about future
// versions needing Node.js 22 is not actionable for its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

register();
// `alb-doctor ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
