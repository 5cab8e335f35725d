/**
 * Synthetic ALB access-log traffic for scenarios (`accessLogs.files[].Generate`), deterministic per seed.
 *
 * Spec (all keys optional; see loggen/spec.ts and docs/scenarios-generate.md):
 *   RequestsPerMinute: 300                 # lines per minute of the file's window (exact count)
 *   Seed: incident-1                       # default: derived from the LB and the window
 *   Hosts: [api.example.com]               # request host + SNI
 *   Paths: [{ Path: /v1/orders/{id}, Method: GET, Weight: 30 }]   # {id} {uuid} {hex} {n} {word}
 *   Latency: { MedianSeconds: 0.035, P99Seconds: 0.6 }            # target_processing_time, log-normal
 *   SlowPaths: [{ Path: /v1/reports*, MedianSeconds: 20, P99Seconds: 90 }]  # > idle timeout => 504
 *   Errors:                                # by cause; Rate = share of the matching requests
 *     - { Kind: keepalive-502, Rate: 0.01, Targets: [i-0a2] }
 *     - { Kind: idle-timeout-504, Path: /v1/reports, Rate: 0.2 }
 *     - { Kind: target-5xx, Status: 503, Rate: 0.01 }
 *     - { Kind: lambda-error, Reason: LambdaUnhandled, Rate: 0.05 }
 *   Targets: [i-0a1]                       # route only to these; default healthy targets (fail-open if none)
 *   Clients: 40                            # distinct client IPs (Zipf-weighted)
 *   UserAgents: [...]
 * Kinds and the field pattern each produces: loggen/outcomes.ts.
 *
 * The generator routes each request the way the LB would (listener, rules by priority, weighted forward,
 * redirect, fixed-response), picks a target among the routable ones, and writes the full 30-field line
 * (type .. conn_trace_id). A target group with no routable target yields 503s on its own; a slow path
 * whose draw exceeds the LB's idle_timeout.timeout_seconds yields idle-timeout 504s on its own; a request
 * whose protocol the group's ProtocolVersion refuses yields a 464 on its own (clients whose user agent
 * starts with "grpc-" speak gRPC: POST over HTTP/2).
 */
import { Rng } from "./random.ts";
import { routableTargets, routeRequest, targetAddress } from "./routing.ts";
import {
  errorOutcome,
  lbOnly,
  normalOutcome,
  protocolMismatch,
  protocolRefused,
  type Outcome,
} from "./outcomes.ts";
import { buildPathMix, expandTemplate, matchesPath, type MixEntry } from "./paths.ts";
import { hasForward, hostsFromRules, lbListeners, makeClients, type GenerateContext } from "./context.ts";
export type { GenerateContext } from "./context.ts";
import { fmtSeconds, fmtTime, q, redirectTarget } from "./format.ts";
import { GenerateSpecSchema, type ErrorSpec, type GenerateSpec, type GenerateSpecInput } from "./spec.ts";

export { GenerateSpecSchema, ERROR_KINDS, LAMBDA_REASONS } from "./spec.ts";
export type { ErrorKind, GenerateSpec, GenerateSpecInput } from "./spec.ts";

/** gRPC clients name themselves so (grpc-go/1.62.1, grpc-java-netty/1.60.0, grpc-node-js/1.10.0, ...). */
const GRPC_AGENT = /^grpc-/i;

/** Non-instance/ip kinds never hit Lambda groups, lambda-error only hits them. */
const NEEDS_CONNECTION = new Set([
  "keepalive-502",
  "keepalive-502-timed",
  "worker-stall",
  "worker-timeout-502",
  "websocket",
  "websocket-idle",
  "connect-refused-502",
  "tls-502",
  "malformed-502",
  "connect-timeout-504",
]);

export function generateAccessLogLines(
  specInput: GenerateSpecInput | GenerateSpec,
  ctx: GenerateContext,
): string[] {
  const spec = GenerateSpecSchema.parse(specInput);
  const { lb } = ctx;
  const rng = new Rng(
    String(
      spec.Seed ?? ctx.seed ?? `${lb.LoadBalancerArn}|${ctx.start.toISOString()}|${ctx.end.toISOString()}`,
    ),
  );
  const [, , , region, account] = lb.LoadBalancerArn.split(":");
  const lbResource = lb.LoadBalancerArn.split(":loadbalancer/")[1] ?? `app/${lb.LoadBalancerName}/${lb.Id}`;
  const idleTimeout = Number(lb.Attributes["idle_timeout.timeout_seconds"] ?? 60);
  const http2 = lb.Attributes["routing.http2.enabled"] !== "false";
  const groups = new Map(ctx.targetGroups.map((g) => [g.TargetGroupArn, g]));
  const listeners = lbListeners(ctx);
  const mix = buildPathMix(spec, listeners);
  const hosts = spec.Hosts ?? hostsFromRules(listeners);
  const certArn = `arn:aws:acm:${region}:${account}:certificate/${new Rng(`${lb.LoadBalancerArn}|cert`).uuid()}`;
  const clients = makeClients(rng, spec, lb.Scheme === "internal");

  const startUs = ctx.start.getTime() * 1000;
  const spanUs = Math.max(0, ctx.end.getTime() - ctx.start.getTime()) * 1000;
  const count = Math.round((spec.RequestsPerMinute * spanUs) / 60e6);
  const rows: { us: number; line: string }[] = [];

  for (let i = 0; i < count; i++) {
    const timeUs = startUs + Math.floor(rng.next() * spanUs);
    const listener = rng.weighted(listeners, (l) => (l.Protocol === "HTTPS" ? 20 : hasForward(l) ? 20 : 1));
    const client = rng.weighted(clients, (c) => c.weight);
    const entry: MixEntry = rng.weighted(mix, (m) => m.Weight);
    const host = rng.pick(hosts);
    const path = expandTemplate(entry.Path, rng);
    const grpc = GRPC_AGENT.test(client.userAgent);
    const method = grpc ? "POST" : entry.Method;
    const route = routeRequest(listener, { host, path, method }, groups, rng);
    const tls = listener.Protocol === "HTTPS";
    let type = tls ? (http2 && (grpc || rng.next() < 0.65) ? "h2" : "https") : "http";
    let userAgent = client.userAgent;

    let outcome: Outcome;
    let address = "-";
    const tg = route.targetGroup;
    const lbAnswered = route.redirect !== undefined || route.fixedStatus !== undefined;
    if (lbAnswered) {
      outcome = lbOnly(route, rng);
    } else {
      const isLambda = tg?.TargetType === "lambda";
      const targets = tg ? routableTargets(tg, spec.Targets) : [];
      const target = targets.length ? rng.pick(targets) : undefined;
      const slow = spec.SlowPaths.find((s) => matchesPath(s.Path, entry.Path, path));
      const latency = Math.max(
        0.001,
        slow
          ? rng.logNormal(slow.MedianSeconds, slow.P99Seconds ?? slow.MedianSeconds * 2)
          : rng.logNormal(spec.Latency.MedianSeconds, spec.Latency.P99Seconds),
      );
      const octx = { rng, method, latency, idleTimeout, isLambda };
      if (tg && !isLambda && protocolMismatch(tg.ProtocolVersion, { grpc, http2: type === "h2" })) {
        outcome = protocolRefused(rng);
      } else if (!tg || (!isLambda && !target)) {
        outcome = errorOutcome({ Kind: "no-target-503", Rate: 1 }, octx);
      } else {
        const err = drawError(spec.Errors, rng, {
          template: entry.Path,
          path,
          targetId: target?.Id,
          isLambda,
        });
        outcome = err ? errorOutcome(err, octx) : normalOutcome(octx);
        if (err?.UserAgents) userAgent = rng.pick(err.UserAgents);
        if (target && outcome.targetShown)
          address = targetAddress(tg, target, ctx.instances ?? [], ctx.networkInterfaces ?? []);
      }
    }

    if (outcome.webSocket) type = tls ? "wss" : "ws";
    const creationUs = timeUs - Math.round(outcome.duration * 1e6);
    const port = listener.Port;
    const scheme = tls ? "https" : "http";
    const proto = type === "h2" ? "HTTP/2.0" : "HTTP/1.1";
    const cipher = tls
      ? rng.next() < 0.7
        ? ["TLS_AES_128_GCM_SHA256", "TLSv1.3"]
        : ["ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2"]
      : ["-", "-"];
    const bodyIn =
      method === "POST" || method === "PUT" || method === "PATCH" ? Math.round(rng.logNormal(400, 8000)) : 0;
    const received =
      Math.round(
        (120 + host.length + path.length + userAgent.length + rng.int(0, 400)) * (type === "h2" ? 0.6 : 1),
      ) + bodyIn;
    const redirectUrl = route.redirect ? redirectTarget(route.redirect, host, path) : "-";
    const fields = [
      type,
      fmtTime(timeUs),
      lbResource,
      `${client.ip}:${rng.int(1024, 65535)}`,
      address,
      fmtSeconds(outcome.requestProcessing),
      fmtSeconds(outcome.targetProcessing),
      fmtSeconds(outcome.responseProcessing),
      String(outcome.elbStatus),
      outcome.targetStatus,
      String(received),
      String(outcome.sentBytes),
      q(`${method} ${scheme}://${host}:${port}${path} ${proto}`),
      q(userAgent),
      cipher[0],
      cipher[1],
      tg && !lbAnswered ? tg.TargetGroupArn : "-",
      q(`Root=1-${Math.floor(creationUs / 1e6).toString(16)}-${rng.hex(24)}`),
      q(tls ? host : "-"),
      q(
        tls
          ? rng.next() < 0.2
            ? "session-reused"
            : (listener.Certificates?.[0]?.CertificateArn ?? certArn)
          : "-",
      ),
      String(route.matchedRulePriority),
      fmtTime(creationUs),
      q(route.actionsExecuted),
      q(redirectUrl),
      q(outcome.errorReason),
      q(address),
      q(outcome.targetStatus),
      q("-"),
      q("-"),
      rng.pick(client.connections),
    ];
    rows.push({ us: timeUs, line: fields.join(" ") });
  }
  rows.sort((a, b) => a.us - b.us);
  return rows.map((r) => r.line);
}

function drawError(
  errors: ErrorSpec[],
  rng: Rng,
  req: { template: string; path: string; targetId?: string; isLambda: boolean },
): ErrorSpec | undefined {
  const applicable = errors.filter(
    (e) =>
      (!e.Path || matchesPath(e.Path, req.template, req.path)) &&
      (!e.Targets || (req.targetId !== undefined && e.Targets.includes(req.targetId))) &&
      (e.Kind === "lambda-error" ? req.isLambda : !(req.isLambda && NEEDS_CONNECTION.has(e.Kind))),
  );
  let u = rng.next();
  for (const e of applicable) {
    if (u < e.Rate) return e;
    u -= e.Rate;
  }
  return undefined;
}

export { fmtTime };
