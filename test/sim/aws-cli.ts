/**
 * Run the AWS CLI against the simulator, for the playbook tests. Tests using it are skipped when `aws`
 * is not on PATH (CI does not need it). Dummy credentials, no user config, JSON output.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export function awsCliPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, "aws");
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export const hasAwsCli = awsCliPath() !== undefined;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAws(endpoint: string, args: string[], cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      awsCliPath() ?? "aws",
      [...args, "--endpoint-url", endpoint, ...(args.includes("--output") ? [] : ["--output", "json"])],
      {
        cwd,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: "AKIASIMULATOR0000000",
          AWS_SECRET_ACCESS_KEY: "simulator-secret",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_MAX_ATTEMPTS: "1",
          AWS_PAGER: "",
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
