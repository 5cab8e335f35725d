/**
 * The grammar of `/alb check REF [window]`, checked before anything slow runs so that wrong input is
 * answered in the ack itself. The diagnoser validates again (it is also used by the CLI).
 */
import { AlbDoctorError } from "../domain/errors.ts";

export interface CheckArgs {
  ref: string;
  window: string;
}

const WINDOW = /^(\d+)([mhd])$/;
const MINUTES = { m: 1, h: 60, d: 1440 } as const;
/** CloudWatch keeps 1-minute data for 15 days; longer windows would compare coarser data. */
const MAX_WINDOW_MINUTES = 14 * 1440;
const ALB_ARN =
  /^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-\d:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

export function parseCheckArgs(args: string[], defaultWindow: string): CheckArgs {
  const [rawRef, rawWindow, ...extra] = args;
  if (!rawRef)
    throw new AlbDoctorError("usage", "Which load balancer? Give its name, ARN, `app/NAME/ID` or DNS name.");
  if (extra.length)
    throw new AlbDoctorError(
      "usage",
      `Unexpected words after the window: ${extra.map((w) => `\`${w}\``).join(" ")}.`,
    );
  const ref = stripSlackFormatting(rawRef);
  checkArn(ref);
  const window = (rawWindow ?? defaultWindow).toLowerCase();
  const m = WINDOW.exec(window);
  if (!m)
    throw new AlbDoctorError(
      "usage",
      `\`${rawWindow}\` is not a window: use minutes, hours or days, e.g. 30m, 1h, 1d.`,
    );
  const minutes = Number(m[1]) * MINUTES[m[2] as keyof typeof MINUTES];
  if (minutes < 1 || minutes > MAX_WINDOW_MINUTES)
    throw new AlbDoctorError("usage", `The window must be between 1m and 14d (got \`${window}\`).`);
  return { ref, window };
}

function checkArn(ref: string): void {
  if (!ref.startsWith("arn:")) return;
  if (ALB_ARN.test(ref)) return;
  const hint = /:targetgroup\//.test(ref)
    ? " That is a target group ARN; give the load balancer's."
    : /:loadbalancer\/net\//.test(ref)
      ? " That is a Network Load Balancer; alb-doctor diagnoses Application Load Balancers."
      : "";
  throw new AlbDoctorError(
    "malformed-arn",
    `\`${ref}\` is not an Application Load Balancer ARN (expected arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID).${hint}`,
  );
}

/** Slack may auto-link a DNS name: `<http://my-alb-1.elb.amazonaws.com|my-alb-1...>` -> the bare name. */
function stripSlackFormatting(word: string): string {
  const link = /^<([^|>]+)(\|[^>]*)?>$/.exec(word);
  const inner = link ? link[1] : word;
  return inner.replace(/^https?:\/\//, "").replace(/\/$/, "");
}
