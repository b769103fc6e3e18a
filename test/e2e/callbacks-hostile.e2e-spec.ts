import { schema } from '@malipo/db';
import type { AxiosInstance } from 'axios';
import { eq } from 'drizzle-orm';
import {
  aReceipt,
  createAcceptedPayment,
  stkCallbackBody,
  type AcceptedPayment,
} from '../factories/payments';
import type { TenantWithKeys } from '../factories/tenancy';
import { callbackReads } from '../support/callback-reads';
import { client, eventually } from '../support/http';
import { startStack, type Stack } from '../support/stack';

const ACK = { ResultCode: 0, ResultDesc: 'Accepted' };

/** Issue 14, money integrity: receipts, amounts, bodies and control characters from outside. */
describe('hostile STK callbacks', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let hook: AxiosInstance;
  let ops: AxiosInstance;

  let reads: ReturnType<typeof callbackReads>;
  const payment = (id: string) => reads.payment(id);
  const settled = (attemptId: string, n = 1) => reads.settled(attemptId, n);
  const kinds = (paymentId: string) => reads.discrepancyKinds(paymentId);
  const accepted = () => createAcceptedPayment(stack.worker!, shop);
  const postRaw = (p: AcceptedPayment, raw: string, headers: Record<string, string>) =>
    hook.post(p.callbackPath, raw, { headers, transformRequest: (d) => d });
  const postJson = (p: AcceptedPayment, body: unknown) =>
    postRaw(p, JSON.stringify(body), { 'content-type': 'application/json' });
  /** The success callback of `p` with its Amount item's Value replaced by `value` on the wire. */
  const withAmount = (p: AcceptedPayment, value: string) =>
    JSON.stringify(stkCallbackBody(p, { amount: 987_654 })).replace('987654', value);

  beforeAll(async () => {
    stack = await startStack({ ownDatabase: true, env: { CALLBACK_JOB_ATTEMPTS: '3' } });
    reads = callbackReads(stack.db);
    shop = await stack.shop();
    hook = client(stack.api.url);
    ops = client(stack.api.url, shop.opsKey);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('treats any case variant of a known receipt as that receipt: a duplicate, never a second success', async () => {
    const [first, second, same] = await Promise.all([accepted(), accepted(), accepted()]);
    const receipt = aReceipt();
    await postJson(first, stkCallbackBody(first, { receipt: receipt.toLowerCase() }));
    await settled(first.attemptId);
    expect((await payment(first.paymentId)).receipt).toBe(receipt); // canonical form kept
    await postJson(second, stkCallbackBody(second, { receipt: receipt.toLowerCase() }));
    await postJson(
      second,
      stkCallbackBody(second, {
        receipt: `${receipt.slice(0, 4)}${receipt.slice(4).toLowerCase()}`,
      }),
    );
    await settled(second.attemptId, 2);
    expect((await payment(second.paymentId)).status).toBe('awaiting_customer');
    // One fact (this attempt, this receipt in any case) told twice: one discrepancy (issue 13).
    expect(await kinds(second.paymentId)).toEqual(['duplicate_receipt']);
    // The same payment told its own receipt again, in another case: a replay, nothing new.
    await postJson(first, stkCallbackBody(first, { receipt }));
    await settled(first.attemptId, 2);
    expect(await kinds(first.paymentId)).toEqual([]);
    // Search agrees with uniqueness, and the database has the last word on case.
    const owner = client(stack.api.url, shop.ownerKey);
    const found = await owner.get('/v1/payments', { params: { receipt: receipt.toLowerCase() } });
    expect(found.data.items.map((i: { id: string }) => i.id)).toEqual([first.paymentId]);
    await expect(
      stack.pool.query('update payments set receipt = $1 where id = $2', [
        receipt.toLowerCase(),
        same.paymentId,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('reads amounts strictly: hex, exponents and fractions are integrity failures; 10.00 is 10', async () => {
    const wrong = await Promise.all(['"0xA"', '"1e1"', '10.004', '"10.004"'].map(() => accepted()));
    const right = await Promise.all(['10.00', '"10.00"'].map(() => accepted()));
    const asTen = (p: AcceptedPayment) => ({ ...p, amount: 10 });
    const ten = async (p: AcceptedPayment) => {
      await stack.db
        .update(schema.payments)
        .set({ amount: 10 })
        .where(eq(schema.payments.id, p.paymentId));
      await stack.db
        .update(schema.paymentAttempts)
        .set({ amount: 10 })
        .where(eq(schema.paymentAttempts.id, p.attemptId));
    };
    await Promise.all([...wrong, ...right].map(ten));
    const values = ['"0xA"', '"1e1"', '10.004', '"10.004"'];
    for (const [i, p] of wrong.entries()) {
      await postRaw(asTen(p), withAmount(asTen(p), values[i]), {
        'content-type': 'application/json',
      });
    }
    for (const [i, p] of right.entries()) {
      await postRaw(asTen(p), withAmount(asTen(p), ['10.00', '"10.00"'][i]), {
        'content-type': 'application/json',
      });
    }
    for (const p of [...wrong, ...right]) await settled(p.attemptId);
    for (const p of wrong) {
      expect((await payment(p.paymentId)).status).toBe('awaiting_customer');
      expect(await kinds(p.paymentId)).toEqual(['amount_mismatch']);
    }
    for (const p of right) expect((await payment(p.paymentId)).status).toBe('succeeded');
  });

  it('stores a callback byte for byte whatever its Content-Type, and applies it when it is JSON', async () => {
    const cases: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      {},
      { 'content-type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of cases) {
      const p = await accepted();
      const raw = JSON.stringify(stkCallbackBody(p));
      const res = await postRaw(p, raw, headers);
      expect([res.status, res.data]).toEqual([200, ACK]);
      const [row] = await settled(p.attemptId);
      expect(row.rawBody).toBe(raw);
      expect(row.state).toBe('processed');
      expect((await payment(p.paymentId)).status).toBe('succeeded');
    }
  });

  it('decides once that control characters make a payload invalid: no retries, no dead letter, no change', async () => {
    const p = await accepted();
    const escaped = stkCallbackBody(p, {
      resultDesc: 'ok\u0000',
      receipt: `AB\u0000${aReceipt()}`,
    });
    expect((await postJson(p, escaped)).status).toBe(200);
    const rawNul = `${JSON.stringify(stkCallbackBody(p)).slice(0, 20)}\u0000}`;
    expect((await postRaw(p, rawNul, { 'content-type': 'application/json' })).data).toEqual(ACK);
    const rows = await settled(p.attemptId, 2);
    expect(rows.map((r) => [r.state, r.processAttempts])).toEqual([
      ['invalid', 0],
      ['invalid', 0],
    ]);
    expect(rows.map((r) => r.lastError).sort()).toEqual([
      'body contains NUL bytes',
      expect.stringContaining('control character in Body.stkCallback.ResultDesc'),
    ]);
    expect((await payment(p.paymentId)).status).toBe('awaiting_customer');
  });

  it('marks a payload PostgreSQL refuses invalid at once instead of retrying it into the dead letters', async () => {
    await stack.pool.query(`
      create function hostile_refuse() returns trigger language plpgsql as $$
      begin
        if new.result_desc like '%refuse-me%' then
          raise exception 'cannot store this' using errcode = '22021';
        end if;
        return new;
      end $$;
      create trigger hostile_refuse before update on payment_attempts
        for each row execute function hostile_refuse();`);
    const p = await accepted();
    await postJson(p, stkCallbackBody(p, { resultCode: 1032, resultDesc: 'refuse-me' }));
    const [row] = await settled(p.attemptId);
    expect([row.state, row.processAttempts]).toEqual(['invalid', 1]);
    expect(row.lastError).toContain('SQLSTATE 22021');
    expect((await payment(p.paymentId)).status).toBe('awaiting_customer');
  });

  it('lets an operator replay an invalid callback once its cause is understood', async () => {
    const p = await accepted();
    // What the old parser did to a valid body sent as text/plain: stored, marked invalid.
    const [row] = await stack.db
      .insert(schema.callbackInbox)
      .values({
        tenantId: p.tenantId,
        attemptId: p.attemptId,
        headers: { 'content-type': 'text/plain' },
        rawBody: JSON.stringify(stkCallbackBody(p)),
        state: 'invalid',
        lastError: 'Body.stkCallback is missing',
      })
      .returning();
    const listed = await ops.get('/v1/ops/callbacks', { params: { state: 'invalid' } });
    expect(listed.data.items.map((i: { id: string }) => i.id)).toContain(row.id);
    expect((await ops.post(`/v1/ops/callbacks/${row.id}/replay`)).status).toBe(202);
    const done = await eventually(
      () => payment(p.paymentId),
      (x) => x.status === 'succeeded',
    );
    expect(done.status).toBe('succeeded');
    const again = await ops.post(`/v1/ops/callbacks/${row.id}/replay`);
    expect([again.status, again.data.code]).toEqual([409, 'CALLBACK.NOT_REPLAYABLE']);
  });
});
