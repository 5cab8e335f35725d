/** A TCP pass-through in front of a local HTTP server (the simulator) that tells when a request contains a text. */
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

export interface Tap {
  url: string;
  seen(text: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTap(endpoint: string): Promise<Tap> {
  const target = new URL(endpoint);
  const sockets = new Set<Socket>();
  const waiters: { text: string; resolve: () => void }[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    let recent = "";
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.on("data", (d: Buffer) => {
      upstream.write(d);
      recent = (recent + d.toString("latin1")).slice(-4096);
      for (const w of waiters.filter((x) => recent.includes(x.text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    // The bot dying must not cut the request it sent: the simulator still gets all of it.
    client.on("close", () => upstream.end());
    upstream.on("data", (d: Buffer) => {
      if (!client.destroyed) client.write(d);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: (text, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request with ${text}`)), timeoutMs);
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
