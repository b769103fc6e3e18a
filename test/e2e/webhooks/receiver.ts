import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What we answered; null while the request is held open (or when it was dropped). */
  answered: number | null;
}

/** `number` answers that status; 'hang' holds the request open until close(). */
export type Answer = number | 'hang';

/**
 * A shop backend on a free loopback port. Each request takes the next scripted answer, then 200.
 */
export async function startReceiver(script: Answer[] = []) {
  const received: Received[] = [];
  const queue = [...script];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const answer = queue.shift() ?? 200;
      const entry: Received = { headers: req.headers, body, answered: null };
      received.push(entry);
      if (answer === 'hang') {
        held.push(res);
        return;
      }
      entry.answered = answer;
      res
        .writeHead(answer, { 'content-type': 'text/plain' })
        .end(`answer ${answer} ${'x'.repeat(2000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/malipo`,
    received,
    /** Changes the answers from now on. */
    script: (next: Answer[]) => queue.splice(0, queue.length, ...next),
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Lets time pass so a wrong extra delivery would have shown up. */
export const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
