/**
 * The `Generate:` block of a scenario's access-log file (docs/scenarios-generate.md): synthetic traffic
 * described by volume, request mix, latency, and errors expressed by their CAUSE. Each error kind yields the
 * field pattern AWS documents for that cause (alb-facts §1.3, §3); see outcomes.ts for the table.
 */
import { z } from "zod";

export const ERROR_KINDS = [
  "keepalive-502", // target closed the kept-alive connection under an outstanding request
  "keepalive-502-timed", // the same race, in the row shape with request and target times measured (0.000 0.001 -1)
  "connect-refused-502", // TCP RST on connect (nothing listening on the target port)
  "tls-502", // TLS handshake with an HTTPS target failed
  "malformed-502", // target answered, but not with valid HTTP
  "idle-timeout-504", // target accepted the request but sent nothing before the LB idle timeout
  "connect-timeout-504", // no TCP connection within 10 s (SG/NACL silently dropping)
  "no-target-503", // the chosen target group had no routable target
  "lambda-error", // Lambda target failure; error_reason = Reason
  "target-5xx", // the target itself answered 5xx (not an LB error)
  "target-4xx", // the target itself answered 4xx
  "client-460", // the client gave up before the LB idle timeout
  "client-abort-460", // the client closed within milliseconds (navigated away, app killed, prefetch dropped)
  "worker-stall", // the target answers, but only after waiting for a free worker (DurationSeconds or 20-30 s)
  "worker-timeout-502", // the app server killed the worker at its timeout (DurationSeconds or 30 s): 502, -1 -1 -1
  "websocket", // a WebSocket (ws/wss, 101) the client closed, or kept open with pings (DurationSeconds)
  "websocket-idle", // a WebSocket the ALB closed after idle_timeout seconds without a frame
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const LAMBDA_REASONS = [
  "LambdaAccessDenied",
  "LambdaBadRequest",
  "LambdaConnectionTimeout",
  "LambdaEC2AccessDeniedException",
  "LambdaEC2ThrottledException",
  "LambdaEC2UnexpectedException",
  "LambdaENILimitReachedException",
  "LambdaInvalidResponse",
  "LambdaInvalidRuntimeException",
  "LambdaInvalidSecurityGroupIDException",
  "LambdaInvalidSubnetIDException",
  "LambdaInvalidZipFileException",
  "LambdaKMSAccessDeniedException",
  "LambdaKMSDisabledException",
  "LambdaKMSInvalidStateException",
  "LambdaKMSNotFoundException",
  "LambdaRequestTooLarge",
  "LambdaResourceNotFound",
  "LambdaResponseTooLarge",
  "LambdaServiceException",
  "LambdaSubnetIPAddressLimitReachedException",
  "LambdaThrottling",
  "LambdaUnhandled",
  "LambdaUnhandledException",
] as const;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const PathPattern = z
  .string()
  .regex(/^\//, "a path starting with /")
  .describe("a concrete path, a template with {id} {uuid} {hex} {n}, or a prefix/glob such as /v1/reports*");

const PathMix = z.strictObject({
  Path: PathPattern,
  Method: z.enum(HTTP_METHODS).default("GET"),
  Weight: z.number().positive().default(1),
});

const SlowPath = z
  .strictObject({
    Path: PathPattern,
    MedianSeconds: z.number().positive(),
    P99Seconds: z.number().positive().optional(),
  })
  .refine((s) => s.P99Seconds === undefined || s.P99Seconds >= s.MedianSeconds, {
    message: "P99Seconds must be >= MedianSeconds",
    path: ["P99Seconds"],
  });

const ErrorSpec = z.strictObject({
  Kind: z.enum(ERROR_KINDS),
  /** Share of the matching requests (all requests, or those of Path / Targets) that fail this way. */
  Rate: z.number().min(0).max(1).default(0.01),
  Path: PathPattern.optional(),
  /** Only requests routed to these targets (instance ids or IPs) fail this way. */
  Targets: z.array(z.string()).min(1).optional(),
  /** target-5xx (default 500) and target-4xx (default 404). */
  Status: z.number().int().min(400).max(599).optional(),
  /** lambda-error only: the error_reason (default LambdaUnhandled). */
  Reason: z.enum(LAMBDA_REASONS).optional(),
  /** Override the request's total duration (client-460, tls-502, ...). */
  DurationSeconds: z.number().positive().max(4000).optional(),
  /** The user agents of the requests that fail this way (e.g. "Amazon CloudFront"); default the client's own. */
  UserAgents: z.array(z.string()).min(1).optional(),
});

export const GenerateSpecSchema = z
  .strictObject({
    RequestsPerMinute: z.number().min(0).max(100_000).default(120),
    /** Seed for the PRNG; default derived from the LB and the file's time window. */
    Seed: z.union([z.string(), z.number()]).optional(),
    /** Host names in requests (and SNI); default api.example.com plus hosts named by host-header rules. */
    Hosts: z.array(z.string().min(1)).min(1).optional(),
    /** Request mix; default a REST API mix plus paths that the listener rules route. */
    Paths: z.array(PathMix).min(1).optional(),
    /** Normal target_processing_time distribution (log-normal). */
    Latency: z
      .strictObject({
        MedianSeconds: z.number().positive().default(0.035),
        P99Seconds: z.number().positive().default(0.6),
      })
      .default({ MedianSeconds: 0.035, P99Seconds: 0.6 }),
    /** Paths with their own latency; a draw beyond the LB idle timeout becomes an idle-timeout 504. */
    SlowPaths: z.array(SlowPath).default([]),
    Errors: z.array(ErrorSpec).default([]),
    /** Route traffic only to these targets (ids); default: healthy targets, or all if none is healthy. */
    Targets: z.array(z.string()).min(1).optional(),
    /** Number of distinct clients (IP addresses). */
    Clients: z.number().int().min(1).max(100_000).default(40),
    UserAgents: z.array(z.string()).min(1).optional(),
  })
  .superRefine((spec, ctx) => {
    const unscoped = spec.Errors.filter((e) => !e.Path && !e.Targets).reduce((s, e) => s + e.Rate, 0);
    if (unscoped > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["Errors"],
        message: `rates add up to ${unscoped}, expected <= 1`,
      });
    }
    spec.Errors.forEach((e, i) => {
      if (e.Reason && e.Kind !== "lambda-error") {
        ctx.addIssue({
          code: "custom",
          path: ["Errors", i, "Reason"],
          message: "Reason is for lambda-error only",
        });
      }
      if (e.Status !== undefined) {
        const ok =
          (e.Kind === "target-5xx" && e.Status >= 500) || (e.Kind === "target-4xx" && e.Status < 500);
        if (!ok) {
          ctx.addIssue({
            code: "custom",
            path: ["Errors", i, "Status"],
            message: "Status is for target-5xx (500..599) and target-4xx (400..499)",
          });
        }
      }
    });
  });

export type GenerateSpec = z.output<typeof GenerateSpecSchema>;
export type GenerateSpecInput = z.input<typeof GenerateSpecSchema>;
export type ErrorSpec = z.output<typeof ErrorSpec>;
export type PathMixEntry = z.output<typeof PathMix>;

export const DEFAULT_PATHS: PathMixEntry[] = [
  { Path: "/v1/orders/{id}", Method: "GET", Weight: 30 },
  { Path: "/v1/orders", Method: "GET", Weight: 10 },
  { Path: "/v1/orders", Method: "POST", Weight: 8 },
  { Path: "/v1/orders/{id}", Method: "DELETE", Weight: 1 },
  { Path: "/v1/users/{uuid}", Method: "GET", Weight: 15 },
  { Path: "/v1/users/{uuid}", Method: "PUT", Weight: 3 },
  { Path: "/v1/search?q={word}&page={n}", Method: "GET", Weight: 8 },
  { Path: "/v1/reports/{uuid}", Method: "GET", Weight: 3 },
  { Path: "/v1/reports", Method: "POST", Weight: 1 },
  { Path: "/static/app.{hex}.js", Method: "GET", Weight: 8 },
  { Path: "/", Method: "GET", Weight: 5 },
];

export const DEFAULT_USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "okhttp/4.12.0",
  "python-requests/2.32.3",
  "Go-http-client/2.0",
  "curl/8.5.0",
  "axios/1.7.7",
];
