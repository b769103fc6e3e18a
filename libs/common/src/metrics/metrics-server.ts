import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Registry, register } from 'prom-client';

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the OS picked for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * A private listener for Prometheus: `GET /metrics` and nothing else, on its own port, so the
 * public API never exposes internal figures and a scrape never competes with payments for the
 * API's rate limits or its request pipeline.
 */
export async function startMetricsServer(
  host: string,
  port: number,
  registry: Registry = register,
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
