/**
 * WebSocket connections in the access logs (ws/wss rows with status 101, one row per connection, written when
 * it closes: time - request_creation_time is its lifetime). Counts those that lasted about the idle timeout
 * (the ALB closed them for lack of frames), by client and by path, in bounded memory: a capped client map
 * (clients past the cap still count in the totals, not in the per-client figures) and a capped path map.
 */
import type { WebSocketStats } from "../domain/log-summary.ts";

const MAX_CLIENTS = 5000;
const MAX_PATHS = 200;
const TOP_PATHS = 5;

export interface WebSocketState {
  connections: number;
  closedAtIdle: number;
  maxSeconds: number;
  longerThanIdle: number;
  clients: [string, number][];
  paths: [string, number][];
}

export class WebSocketCounter {
  connections = 0;
  private closedAtIdle = 0;
  private maxSeconds = -Infinity;
  private longerThanIdle = 0;
  private readonly clients = new Map<string, number>();
  private readonly paths = new Map<string, number>();

  constructor(
    private readonly idleSeconds: number,
    private readonly toleranceSeconds: number,
  ) {}

  /** One connection; `path` is asked for only when the connection was closed at the idle timeout. */
  add(durationSeconds: number, client: string, path: () => string): void {
    this.connections++;
    if (!Number.isFinite(durationSeconds)) return;
    if (durationSeconds > this.maxSeconds) this.maxSeconds = durationSeconds;
    if (durationSeconds > this.idleSeconds + this.toleranceSeconds) this.longerThanIdle++;
    if (Math.abs(durationSeconds - this.idleSeconds) > this.toleranceSeconds) return;
    this.closedAtIdle++;
    bump(this.clients, client, 1, MAX_CLIENTS);
    bump(this.paths, path(), 1, MAX_PATHS);
  }

  state(): WebSocketState {
    return {
      connections: this.connections,
      closedAtIdle: this.closedAtIdle,
      maxSeconds: this.maxSeconds,
      longerThanIdle: this.longerThanIdle,
      clients: [...this.clients.entries()],
      paths: [...this.paths.entries()],
    };
  }

  merge(s: WebSocketState): void {
    this.connections += s.connections;
    this.closedAtIdle += s.closedAtIdle;
    this.maxSeconds = Math.max(this.maxSeconds, s.maxSeconds ?? -Infinity);
    this.longerThanIdle += s.longerThanIdle;
    for (const [k, v] of s.clients) bump(this.clients, k, v, MAX_CLIENTS);
    for (const [k, v] of s.paths) bump(this.paths, k, v, MAX_PATHS);
  }

  summary(): WebSocketStats {
    let repeat = 0;
    for (const v of this.clients.values()) if (v >= 2) repeat++;
    const paths = [...this.paths.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      connections: this.connections,
      closedAtIdle: this.closedAtIdle,
      maxSeconds: this.maxSeconds === -Infinity ? null : this.maxSeconds,
      longerThanIdle: this.longerThanIdle,
      clientsAtIdle: this.clients.size,
      repeatClientsAtIdle: repeat,
      pathsAtIdle: Object.fromEntries(paths.slice(0, TOP_PATHS)),
    };
  }
}

/** Adds to a capped map: a new key past the cap is not admitted (the totals still count it). */
function bump(m: Map<string, number>, key: string, n: number, cap: number): void {
  const v = m.get(key);
  if (v !== undefined) m.set(key, v + n);
  else if (m.size < cap) m.set(key, n);
}
