import { generateApiKey } from '@malipo/common';
import { ApiKeysRepository, TerminalsRepository } from '@malipo/db';
import { io } from 'socket.io-client';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { payingPhone } from '../../support/nest-apps';
import {
  connected,
  http,
  orderRef,
  record,
  startHarness,
  type RealtimeHarness,
  type Recorder,
} from './realtime-harness';

describe('who may listen on /terminals', () => {
  let h: RealtimeHarness;
  let shop: TenantWithKeys;
  const opened: Recorder[] = [];

  beforeAll(async () => {
    h = await startHarness({
      REALTIME_MAX_CONNECTIONS_PER_KEY: '2',
      REALTIME_KEY_RECHECK_MS: '200',
    });
    shop = await createTenantWithKeys(h.db);
  });

  afterAll(async () => {
    opened.forEach((r) => r.socket.close());
    await h?.close();
  });

  const open = (auth: Record<string, unknown>, url = h.a.url) => {
    const r = record(url, auth);
    opened.push(r);
    return r;
  };
  const refusal = async (auth: Record<string, unknown>, url = h.a.url) => {
    const r = open(auth, url);
    const err = await connected(r.socket).then(
      () => undefined,
      (e: Error & { data?: unknown }) => e,
    );
    return err?.data;
  };
  /** A second terminal of the same shop, with its own terminal key. */
  const secondTerminal = async () => {
    const terminal = await new TerminalsRepository(h.db).create(shop.tenantId, {
      name: 'Till 2',
      code: `till-2-${Math.random().toString(36).slice(2, 8)}`,
      channelId: shop.channelId,
    });
    const k = generateApiKey('terminal');
    const row = await new ApiKeysRepository(h.db).create({
      tenantId: shop.tenantId,
      terminalId: terminal.id,
      role: 'terminal',
      name: 'till 2 key',
      prefix: k.prefix,
      keyHash: k.hash,
    });
    return { terminalId: terminal.id, key: k.key, keyId: row.id };
  };
  const pay = async (key: string) => {
    const res = await http(h.b.url, key).post(
      '/v1/payments',
      { orderRef: orderRef(), amount: 5, phone: payingPhone() },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    return (res.data as { id: string }).id;
  };

  it('refuses missing, unknown and ops keys, and a bad lastSeq, with a readable reason', async () => {
    expect(await refusal({})).toMatchObject({ code: 'AUTH.MISSING_KEY' });
    expect(await refusal({ token: 'mlp_nope' })).toMatchObject({ code: 'AUTH.INVALID_KEY' });
    expect(await refusal({ token: shop.opsKey })).toMatchObject({
      code: 'AUTH.ROLE_NOT_ALLOWED',
      message: expect.stringContaining('ops'),
    });
    expect(await refusal({ token: shop.terminalKey, lastSeq: -1 })).toMatchObject({
      code: 'REALTIME.INVALID_LAST_SEQ',
    });
    const root = io(h.a.url, { transports: ['websocket'], auth: { token: shop.terminalKey } });
    const rootErr = await new Promise<{ data?: unknown }>((r) => root.once('connect_error', r));
    root.close();
    expect(rootErr.data).toMatchObject({ code: 'REALTIME.NAMESPACE' });
  });

  it('caps connections per key over both replicas', async () => {
    const extra = await secondTerminal();
    const one = open({ token: extra.key }, h.a.url);
    const two = open({ token: extra.key }, h.b.url);
    await Promise.all([connected(one.socket), connected(two.socket)]);
    expect(await refusal({ token: extra.key }, h.a.url)).toMatchObject({
      code: 'REALTIME.TOO_MANY_CONNECTIONS',
    });
    two.socket.close();
    // Replica B notices the close asynchronously; then the key has room again.
    let third: unknown = 'not tried';
    for (let i = 0; i < 40 && third !== undefined; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      third = await refusal({ token: extra.key }, h.a.url);
    }
    expect(third).toBeUndefined();
  });

  it('a terminal key hears only its own terminal and cannot join another room', async () => {
    const other = await secondTerminal();
    const mine = open({ token: shop.terminalKey });
    const theirs = open({ token: other.key });
    const owner = open({ token: shop.ownerKey });
    await Promise.all([mine.socket, theirs.socket, owner.socket].map(connected));

    const foreignRoom = `t:${shop.tenantId}:terminal:${other.terminalId}`;
    for (const room of [foreignRoom, `t:${shop.tenantId}`, `k:${other.keyId}`]) {
      expect(await mine.socket.timeout(10_000).emitWithAck('join', { room })).toEqual({
        ok: false,
        error: { code: 'REALTIME.ROOM_FORBIDDEN', message: expect.any(String) },
      });
    }
    const ownRoom = `t:${shop.tenantId}:terminal:${shop.terminalId}`;
    expect(await mine.socket.timeout(10_000).emitWithAck('join', { room: ownRoom })).toEqual({
      ok: true,
    });

    const theirPayment = await pay(other.key);
    const myPayment = await pay(shop.terminalKey);
    await owner.waitFor((e) =>
      [theirPayment, myPayment].every((id) =>
        e.some((x) => x.payment.id === id && x.event.to === 'succeeded'),
      ),
    );
    await mine.waitFor((e) =>
      e.some((x) => x.payment.id === myPayment && x.event.to === 'succeeded'),
    );
    await theirs.waitFor((e) =>
      e.some((x) => x.payment.id === theirPayment && x.event.to === 'succeeded'),
    );
    expect(mine.events.filter((e) => e.payment.id === theirPayment)).toEqual([]);
    expect(mine.events.every((e) => e.payment.terminalId === shop.terminalId)).toBe(true);
    expect(theirs.events.every((e) => e.payment.terminalId === other.terminalId)).toBe(true);

    // Nor can it replay them: a resume returns only its own terminal's events.
    const ack = await mine.socket.timeout(10_000).emitWithAck('resume', { lastSeq: 0 });
    expect(ack).toMatchObject({ ok: true });
    const replayed = mine.events.filter((e) => e.replayed);
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((e) => e.payment.terminalId === shop.terminalId)).toBe(true);
  });

  it('disconnects a socket whose key is revoked, and refuses the key afterwards', async () => {
    const extra = await secondTerminal();
    const r = open({ token: extra.key });
    await connected(r.socket);
    const closed = new Promise<string>((resolve) => r.socket.once('disconnect', resolve));
    await new ApiKeysRepository(h.db).revoke(shop.tenantId, extra.keyId);
    expect(await closed).toBe('io server disconnect');
    expect(r.others.find((o) => o.event === 'key_revoked')?.args[0]).toMatchObject({
      code: 'AUTH.KEY_REVOKED',
    });
    await new Promise((res) => setTimeout(res, 1_100)); // the authenticator's positive cache
    expect(await refusal({ token: extra.key })).toMatchObject({ code: 'AUTH.INVALID_KEY' });
  });
});
