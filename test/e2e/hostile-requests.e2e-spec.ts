import type { AxiosInstance, AxiosResponse } from 'axios';
import { sql } from 'drizzle-orm';
import type { TenantWithKeys } from '../factories/tenancy';
import { client } from '../support/http';
import { startStack, type Stack } from '../support/stack';

const NOBODY = '11111111-1111-4111-8111-111111111111';

/** Issue 14: every bad request is a 4xx with a code, `{ code, message, requestId }`. */
describe('hostile requests', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let ops: AxiosInstance;

  const answer = (res: AxiosResponse) => [res.status, res.data?.code, res.data?.details?.field];
  const rows = async () =>
    (
      await stack.db.execute<{ n: number }>(
        sql`select (select count(*) from payments) + (select count(*) from webhook_endpoints) + (select count(*) from channels) as n`,
      )
    ).rows[0].n;
  const raw = (body: string, headers: Record<string, string>) =>
    owner.post('/v1/webhooks', body, { headers, transformRequest: (d) => d });

  beforeAll(async () => {
    stack = await startStack({ ownDatabase: true, worker: false });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    ops = client(stack.api.url, shop.opsKey, { 'x-tenant-id': NOBODY });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses control characters in any body field, query or path parameter, naming the field', async () => {
    const before = await rows();
    const pay = (body: Record<string, unknown>) =>
      owner.post('/v1/payments', body, { headers: { 'idempotency-key': `k-${Math.random()}` } });
    const base = { orderRef: 'NUL-1', amount: 10, phone: '0712345678' };
    expect(answer(await pay({ ...base, description: 'a\u0000b' }))).toEqual([
      400,
      'VALIDATION.FAILED',
      'description',
    ]);
    expect(answer(await pay({ ...base, orderRef: 'x\u001b[31m' }))).toEqual([
      400,
      'VALIDATION.FAILED',
      'orderRef',
    ]);
    const hook = { url: 'https://example.com/\u0000', eventTypes: ['payment.succeeded'] };
    expect(answer(await owner.post('/v1/webhooks', hook))).toEqual([
      400,
      'VALIDATION.FAILED',
      'url',
    ]);
    const query = await owner.get('/v1/payments', { params: { orderRef: 'a\u0000' } });
    expect(answer(query)).toEqual([400, 'VALIDATION.FAILED', 'orderRef']);
    expect(answer(await owner.get('/v1/payments/a%00b'))).toEqual([400, 'VALIDATION.FAILED', 'id']);
    expect(await rows()).toBe(before);
  });

  it('answers the framework’s own refusals with documented codes, never HTTP.HTTP', async () => {
    const json = { 'content-type': 'application/json' };
    expect(answer(await raw('{"url": ', json))).toEqual([400, 'REQUEST.MALFORMED_JSON', undefined]);
    expect(answer(await raw('', json))).toEqual([400, 'REQUEST.MALFORMED_JSON', undefined]);
    expect(answer(await raw('{"url":"x"}', { 'content-type': 'text/plain' }))).toEqual([
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      undefined,
    ]);
    const big = JSON.stringify({ url: 'x'.repeat(40_000) });
    expect(answer(await raw(big, json))).toEqual([413, 'REQUEST.TOO_LARGE', undefined]);
  });

  it('answers over-long URLs and tokens in the same shape', async () => {
    const long = await owner.get(`/v1/payments/${'a'.repeat(300)}`);
    expect(answer(long)).toEqual([414, 'REQUEST.URL_TOO_LONG', undefined]);
    expect(JSON.stringify(long.data)).not.toContain('a'.repeat(300));
    const huge = await client(stack.api.url, 'k'.repeat(20_000)).get('/v1/payments');
    expect(answer(huge)).toEqual([431, 'REQUEST.HEADERS_TOO_LARGE', undefined]);
    expect(Object.keys(huge.data).sort()).toEqual(['code', 'message', 'requestId']);
    const token = await client(stack.api.url, 'k'.repeat(300)).get('/v1/payments');
    expect(answer(token)).toEqual([401, 'AUTH.UNAUTHENTICATED', undefined]);
  });

  it('answers 404 TENANT.NOT_FOUND to an ops key naming a shop that does not exist, on every route', async () => {
    const before = await rows();
    const hook = { url: 'https://example.com/h', eventTypes: ['payment.succeeded'] };
    const answers = await Promise.all([
      ops.get('/v1/payments'),
      ops.post(
        '/v1/payments',
        { orderRef: 'X', amount: 10, phone: '0712345678' },
        {
          headers: { 'idempotency-key': 'nobody-1' },
        },
      ),
      ops.post('/v1/webhooks', hook),
      ops.get('/v1/webhooks'),
      ops.get('/v1/channels'),
      ops.get('/v1/reports/daily', { params: { date: '2026-11-01' } }),
      ops.get('/v1/discrepancies'),
      ops.get('/v1/keys'),
      ops.post('/v1/ops/reconciliation/runs', {
        from: '2026-11-01',
        to: '2026-11-01',
        tenantId: NOBODY,
      }),
    ]);
    expect(answers.map((a) => [a.status, a.data.code])).toEqual(
      answers.map(() => [404, 'TENANT.NOT_FOUND']),
    );
    expect(await rows()).toBe(before);
  });

  it('takes only real days of the calendar, within bounds, and from no later than to', async () => {
    const asked = await Promise.all([
      owner.get('/v1/reports/daily', { params: { date: '2026-13-45' } }),
      owner.get('/v1/reports/daily', { params: { date: '2026-02-30' } }),
      owner.get('/v1/reports/daily', { params: { date: '0000-01-01' } }),
      owner.get('/v1/reports/range', { params: { from: '2026-12-01', to: '2026-11-01' } }),
      owner.get('/v1/discrepancies', { params: { from: '2026-11-31' } }),
      owner.get('/v1/discrepancies', { params: { from: '2026-11-02', to: '2026-11-01' } }),
      owner.get('/v1/payments', { params: { from: '2026-13-45' } }),
      owner.get('/v1/payments', { params: { from: '2026-02-30T10:00:00Z' } }),
      owner.get('/v1/payments', { params: { from: '275760-09-13' } }),
      owner.get('/v1/payments', { params: { from: '2026-11-02', to: '2026-11-01' } }),
      owner.get('/v1/payments/export.csv', { params: { from: '2026-11-01', to: '2026-13-01' } }),
    ]);
    expect(asked.map((a) => [a.status, a.data.code])).toEqual(
      asked.map(() => [400, 'VALIDATION.FAILED']),
    );
    const fine = await owner.get('/v1/payments', {
      params: { from: '2026-11-01', to: '2026-11-02T10:00:00+03:00' },
    });
    expect(fine.status).toBe(200);
  });

  it('does not echo the token of a callback URL it was asked to GET', async () => {
    const token = `${shop.tenantId}.0f0f0f0f-0000-4000-8000-000000000000.${'ab'.repeat(16)}`;
    const res = await client(stack.api.url).get(`/v1/hooks/stk/${token}`);
    expect(answer(res)).toEqual([404, 'HTTP.NOT_FOUND', undefined]);
    expect(JSON.stringify(res.data)).not.toContain(token);
  });
});
