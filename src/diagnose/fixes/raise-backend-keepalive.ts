import type { FixSuggestion } from "../../domain/report.ts";

/** The backend keep-alive must outlive the ALB's idle timeout; 5 s of margin covers clock and scheduling jitter. */
export const KEEPALIVE_MARGIN_SECONDS = 5;

export function backendKeepAliveSeconds(idleTimeoutSeconds: number): number {
  return Math.ceil(idleTimeoutSeconds) + KEEPALIVE_MARGIN_SECONDS;
}

/**
 * Guidance fix: set the application server's keep-alive above the ALB idle timeout, so the ALB (not the target)
 * is always the side that closes an idle connection. Values are computed from the idle timeout in effect
 * (or the one a companion fix proposes), never fixed text.
 */
export function raiseBackendKeepAliveFix(idleTimeoutSeconds: number): FixSuggestion {
  const k = backendKeepAliveSeconds(idleTimeoutSeconds);
  const ms = k * 1000;
  return {
    id: "raise-backend-keepalive",
    automated: false,
    summary: `Set the backend keep-alive timeout to ${k} s (above the ALB idle timeout of ${idleTimeoutSeconds} s), e.g. nginx keepalive_timeout ${k}s`,
    snippets: [
      { label: "nginx", language: "nginx", code: `keepalive_timeout ${k}s;` },
      { label: "Apache httpd", language: "apache", code: `KeepAlive On\nKeepAliveTimeout ${k}` },
      {
        label: "Node.js (http.Server, Express, Fastify)",
        language: "javascript",
        code: `server.keepAliveTimeout = ${ms};\n// must exceed keepAliveTimeout, or Node closes first on slow headers\nserver.headersTimeout = ${ms + 1000};`,
      },
      {
        label: "Spring Boot (embedded Tomcat)",
        language: "properties",
        code: `server.tomcat.keep-alive-timeout=${k}s\nserver.tomcat.connection-timeout=${k}s`,
      },
      {
        label: "Tomcat server.xml",
        language: "xml",
        code: `<Connector port="8080" protocol="HTTP/1.1" keepAliveTimeout="${ms}" connectionTimeout="${ms}" />`,
      },
      {
        label: "Gunicorn (async workers; the sync worker does not keep connections alive)",
        language: "shell",
        code: `gunicorn --keep-alive ${k} app:app\n# or in gunicorn.conf.py: keepalive = ${k}`,
      },
      { label: "Uvicorn", language: "shell", code: `uvicorn app:app --timeout-keep-alive ${k}` },
      {
        // A plain http-socket closes after every response; the ALB then races that close on reuse.
        label: "uWSGI (serving HTTP itself)",
        language: "ini",
        code: `http11-socket = :8000\nsocket-timeout = ${k}\n# with the HTTP router (http = :8000) instead: http-keepalive = 1 and http-timeout = ${k}`,
      },
      { label: "Puma (config/puma.rb)", language: "ruby", code: `persistent_timeout ${k}` },
      {
        label: "Go net/http",
        language: "go",
        code: `srv := &http.Server{\n\tAddr:        ":8080",\n\tIdleTimeout: ${k} * time.Second,\n}`,
      },
    ],
    params: { keepAliveSeconds: k, idleTimeoutSeconds },
  };
}
