/** Where CLI subcommands write, and the exit code they set; tests pass a capturing one. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Whether to colour output: stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org). */
  color?: boolean;
  /** Set by a subcommand: 0 ok/healthy, 1 problems found, 2 incomplete, no data or usage error. */
  exitCode?: number;
}

export function processIo(env: NodeJS.ProcessEnv = process.env): CliIo {
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY,
    color: colorWanted(isTTY, env),
  };
}

export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}

export function captureIo(
  options: { isTTY?: boolean; color?: boolean } = {},
): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: options.isTTY ?? false,
    color: options.color ?? false,
    exitCode: undefined as number | undefined,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}
