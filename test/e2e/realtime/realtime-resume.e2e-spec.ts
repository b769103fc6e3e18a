import type { PaymentUpdated, PaymentView } from '@malipo/realtime';
import { TerminalClient } from '@malipo/terminal-client';
import Redis from 'ioredis';
import { SCENARIOS } from '../../../apps/daraja-sim/src/scenarios';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { eventually } from '../../support/http';
import { canonical, payingPhone } from '../../support/nest-apps';
import {
  brief,
  connected,
  http,
  orderRef,
  record,
  startHarness,
  type RealtimeHarness,
  type Recorder,
} from './realtime-harness';

const MAX_RESUME = 12;

describe('resume after a lost connection', () => {
  let h: RealtimeHarness;
  let shop: TenantWithKeys;
  const sockets: Recorder[] = [];
  const clients: TerminalClient[] = [];

  beforeAll(async () => {
    h = await startHarness({ REALTIME_RESUME_MAX_EVENTS: String(MAX_RESUME) });
    shop = await createTenantWithKeys(h.db);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.socket.close());
    clients.forEach((c) => c.close());
    await h?.close();
  });

  const open = async (auth: Record<string, unknown>) => {
    const r = record(h.a.url, auth);
    sockets.push(r);
    await connected(r.socket);
    return r;
  };
  /** A payment whose prompt waits on the phone until `complete` is called. */
  const heldPayment = async (): Promise<{ view: PaymentView; complete: () => void }> => {
    const phone = payingPhone();
    h.sim.sim.setScenario(canonical(phone), SCENARIOS.hold);
    const res = await http(h.b.url, shop.terminalKey).post(
      '/v1/payments',
      { orderRef: orderRef(), amount: 25, phone },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    const complete = () => {
      const [txn] = h.sim.sim.listTransactions({ phone: canonical(phone) });
      h.sim.sim.completeNow(txn.checkoutRequestId);
    };
    return { view: res.data as PaymentView, complete };
  };
  const finalOverRest = (id: string) =>
    eventually(
      () => http(h.b.url, shop.ownerKey).get(`/v1/payments/${id}`),
      (r) => r.data.status === 'succeeded',
    );
  const maxSeq = (events: PaymentUpdated[]) => Math.max(...events.map((e) => e.seq));

  it('replays each event with the payment as that event left it, not as it is now', async () => {
    const first = await open({ token: shop.terminalKey });
    const held = await heldPayment();
    await first.waitFor((e) => e.some((x) => x.payment.id === held.view.id));
    const prompted = first.events.find((x) => x.payment.id === held.view.id)!;
    expect(prompted.event.to).toBe('awaiting_customer');
    first.socket.close();

    held.complete();
    await finalOverRest(held.view.id);
    const again = await open({ token: shop.terminalKey, lastSeq: prompted.seq - 1 });
    await again.waitFor(() => again.others.some((o) => o.event === 'resumed'));
    const mine = again.events.filter((x) => x.payment.id === held.view.id);
    expect(mine.map((x) => [x.event.to, x.payment.status, x.payment.receipt === null])).toEqual([
      ['awaiting_customer', 'awaiting_customer', true],
      ['succeeded', 'succeeded', false],
    ]);
    expect(mine[0].payment.nextAction).toBe('wait_for_customer');
    expect(mine[0].payment).toEqual(prompted.payment);
    again.socket.close();
  });

  it('replays exactly the three missed events in order, then live ones, without duplicates', async () => {
    const first = await open({ token: shop.terminalKey });
    const held = [await heldPayment(), await heldPayment(), await heldPayment()];
    const ids = held.map((p) => p.view.id);
    await first.waitFor((e) => ids.every((id) => e.some((x) => x.payment.id === id)));
    const lastSeq = maxSeq(first.events);
    first.socket.close();

    held.forEach((p) => p.complete());
    for (const id of ids) expect((await finalOverRest(id)).data.status).toBe('succeeded');

    const again = await open({ token: shop.terminalKey, lastSeq });
    await again.waitFor(() => again.others.some((o) => o.event === 'resumed'));
    const replayed = [...again.events];
    expect(replayed.map(brief)).toEqual(
      [...replayed].sort((a, b) => a.seq - b.seq).map(brief), // in seq order
    );
    expect(replayed.map((e) => [e.payment.id, e.event.to, e.replayed])).toEqual(
      expect.arrayContaining(ids.map((id) => [id, 'succeeded', true])),
    );
    expect(replayed).toHaveLength(3);
    expect(replayed.every((e) => e.seq > lastSeq)).toBe(true);
    const resumed = again.others.find((o) => o.event === 'resumed')?.args[0];
    expect(resumed).toEqual({ from: lastSeq, replayed: 3, seq: maxSeq(replayed) });

    const live = await heldPayment();
    live.complete();
    await again.waitFor((e) =>
      e.some((x) => x.payment.id === live.view.id && x.event.to === 'succeeded'),
    );
    const after = again.events.slice(3);
    expect(after.map((e) => [e.event.to, e.replayed])).toEqual([
      ['awaiting_customer', undefined],
      ['succeeded', undefined],
    ]);
    expect(after[0].seq).toBeGreaterThan(maxSeq(replayed));
    const seqs = again.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('a resume message on an open socket replays from the given seq', async () => {
    const r = await open({ token: shop.ownerKey });
    const p = await heldPayment();
    await r.waitFor((e) => e.some((x) => x.payment.id === p.view.id));
    const from = r.events[0].seq - 1;
    const ack = await r.socket.emitWithAck('resume', { lastSeq: from });
    expect(ack).toMatchObject({ ok: true, from, replayed: expect.any(Number) });
    const replays = r.events.filter((e) => e.replayed);
    expect(replays[0]).toMatchObject({ seq: from + 1, replayed: true });
    expect(await r.socket.emitWithAck('resume', { lastSeq: -3 })).toMatchObject({
      ok: false,
      error: { code: 'REALTIME.INVALID_LAST_SEQ' },
    });
    p.complete();
    await finalOverRest(p.view.id);
  });

  it('too far behind, or ahead of the server: resync_required, then live events', async () => {
    for (let i = 0; i < 4; i += 1) {
      const p = await heldPayment(); // created + stk_accepted: 2 events each
      p.complete();
      await finalOverRest(p.view.id);
    }
    const behind = await open({ token: shop.ownerKey, lastSeq: 0 });
    await behind.waitFor(() => behind.others.some((o) => o.event === 'resumed'));
    const resync = behind.others.find((o) => o.event === 'resync_required')?.args[0] as {
      reason: string;
      seq: number;
    };
    expect(resync).toMatchObject({ reason: 'too_many_events', seq: expect.any(Number) });
    expect(behind.events).toHaveLength(0);

    const ahead = await open({ token: shop.terminalKey, lastSeq: 10_000_000 });
    await ahead.waitFor(() => ahead.others.some((o) => o.event === 'resync_required'));
    expect(ahead.others[0].args[0]).toEqual({ reason: 'ahead_of_server', seq: resync.seq });

    const p = await heldPayment();
    p.complete();
    await behind.waitFor((e) =>
      e.some((x) => x.payment.id === p.view.id && x.event.to === 'succeeded'),
    );
    await ahead.waitFor((e) =>
      e.some((x) => x.payment.id === p.view.id && x.event.to === 'succeeded'),
    );
    expect(behind.events.every((e) => e.seq > resync.seq)).toBe(true);
  });

  it("catches sockets up from payment_events after the replica's Redis subscriber dropped", async () => {
    const r = await open({ token: shop.terminalKey });
    const p = await heldPayment();
    await r.waitFor((e) => e.some((x) => x.payment.id === p.view.id));
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const list = String(await redis.call('CLIENT', 'LIST'));
    const subscribers = list
      .split('\n')
      .filter((l) => l.includes(`name=${process.env.REDIS_PREFIX}:realtime-adapter-sub `))
      .map((l) => /\bid=(\d+)/.exec(l)?.[1] as string);
    expect(subscribers).toHaveLength(2); // one per replica
    for (const id of subscribers) await redis.call('CLIENT', 'KILL', 'ID', id);
    redis.disconnect();
    // Committed (on replica B) while the subscribers reconnect: the live copy is likely lost.
    const cancel = await http(h.b.url, shop.terminalKey).post(
      `/v1/payments/${p.view.id}/cancel`,
      {},
    );
    expect(cancel.status).toBe(200);
    await r.waitFor((e) => e.some((x) => x.payment.id === p.view.id && x.event.to === 'cancelled'));
    await new Promise((res) => setTimeout(res, 500));
    expect(r.events.filter((e) => e.payment.id === p.view.id).map((e) => e.event.to)).toEqual([
      'awaiting_customer',
      'cancelled',
    ]);
  });

  it('the terminal client follows a payment to its end across a dropped connection', async () => {
    const till = new TerminalClient({
      url: h.a.url,
      apiKey: shop.terminalKey,
      socket: { reconnectionDelay: 300, reconnectionDelayMax: 300 },
    });
    clients.push(till);
    await till.ready();
    const resumes: number[] = [];
    till.on('resumed', (e) => resumes.push(e.replayed));
    const p = await heldPayment();
    const ticks: number[] = [];
    const followed = till.follow(p.view, { onTick: (s) => ticks.push(s) });
    await eventually(
      async () => till.lastSeq,
      (s) => s !== undefined,
    );
    till.socket.io.engine.close(); // the network drops; socket.io reconnects by itself
    p.complete();
    const final = await followed.done;
    expect(final).toMatchObject({ id: p.view.id, status: 'succeeded' });
    expect(ticks[0]).toBeGreaterThan(20); // STK_TIMEOUT_SECONDS=30 in the harness
    expect(ticks[0]).toBeLessThanOrEqual(30);
    await eventually(
      async () => resumes.length,
      (n) => n > 0,
    );
    expect(resumes.length).toBeGreaterThan(0);
  });
});
