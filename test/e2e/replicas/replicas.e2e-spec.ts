import { schema } from '@malipo/db';
import type { PaymentUpdated } from '@malipo/realtime';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { canonical, payingPhone, scenarioPhone } from '../../support/nest-apps';
import { waitFor } from '../../support/processes';
import { connected, orderRef, record, type Recorder } from '../realtime/realtime-harness';
import { startReplicas, type Replicas } from './replicas-harness';

jest.setTimeout(60_000);

const AUTH_FAILURES = 6;

/** docs/scaling.md: two apis and two workers over one PostgreSQL and one Redis prefix. */
describe('two api and two worker replicas behind a round-robin proxy', () => {
  let h: Replicas;
  let shop: TenantWithKeys;
  const sockets: Recorder[] = [];
  /** Printed once at the end, for docs/scaling.md. */
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await startReplicas({
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
      // A claim outlives any query here, so only a dead replica's claim is ever taken over.
      RECONCILE_LEASE_MS: '5000',
      JOB_LOCK_MS: '2000',
    });
    shop = await createTenantWithKeys(h.db);
  });

  afterAll(async () => {
    process.stdout.write(`replicas: ${JSON.stringify(figures)}\n`);
    sockets.forEach((s) => s.socket.close());
    await h?.close();
  });

  const listen = async (url: string, auth: Record<string, unknown>) => {
    const r = record(url, auth);
    sockets.push(r);
    await connected(r.socket);
    return r;
  };
  /**
   * A till's push with its retry: the same Idempotency-Key again after a 5xx or a dropped
   * connection. A 409 (the key is held by a request still running, or by a replica that died
   * holding it: LOCK_MS, a minute) is retried for `inProgressMs` only.
   */
  const send = async (s: TenantWithKeys, phone: string, inProgressMs = 20_000) => {
    const body = { orderRef: orderRef(), amount: 10, phone };
    const headers = { 'idempotency-key': `k-${body.orderRef}` };
    const giveUpAt = Date.now() + inProgressMs;
    return waitFor(async () => {
      const r = await client(h.proxy.url, s.terminalKey).post('/v1/payments', body, { headers });
      if (r.status === 409 && Date.now() > giveUpAt) return r;
      return r.status < 500 && r.status !== 409 ? r : undefined;
    }, 40_000);
  };
  const pay = async (s: TenantWithKeys, phone: string): Promise<string> => {
    const res = await send(s, phone);
    expect([200, 201]).toContain(res.status);
    return (res.data as { id: string }).id;
  };
  const paymentsOf = (s: TenantWithKeys) =>
    h.db.select().from(schema.payments).where(eq(schema.payments.tenantId, s.tenantId));
  const allSucceeded = (s: TenantWithKeys, n: number) =>
    waitFor(async () => {
      const rows = await paymentsOf(s);
      return rows.length === n && rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    }, 30_000);
  const succeededEvents = (ids: string[]) =>
    h.db
      .select({ paymentId: schema.paymentEvents.paymentId })
      .from(schema.paymentEvents)
      .where(
        and(
          inArray(schema.paymentEvents.paymentId, ids),
          eq(schema.paymentEvents.toStatus, 'succeeded'),
        ),
      );
  const heard = (r: Recorder, ids: string[]) =>
    r.waitFor((e) =>
      ids.every((id) => e.some((x) => x.payment.id === id && x.event.to === 'succeeded')),
    );
  const stepsById = (events: PaymentUpdated[]) => {
    const by: Record<string, string[]> = {};
    for (const e of events) (by[e.payment.id] ??= []).push(e.event.to);
    return by;
  };

  it('the deploy migrations step ran twice at once and both runs succeeded', () => {
    expect(h.migrations).toEqual([0, 0]);
  });

  it('spreads initiations over both apis; terminals on either hear each event once', async () => {
    const tillA = await listen(h.apis[0].url, { token: shop.terminalKey });
    const ownerB = await listen(h.apis[1].url, { token: shop.ownerKey });
    const tillProxied = await listen(h.proxy.url, { token: shop.terminalKey });
    const started = Date.now();
    const ids = await Promise.all(Array.from({ length: 12 }, () => pay(shop, payingPhone())));
    const served = h.apis.map((api) => h.proxy.served(api.url, 'POST /v1/payments'));
    for (const n of served) expect(n).toBeGreaterThanOrEqual(3);
    const rows = await allSucceeded(shop, ids.length);
    figures.spread = { payments: ids.length, perApi: served, settledMs: Date.now() - started };
    for (const r of [tillA, ownerB, tillProxied]) {
      await heard(r, ids);
      const steps = stepsById(r.events);
      for (const id of ids) {
        expect([id, steps[id]]).toEqual([id, ['awaiting_customer', 'succeeded']]);
      }
      expect(new Set(r.events.map((e) => e.seq)).size).toBe(r.events.length);
    }
    // Each callback stored once and applied once, whichever api took it and worker ran it.
    const inbox = await h.db
      .select()
      .from(schema.callbackInbox)
      .where(eq(schema.callbackInbox.tenantId, shop.tenantId));
    expect(inbox.map((c) => c.state)).toEqual(Array(ids.length).fill('processed'));
    expect((await succeededEvents(ids)).length).toBe(ids.length);
    expect(new Set(rows.map((r) => r.receipt)).size).toBe(ids.length);
  });

  it('a terminal that reconnects to the other api resumes with exactly what it missed', async () => {
    const first = await listen(h.apis[0].url, { token: shop.terminalKey });
    const lastSeq = Math.max(0, ...sockets[0].events.map((e) => e.seq));
    first.socket.close();
    const missed = await Promise.all([0, 1, 2].map(() => pay(shop, payingPhone())));
    await allSucceeded(shop, 15);
    const again = await listen(h.apis[1].url, { token: shop.terminalKey, lastSeq });
    await again.waitFor(() => again.others.some((o) => o.event === 'resumed'));
    await heard(again, missed);
    // Exactly the room's events after lastSeq, each once and in order (a replay includes the
    // `created` events that the live stream never carries: docs/terminal-protocol.md).
    const expected = await h.db
      .select({ seq: schema.paymentEvents.seq, paymentId: schema.paymentEvents.paymentId })
      .from(schema.paymentEvents)
      .where(
        and(
          eq(schema.paymentEvents.tenantId, shop.tenantId),
          gt(schema.paymentEvents.seq, lastSeq),
        ),
      )
      .orderBy(schema.paymentEvents.seq);
    expect(again.events.map((e) => [e.seq, e.payment.id])).toEqual(
      expected.map((e) => [e.seq, e.paymentId]),
    );
    expect(new Set(expected.map((e) => e.paymentId))).toEqual(new Set(missed));
    for (const id of missed) expect(stepsById(again.events)[id].at(-1)).toBe('succeeded');
    again.socket.close();
  });

  it('shares rate limits: failed authentications counted over both apis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES + 2; i++) {
      const api = h.apis[i % 2];
      statuses.push((await client(api.url, 'mk_not_a_key_at_all').get('/v1/payments')).status);
    }
    expect(statuses).toEqual([...Array(AUTH_FAILURES).fill(401), 429, 429]);
  });

  it('reconciles lost callbacks once: one STK Query per attempt over both workers', async () => {
    const lost = await createTenantWithKeys(h.db);
    const phones = Array.from({ length: 6 }, () => scenarioPhone('9999'));
    await Promise.all(phones.map((p) => pay(lost, p)));
    const started = Date.now();
    const rows = await allSucceeded(lost, phones.length);
    figures.reconciled = { payments: phones.length, settledMs: Date.now() - started };
    const attempts = await h.db
      .select()
      .from(schema.paymentAttempts)
      .where(
        inArray(
          schema.paymentAttempts.paymentId,
          rows.map((r) => r.id),
        ),
      );
    for (const a of attempts) {
      const queries = h.sim.sim.requests({
        kind: 'stk_query',
        checkoutRequestId: a.checkoutRequestId!,
      });
      expect([a.checkoutRequestId, queries.length]).toEqual([a.checkoutRequestId, 1]);
    }
    expect((await succeededEvents(rows.map((r) => r.id))).length).toBe(phones.length);
  });

  it('loses and doubles nothing when one api and one worker are killed mid-load', async () => {
    const load = await createTenantWithKeys(h.db);
    const survivor = await listen(h.apis[0].url, { token: load.terminalKey });
    const phones = Array.from({ length: 24 }, () => payingPhone());
    const sending = Promise.all(phones.map((p) => send(load, p, 3_000)));
    await waitFor(async () => (await paymentsOf(load)).length >= 8);
    await Promise.all([h.apis[1].stop('SIGKILL'), h.workers[1].stop('SIGKILL')]);
    const killedAt = Date.now();
    const answers = await sending;
    // Every prompt the customers answered (the money) is one succeeded payment with its receipt.
    const charged = phones.flatMap((p) => h.sim.sim.listTransactions({ phone: canonical(p) }));
    const rows = await waitFor(async () => {
      const all = await paymentsOf(load);
      const paid = all.filter((r) => r.status === 'succeeded');
      return paid.length === charged.length ? all : undefined;
    }, 30_000);
    const settledAt = Date.now();
    const paid = rows.filter((r) => r.status === 'succeeded');
    expect(paid.map((r) => r.receipt).sort()).toEqual(charged.map((t) => t.receipt).sort());
    // Nothing doubled: one prompt per order, one payment per order, one success event each.
    for (const p of phones) {
      expect(h.sim.sim.requests({ kind: 'stk_push', phone: canonical(p) }).length).toBeLessThan(2);
    }
    expect(new Set(rows.map((r) => r.orderRef)).size).toBe(rows.length);
    expect((await succeededEvents(paid.map((r) => r.id))).length).toBe(paid.length);
    // Nothing lost: a request the dead replica held without pushing charged nobody and stays
    // open (its key frees after LOCK_MS); every other till got its payment.
    const accepted = answers.filter((r) => r.status === 201 || r.status === 200);
    expect(accepted.length + answers.filter((r) => r.status === 409).length).toBe(phones.length);
    for (const r of rows.filter((x) => x.status !== 'succeeded')) {
      expect(h.sim.sim.listTransactions({ phone: r.phone })).toEqual([]);
    }
    await heard(
      survivor,
      paid.map((r) => r.id),
    );
    const heardPaid = survivor.events.filter((e) => e.event.to === 'succeeded');
    expect(heardPaid.map((e) => e.payment.id).sort()).toEqual(paid.map((r) => r.id).sort());
    figures.kill = {
      orders: phones.length,
      accepted: accepted.length,
      inProgress: phones.length - accepted.length,
      charged: charged.length,
      succeeded: paid.length,
      settledAfterKillMs: settledAt - killedAt,
    };
  });
});
