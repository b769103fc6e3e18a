import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  body: any;
  raw: string;
  at: number;
}

/** A stand-in for Malipo's callback endpoint: records every POST and answers 200. */
export async function startCallbackReceiver(): Promise<{
  url: (path?: string) => string;
  received: ReceivedCallback[];
  forCheckout: (id: string) => ReceivedCallback[];
  close: () => Promise<void>;
}> {
  const received: ReceivedCallback[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      received.push({ path: req.url ?? '', body, raw, at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ResultCode":0,"ResultDesc":"Accepted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/v1/hooks/stk/t0k3n') => `http://127.0.0.1:${port}${path}`,
    received,
    forCheckout: (id) =>
      received.filter((r) => r.body?.Body?.stkCallback?.CheckoutRequestID === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
