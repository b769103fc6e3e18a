import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
import httpProxy from 'http-proxy';

/**
 * A local round-robin load balancer (http-proxy) in front of several api replicas, websockets
 * included, for the multi-replica e2e test. Like nginx's proxy_next_upstream for connect
 * errors, a request whose upstream refuses the connection (a killed replica) goes to the next
 * one: it never reached the dead replica, so sending it elsewhere cannot do it twice.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests each upstream answered, by method and path prefix (`POST /v1/payments`). */
  served: (upstream: string, route: string) => number;
  close: () => Promise<void>;
}

export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const proxy = httpProxy.createProxyServer({ xfwd: true });
  const counts = new Map<string, number>();
  const down = new Set<string>();
  let next = 0;
  const pick = (): string | undefined => {
    for (let i = 0; i < upstreams.length; i++) {
      const candidate = upstreams[next++ % upstreams.length];
      if (!down.has(candidate)) return candidate;
    }
    return undefined;
  };
  const count = (upstream: string, req: http.IncomingMessage) => {
    const key = `${upstream} ${req.method} ${req.url?.split('?')[0]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const target = pick();
    if (!target) return res.writeHead(502).end();
    proxy.web(
      req,
      res,
      { target, buffer: Readable.from([body]) },
      (error: NodeJS.ErrnoException) => {
        // Refused before anything was sent: the replica is gone; mark it and try the next one.
        // A reset mid-request may have reached it, so that one is a 502 (the client retries).
        if (error.code === 'ECONNREFUSED' && !res.headersSent) {
          down.add(target);
          return forward(req, res, body);
        }
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      },
    );
    res.once('finish', () => count(target, req));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = pick();
    if (!target) return socket.destroy();
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    proxy.ws(req, socket, head, { target }, () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: (upstream, route) =>
      [...counts.entries()]
        .filter(([key]) => key.startsWith(`${upstream} ${route}`))
        .reduce((sum, [, n]) => sum + n, 0),
    close: async () => {
      upgraded.forEach((socket) => socket.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.close();
    },
  };
}
