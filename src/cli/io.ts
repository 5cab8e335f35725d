/** Where CLI subcommands write, and the exit code they set; tests pass a capturing one. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Set by a subcommand: 0 ok/healthy, 1 problems found, 2 incomplete or usage error. */
  exitCode?: number;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
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
