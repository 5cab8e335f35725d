/**
 * websocket-idle-timeout: the ALB closes a WebSocket that carried no frame for idle_timeout seconds (alb-facts
 * §6.1, §10). Each connection writes one ws/wss row with status 101 when it closes, so the signature is many
 * such rows lasting about the idle timeout, the same clients again and again (they reconnect and are cut
 * again), while connections that send frames live longer. No 5xx is counted: the access logs are the only
 * evidence, and the clients see dropped connections, not errors.
 *
 * Confidence: 0.5 + 0.3 × (connections cut at the idle timeout / WebSocket connections) + 0.1 when clients
 * were cut two times or more (reconnects) + 0.05 with 10 or more such connections; at most 0.9. Severity:
 * warning, critical when half or more of 20 or more connections end this way.
 */
import type { Check } from "../check.ts";
import type { Evidence, Finding } from "../../domain/report.ts";
import type { Snapshot } from "../../domain/snapshot.ts";
import { confidence } from "../evidence/confidence.ts";
import { listFew, pct, secs, usableLogs } from "../evidence/logs.ts";
import { idleTimeoutSeconds } from "../evidence/targets.ts";
import { raiseBackendKeepAliveFix } from "../fixes/raise-backend-keepalive.ts";
import { setIdleTimeoutFix, IDLE_TIMEOUT_MAX } from "../fixes/set-idle-timeout.ts";
import { websocketPingFix } from "../fixes/websocket-ping.ts";

const MIN_CUT = 3;

export const websocketCheck: Check = { name: "websocket", run };

function run(s: Snapshot): Finding[] {
  const ws = usableLogs(s)?.webSockets;
  if (!ws || ws.closedAtIdle < MIN_CUT) return [];
  const idle = idleTimeoutSeconds(s);
  const share = ws.closedAtIdle / Math.max(1, ws.connections);
  const evidence: Evidence[] = [
    {
      source: "access-logs",
      detail: `${ws.closedAtIdle} of ${ws.connections} WebSocket connections (ws/wss rows, status 101) lasted about the ${idle} s idle timeout (${pct(ws.closedAtIdle, ws.connections)}): the ALB closes a WebSocket that carries no frame for that long`,
    },
  ];
  if (ws.clientsAtIdle > 0) {
    evidence.push({
      source: "access-logs",
      detail:
        ws.repeatClientsAtIdle > 0
          ? `${ws.clientsAtIdle} clients had connections cut this way, ${ws.repeatClientsAtIdle} of them two times or more: they reconnect and are cut again`
          : `${ws.clientsAtIdle} clients had connections cut this way, each once in the window`,
    });
  }
  const paths = Object.entries(ws.pathsAtIdle);
  if (paths.length) {
    evidence.push({
      source: "access-logs",
      detail: `by path: ${listFew(paths.map(([p, n]) => `${p} ${n}`))}`,
    });
  }
  evidence.push({
    source: "access-logs",
    detail:
      ws.longerThanIdle > 0
        ? `${ws.longerThanIdle} connections lived longer than the idle timeout (up to ${secs(ws.maxSeconds ?? 0)}): those carried frames, so the cut ones were idle, not broken`
        : "no WebSocket connection outlived the idle timeout: none of them sends frames while idle",
  });

  let c = 0.5 + 0.3 * share;
  if (ws.repeatClientsAtIdle > 0) c += 0.1;
  if (ws.closedAtIdle >= 10) c += 0.05;
  // A larger idle timeout only moves the cut for clients idle longer; the frames are the fix.
  const raised = Math.min(IDLE_TIMEOUT_MAX, Math.max(300, idle * 5));
  const raise = setIdleTimeoutFix(
    s,
    idle,
    raised,
    `only delays the cut for clients idle longer than ${raised} s; backend keep-alives must then exceed ${raised} s`,
  );
  return [
    {
      id: "websocket-idle-timeout",
      severity: share >= 0.5 && ws.connections >= 20 ? "critical" : "warning",
      confidence: confidence(c, 0.9),
      title: "The ALB closes idle WebSocket connections at its idle timeout",
      evidence,
      resources: [s.loadBalancer.arn],
      fixes: [websocketPingFix(idle), ...(raised > idle ? [raise, raiseBackendKeepAliveFix(raised)] : [])],
      nextStep: `Send a WebSocket ping or message every ${Math.max(1, Math.floor(idle / 3))} s from the server (or client); raise the idle timeout only as a stopgap.`,
    },
  ];
}
