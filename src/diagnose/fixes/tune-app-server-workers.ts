import type { FixSuggestion } from "../../domain/report.ts";
import { backendKeepAliveSeconds } from "./raise-backend-keepalive.ts";

/**
 * Guidance fix for worker starvation: workers that are not tied up by one (idle) connection each, a keep-alive
 * above the ALB idle timeout, and a worker timeout above the slowest legitimate request. Values are computed
 * from the idle timeout and the timeout the logs point at, never fixed text.
 */
export function tuneAppServerWorkersFix(
  idleTimeoutSeconds: number,
  workerTimeoutSeconds: number,
): FixSuggestion {
  const keepalive = backendKeepAliveSeconds(idleTimeoutSeconds);
  const timeout = Math.max(workerTimeoutSeconds * 2, 60);
  return {
    id: "tune-app-server-workers",
    automated: false,
    summary: `Stop idle connections from starving the app-server workers: threaded or async workers (Gunicorn --worker-class gthread --threads 8), keep-alive ${keepalive} s above the ALB idle timeout, and a worker timeout above the slowest real request (the logs show requests killed at about ${workerTimeoutSeconds} s)`,
    snippets: [
      {
        label: "Gunicorn (gthread workers)",
        language: "shell",
        code: `gunicorn app:app --workers 4 --worker-class gthread --threads 8 \\\n  --keep-alive ${keepalive} --timeout ${timeout} --graceful-timeout 30`,
      },
      {
        label: "Gunicorn (async workers)",
        language: "shell",
        code: `gunicorn app:app --workers 4 --worker-class gevent --worker-connections 1000 --keep-alive ${keepalive} --timeout ${timeout}`,
      },
      {
        label: "uWSGI",
        language: "ini",
        code: `[uwsgi]\nprocesses = 4\nthreads = 8\nhttp-keepalive = ${keepalive}\nharakiri = ${timeout}`,
      },
      {
        label: "Puma",
        language: "ruby",
        code: `workers 4\nthreads 8, 16\npersistent_timeout ${keepalive}\nworker_timeout ${timeout}`,
      },
    ],
    params: { keepAliveSeconds: keepalive, workerTimeoutSeconds, idleTimeoutSeconds },
  };
}
