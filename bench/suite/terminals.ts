import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { PaymentUpdated } from '@malipo/realtime';

interface Watch {
  sent(paymentId: string): void;
  duplicates(): number;
  /** Latencies (ms, sorted) of the payments heard, once all are heard or after `timeoutMs`. */
  done(timeoutMs: number): Promise<number[]>;
}

/** Connected terminals (socket.io, one terminal key each) and who is waiting for which payment. */
export class Terminals {
  private current:
    { sentAt: Map<string, number>; heard: Map<string, number>; dup: number } | undefined;

  private constructor(private readonly sockets: Socket[]) {}

  get count(): number {
    return this.sockets.length;
  }

  static async connect(apiUrl: string, keys: string[]): Promise<Terminals> {
    const terminals = new Terminals([]);
    for (let i = 0; i < keys.length; i += 50) {
      const batch = keys.slice(i, i + 50).map(
        (token) =>
          new Promise<Socket>((resolve, reject) => {
            const s = io(`${apiUrl}/terminals`, {
              transports: ['websocket'],
              auth: { token },
              forceNew: true,
            });
            s.on('payment.updated', (e: PaymentUpdated) => terminals.onEvent(e));
            s.once('connect', () => resolve(s));
            s.once('connect_error', reject);
          }),
      );
      terminals.sockets.push(...(await Promise.all(batch)));
    }
    return terminals;
  }

  private onEvent(e: PaymentUpdated): void {
    const w = this.current;
    if (!w || e.event.to !== 'succeeded') return;
    const t0 = w.sentAt.get(e.payment.id);
    if (t0 === undefined) return;
    if (w.heard.has(e.payment.id)) w.dup += 1;
    else w.heard.set(e.payment.id, performance.now() - t0);
  }

  watch(paymentIds: string[]): Watch {
    const w = { sentAt: new Map<string, number>(), heard: new Map<string, number>(), dup: 0 };
    this.current = w;
    return {
      sent: (id) => w.sentAt.set(id, performance.now()),
      duplicates: () => w.dup,
      done: async (timeoutMs) => {
        const until = Date.now() + timeoutMs;
        while (w.heard.size < paymentIds.length && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 50));
        }
        return [...w.heard.values()].sort((a, b) => a - b);
      },
    };
  }

  close(): void {
    this.sockets.forEach((s) => s.close());
  }
}
