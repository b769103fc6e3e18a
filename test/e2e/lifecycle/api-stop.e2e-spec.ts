import http from 'node:http';
import { schema } from '@malipo/db';
import { inArray } from 'drizzle-orm';
import axios from 'axios';
import { FAST_RECONCILE } from '../../support/compiled-stack';
import { payingPhone } from '../../support/nest-apps';
import { waitFor } from '../../support/processes';
import { startCompiledStack, type CompiledStack } from '../../support/stack';

jest.setTimeout(90_000);

const DRAIN_MS = 3_000;

interface Sent {
  status: number | 'refused';
  id?: string;
  code?: string;
  connection?: string;
}

describe('the api stopped (SIGTERM) during a steady stream of pushes and callbacks', () => {
  let stack: CompiledStack;

  beforeAll(async () => {
    stack = await startCompiledStack({
      // The customer answers 500 ms after each push.
      sim: { callbackDelayMs: 500 },
      env: { SHUTDOWN_DRAIN_MS: String(DRAIN_MS), ...FAST_RECONCILE },
      ownDatabase: true,
    });
    stack.sim.sim.setFaults({ latencyMs: 400 }); // each push takes Daraja 400 ms
  });

  afterAll(() => stack?.close());

  it('stores every callback, refuses new pushes with 503, finishes those in flight and exits 0', async () => {
    const { sim, api, db } = stack;
    const shop = await stack.shop();
    // A POS keeps its connections alive: the stop must not serve them as if nothing happened.
    const pos = axios.create({
      baseURL: api.url,
      validateStatus: () => true,
      timeout: 20_000,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 4 }),
      headers: { authorization: `Bearer ${shop.terminalKey}` },
    });
    const sent: Sent[] = [];
    let exited = false;
    const push = async (n: number): Promise<void> => {
      const res = await pos
        .post(
          '/v1/payments',
          { orderRef: `S-${n}-${Date.now()}`, amount: 10 + n, phone: payingPhone() },
          { headers: { 'idempotency-key': `stop-${n}-${Date.now()}` } },
        )
        .catch(() => undefined);
      sent.push(
        res
          ? {
              status: res.status,
              id: res.data?.id,
              code: res.data?.code,
              connection: String(res.headers.connection),
            }
          : { status: 'refused' },
      );
    };
    // Four cashiers, each sending a new push as soon as the last one is answered.
    let n = 0;
    const cashier = async () => {
      while (!exited) {
        await push(n++);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const cashiers = Promise.all([cashier(), cashier(), cashier(), cashier()]);
    await waitFor(async () => sent.filter((s) => s.status === 201).length >= 8, 20_000);

    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    const readiness = await waitFor(async () => {
      const res = await fetch(`${api.url}/health/ready`).catch(() => undefined);
      return res?.status === 503 ? res.status : undefined;
    }, 1_000);
    expect(readiness).toBe(503);
    const code = await api.exited;
    exited = true;
    await cashiers;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_MS);

    // New pushes during the stop were refused, clearly, and told to go elsewhere.
    const refusedWith503 = sent.filter((s) => s.status === 503);
    expect(refusedWith503.length).toBeGreaterThan(0);
    for (const s of refusedWith503) {
      expect(s).toMatchObject({ code: 'SERVICE.STOPPING', connection: 'close' });
    }
    expect(
      sent.filter((s) => typeof s.status === 'number' && ![201, 503].includes(s.status)),
    ).toEqual([]);
    // Every push Daraja took got its callback stored: none refused, none lost.
    const pushes = sim.sim.requests({ kind: 'stk_push' }).filter((r) => r.status === 200);
    const callbacks = sim.sim.callbacks();
    expect(callbacks.filter((c) => c.outcome !== 'delivered')).toEqual([]);
    expect(callbacks).toHaveLength(pushes.length);
    // And every payment ends as M-Pesa says.
    const ids = sent.filter((s) => s.status === 201).map((s) => s.id as string);
    expect(ids.length).toBe(pushes.length);
    const settled = await waitFor(async () => {
      const rows = await db.select().from(schema.payments).where(inArray(schema.payments.id, ids));
      return rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    }, 20_000);
    const receipts = new Map(
      sim.sim.listTransactions().map((t) => [t.checkoutRequestId, t.receipt]),
    );
    const attempts = await db
      .select()
      .from(schema.paymentAttempts)
      .where(inArray(schema.paymentAttempts.paymentId, ids));
    for (const p of settled) {
      const a = attempts.find((x) => x.paymentId === p.id);
      expect(p.receipt).toBe(receipts.get(a?.checkoutRequestId ?? ''));
    }
  });
});
