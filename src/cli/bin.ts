/**
 * The process entry of the `alb-doctor` command (bin/alb-doctor.js loads its compiled form,
 * dist/src/cli/bin.js). Only process set-up lives here; the CLI itself is imported after it, so that the
 * environment below is in place before any AWS SDK module loads.
 */

// alb-doctor supports Node.js 20 with the SDK versions its lock file pins; the SDK's notice about future
// versions needing Node.js 22 is not actionable for its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// `alb-doctor ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const { main } = await import("./main.ts");
process.exitCode = await main(process.argv);
