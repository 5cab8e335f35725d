/** Field formatting for access-log lines. */

export function redirectTarget(cfg: Record<string, string>, host: string, path: string): string {
  const [p, query] = path.split("?");
  const protocol = (cfg.Protocol ?? "#{protocol}").replace("#{protocol}", "https").toLowerCase();
  const port = (cfg.Port ?? "#{port}").replace("#{port}", "443");
  const h = (cfg.Host ?? "#{host}").replace("#{host}", host);
  const rp = (cfg.Path ?? "/#{path}").replace("/#{path}", p).replace("#{path}", p.slice(1));
  const qs = (cfg.Query ?? "#{query}").replace("#{query}", query ?? "");
  return `${protocol}://${h}:${port}${rp}${qs ? `?${qs}` : ""}`;
}

export const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

export function fmtSeconds(s: number): string {
  return s < 0 ? "-1" : s.toFixed(3);
}

let cachedSecond = Number.NaN;
let cachedPrefix = "";

/** ISO-8601 UTC with microseconds, as ALB writes it. The per-second prefix is cached (lines come in bursts). */
export function fmtTime(us: number): string {
  const second = Math.floor(us / 1e6);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${cachedPrefix}.${String(Math.floor(us - second * 1e6)).padStart(6, "0")}Z`;
}
