import type { FixSuggestion } from "../../domain/report.ts";

/** A ping every third of the idle timeout survives one lost ping and scheduling jitter. */
export function pingIntervalSeconds(idleTimeoutSeconds: number): number {
  return Math.max(1, Math.floor(idleTimeoutSeconds / 3));
}

/**
 * Guidance fix: keep WebSockets alive with application frames. The ALB counts any frame as activity but not
 * TCP keep-alives (and not HTTP/2 PINGs), so the server (or client) must send a ping or a message well under
 * the idle timeout; values are computed from the idle timeout in effect.
 */
export function websocketPingFix(idleTimeoutSeconds: number): FixSuggestion {
  const every = pingIntervalSeconds(idleTimeoutSeconds);
  const ms = every * 1000;
  return {
    id: "websocket-ping",
    automated: false,
    summary: `Send a WebSocket ping (or any frame) every ${every} s, well under the ALB idle timeout of ${idleTimeoutSeconds} s`,
    snippets: [
      {
        label: "Node.js (ws)",
        language: "javascript",
        code: `const timer = setInterval(() => {\n  for (const ws of wss.clients) ws.ping();\n}, ${ms});\nwss.on("close", () => clearInterval(timer));`,
      },
      {
        label: "Socket.IO",
        language: "javascript",
        code: `const io = new Server(httpServer, { pingInterval: ${ms}, pingTimeout: ${Math.min(ms, 20000)} });`,
      },
      {
        label: "Python (websockets)",
        language: "python",
        code: `async with websockets.serve(handler, host, port, ping_interval=${every}, ping_timeout=${every}):\n    ...`,
      },
      {
        label: "Go (gorilla/websocket)",
        language: "go",
        code: `ticker := time.NewTicker(${every} * time.Second)\ndefer ticker.Stop()\nfor range ticker.C {\n\tif err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {\n\t\treturn\n\t}\n}`,
      },
    ],
    params: { pingIntervalSeconds: every, idleTimeoutSeconds },
  };
}
