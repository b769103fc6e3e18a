import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Db } from '@malipo/db';
import type { PaymentUpdated } from '@malipo/realtime';
import type { AxiosInstance } from 'axios';
import { io, type Socket } from 'socket.io-client';
import type { RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { client } from '../../support/http';
import { bootApi } from '../../support/nest-apps';
import { startStack } from '../../support/stack';

/**
 * Simulator + worker + two api replicas in this process, sharing PostgreSQL and the file's
 * REDIS_PREFIX. Payments are created on replica B (PUBLIC_BASE_URL = B, so callbacks reach B);
 * sockets connect to replica A: everything they hear crossed Redis.
 */
export interface RealtimeHarness {
  sim: RunningDarajaSim;
  a: { app: NestFastifyApplication; url: string };
  b: { app: NestFastifyApplication; url: string };
  worker: INestApplicationContext;
  db: Db;
  close: () => Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<RealtimeHarness> {
  // Config is read once per module load, so B (the paying replica: the stack's api) boots first.
  const stack = await startStack({
    sim: { callbackDelayMs: 150, lateCallbackMs: 2_500 },
    env: { STK_TIMEOUT_SECONDS: '30', LOG_LEVEL: 'silent', ...env },
  });
  const { sim, api: b, db } = stack;
  const a = await bootApi({ ...stack.env, PUBLIC_BASE_URL: b.url });
  return {
    sim,
    a,
    b,
    worker: stack.worker!,
    db,
    close: async () => {
      await a.app.close();
      await stack.close();
    },
  };
}

export const http = (url: string, key: string): AxiosInstance => client(url, key);

export const orderRef = (): string => `ORD-${Math.random().toString(36).slice(2, 10)}`;

/** A raw socket.io client on /terminals that records every payment.updated. */
export interface Recorder {
  socket: Socket;
  events: PaymentUpdated[];
  others: { event: string; args: unknown[] }[];
  waitFor: (ok: (events: PaymentUpdated[]) => boolean, ms?: number) => Promise<PaymentUpdated[]>;
}

export function record(url: string, auth: Record<string, unknown>): Recorder {
  const socket = io(`${url}/terminals`, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  });
  const events: PaymentUpdated[] = [];
  const others: { event: string; args: unknown[] }[] = [];
  socket.on('payment.updated', (e: PaymentUpdated) => events.push(e));
  socket.onAny((event: string, ...args: unknown[]) => {
    if (event !== 'payment.updated') others.push({ event, args });
  });
  const waitFor = async (ok: (e: PaymentUpdated[]) => boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!ok(events)) {
      if (Date.now() > deadline) {
        throw new Error(`socket events not as expected: ${JSON.stringify(events.map(brief))}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return events;
  };
  return { socket, events, others, waitFor };
}

export const brief = (e: PaymentUpdated) => ({ seq: e.seq, id: e.payment.id, to: e.event.to });

/** Resolves on connect, rejects with the connect_error (whose `data` says why). */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}
