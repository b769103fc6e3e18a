import { openApiDocument } from '../../../apps/api/src/openapi';
import { client, eventually } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startStack } from '../../support/stack';
import { startReceiver } from '../webhooks/receiver';
import { MONEY_CASES, reversalRequested } from './audit-money-cases';
import { FIRST_CASES, type RouteCase } from './audit-route-cases';
import {
  callerClient,
  chainIdOf,
  entriesAfter,
  expectedActor,
  headSeq,
  holdPhone,
  newRequestId,
  order,
  sim,
  shopKeys,
  idem,
  type AuditEntry,
  type World,
} from './audit-walk-harness';

const CASES: RouteCase[] = [...FIRST_CASES, ...MONEY_CASES];
const MUTATING = ['post', 'put', 'patch', 'delete'];
const DARAJA = { kind: 'daraja', ip: '127.0.0.1' };

/**
 * Issue 18: every mutating route of the api writes exactly its declared audit entries, each
 * naming its caller, and none holds a phone number or a secret. The table must cover every
 * POST/PUT/PATCH/DELETE of the OpenAPI document the api serves, so a new route fails here until
 * it has a row (and so an audit entry).
 */
describe('every mutating route is audited (a walk of the OpenAPI document)', () => {
  let w: World;
  const written: AuditEntry[] = [];

  beforeAll(async () => {
    // A database of its own: the platform chain then holds only this file's entries.
    const stack = await startStack({ ownDatabase: true, sim: { callbackDelayMs: 30 } });
    const [main, rev] = [await shopKeys(stack), await shopKeys(stack)];
    w = { stack, main, rev, receiver: await startReceiver(), ids: {}, secrets: new Set() };
    for (const shop of [main, rev]) {
      w.secrets.add(shop.ownerKey).add(shop.owner2Key).add(shop.terminalKey).add(shop.opsKey);
    }
  });

  afterAll(async () => {
    await w?.stack.close();
    await w?.receiver.close();
  });

  it('has a row for every mutating operation of the document, and none for a route it lacks', () => {
    const doc = openApiDocument(w.stack.api.app);
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => MUTATING.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(30);
    expect(CASES.map((c) => c.route).sort()).toEqual([...operations].sort());
  });

  it('writes exactly the declared entries per call, each naming the caller', async () => {
    for (const c of CASES) {
      const shop = w[c.shop ?? 'main'];
      const chainId = chainIdOf(shop, c.chain);
      await c.prepare?.(w);
      const before = await headSeq(w, chainId);
      const requestId = newRequestId();
      const res = await c.call(callerClient(w, shop, c.as, requestId), w);
      expect({
        route: c.route,
        ok: res.status < 300,
        body: res.status < 300 ? null : res.data,
      }).toEqual({ route: c.route, ok: true, body: null });
      const added = await entriesAfter(w, chainId, before);
      expect({ route: c.route, actions: added.map((e) => e.action) }).toEqual({
        route: c.route,
        actions: c.expect,
      });
      const actor = await expectedActor(w, shop, c.as, requestId);
      for (const e of added) {
        expect({ route: c.route, actor: e.actor }).toEqual({
          route: c.route,
          actor: expect.objectContaining(actor),
        });
      }
      written.push(...added);
    }
  });

  it('records the Daraja hooks by the digest of their body, and what they cause as Daraja', async () => {
    const owner = client(w.stack.api.url, w.main.ownerKey);
    // C2B: validation then confirmation of money naming an open order (a held prompt's).
    const phone = await holdPhone(w, payingPhone());
    const orderRef = order();
    const started = await client(w.stack.api.url, w.main.terminalKey).post(
      '/v1/payments',
      { orderRef, amount: 60, phone },
      idem(),
    );
    sim(w).c2b.setValidation('174379', true);
    let before = await headSeq(w, w.main.tenantId);
    await sim(w).c2b.pay({
      shortCode: '174379',
      amount: 60,
      phone: '254700000001',
      billRefNumber: orderRef,
    });
    w.secrets.add('254700000001');
    const c2b = await eventually(
      () => entriesAfter(w, w.main.tenantId, before),
      (e) => e.length >= 3,
    );
    expect(c2b.map((e) => e.action)).toEqual([
      'daraja.c2b_validation',
      'daraja.c2b_confirmation',
      'payment.paid',
    ]);
    for (const e of c2b) expect(e.actor).toEqual(DARAJA);
    expect(c2b[2].subject.paymentId).toBe(started.data.id);
    expect(c2b[2].data.evidenceSha256).toBe(c2b[1].data.bodySha256);
    written.push(...c2b);

    // A reversal's result: the hook's entry, then the reversal it reports, both Daraja's.
    sim(w).results.initiators.add({
      name: 'walkop',
      password: 'Walk#pw1',
      roles: ['status', 'reversal', 'balance'],
      delivery: 'once',
    });
    const reversalId = await reversalRequested(w);
    before = await headSeq(w, w.rev.tenantId);
    const approver = client(w.stack.api.url, w.rev.owner2Key);
    expect((await approver.post(`/v1/reversals/${reversalId}/approve`, {})).status).toBe(200);
    const result = await eventually(
      () => entriesAfter(w, w.rev.tenantId, before),
      (e) => e.length >= 3,
    );
    expect(result.map((e) => e.action)).toEqual([
      'reversal.approved',
      'daraja.result',
      'payment.reversed',
    ]);
    expect([result[1].actor, result[2].actor]).toEqual([DARAJA, DARAJA]);
    expect(result[2].data.evidenceSha256).toBe(result[1].data.bodySha256);
    written.push(...result);
    expect((await owner.get('/v1/audit/verify')).data).toMatchObject({ valid: true });
  });

  it('never writes a phone number or a secret into any entry', async () => {
    expect(written.length).toBeGreaterThan(CASES.length);
    const text = JSON.stringify(written);
    const leaked = [...w.secrets].filter((s) => s.length >= 8 && text.includes(s));
    expect(leaked).toEqual([]);
  });
});
