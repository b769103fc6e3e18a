import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { Db } from '@malipo/db';
import axios, { type AxiosResponse } from 'axios';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { aReceipt, createAcceptedPayment, stkCallbackBody } from '../../factories/payments';
import type { TenantWithKeys } from '../../factories/tenancy';
import {
  documentedErrorCodes,
  type JsonSchema,
  hostileBody,
  hostileString,
  hostileValue,
  mutatedRecord,
  pollution,
  withPollution,
} from '../../support/hostile-arbitraries';
import { callbackReads } from '../../support/callback-reads';
import { client } from '../../support/http';
import { bootWorker } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

/** Fixed, so a failure is replayed as it happened; override with FUZZ_SEED to explore. */
const SEED = Number(process.env.FUZZ_SEED ?? 1402);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);
const CALLBACK_RUNS = Number(process.env.FUZZ_CALLBACK_RUNS ?? 150);

/**
 * Every row written anywhere bumps one sequence, so "nothing was written" is one comparison. An
 * API key's last-used stamp is bookkeeping of a successful authentication, not a write.
 */
const WRITE_COUNTER = `
create table fuzz_writes (id bigserial primary key, tbl text not null, op text not null, row_text text);
create function fuzz_count_write() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'api_keys' and tg_op = 'UPDATE'
     and (to_jsonb(new) - 'last_used_at') = (to_jsonb(old) - 'last_used_at') then
    return null;
  end if;
  insert into fuzz_writes (tbl, op, row_text)
    values (tg_table_name, tg_op, case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end::text);
  return null;
end $$;
do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = 'public' and tablename <> 'fuzz_writes' loop
    execute format('create trigger fuzz_count after insert or update or delete on %I
      for each row execute function fuzz_count_write()', t);
  end loop;
end $$;`;

interface Operation {
  method: string;
  path: string;
  query: { name: string; schema: JsonSchema; required: boolean }[];
  body?: Record<string, unknown>;
}

interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: string;
}

const ERROR_KEYS = ['code', 'details', 'message', 'requestId'];

/** The amount asked in every template is 100: ways to write it, and ways to nearly write it. */
const amountSpelling = fc.constantFrom(
  100,
  '100',
  '100.00',
  100.004,
  '100.004',
  '0x64',
  '1e2',
  ' 100',
  99.999,
  -100,
);

/** The Value of the last metadata item named Amount, as sent. */
function lastAmount(json: string): unknown {
  const items = (JSON.parse(json)?.Body?.stkCallback?.CallbackMetadata?.Item ?? []) as {
    Name?: unknown;
    Value?: unknown;
  }[];
  return items.filter((i) => i?.Name === 'Amount').pop()?.Value;
}

/** Counterexamples printed readably: a 40 kB URL helps no one. */
function shortly(req: HostileRequest): HostileRequest {
  const cut = (t: string | undefined) =>
    t && t.length > 200 ? `${t.slice(0, 200)}…(${t.length})` : t;
  return Object.defineProperty(req, fc.toStringMethod, {
    value: () => JSON.stringify({ ...req, url: cut(req.url), data: cut(req.data) }),
  });
}

/** Issue 14, the generic guard: hostile requests at every operation, hostile Daraja payloads. */
describe('API and callback fuzz (fixed seed)', () => {
  let stack: Stack;
  let api: Stack['api'];
  let db: Db;
  let pool: Pool;
  let shop: TenantWithKeys;
  let other: TenantWithKeys;
  let operations: Operation[];
  let reads: ReturnType<typeof callbackReads>;
  let components: Record<string, Record<string, unknown>>;
  const documented = documentedErrorCodes();
  const http = axios.create({ validateStatus: () => true, timeout: 20_000, maxRedirects: 0 });
  const fuzzed = { requests: 0, operations: 0, statuses: {} as Record<number, number> };

  /**
   * Committed writes since `after` (a rolled-back transaction leaves none), as `table op`, net of
   * rows inserted and deleted again unchanged (an Idempotency-Key freed after a refusal).
   */
  const writesAfter = async (after: number) => {
    const { rows } = await pool.query<{ tbl: string; op: string; row_text: string }>(
      'select tbl, op, row_text from fuzz_writes where id > $1 order by id',
      [after],
    );
    const net: typeof rows = [];
    for (const w of rows) {
      const undone = net.findIndex(
        (n) =>
          w.op === 'DELETE' && n.op === 'INSERT' && n.tbl === w.tbl && n.row_text === w.row_text,
      );
      if (undone >= 0) net.splice(undone, 1);
      else net.push(w);
    }
    return net.map((w) => `${w.tbl} ${w.op}`);
  };
  const lastWrite = async () =>
    Number(
      (await pool.query<{ n: string }>('select coalesce(max(id), 0) as n from fuzz_writes')).rows[0]
        .n,
    );

  /** The contract every error answer keeps, whatever was asked. */
  function expectWellFormed(req: HostileRequest, res: AxiosResponse): void {
    const where = `${req.method} ${req.url.slice(0, 300)} → ${res.status} ${JSON.stringify(res.data).slice(0, 300)}`;
    if (res.status >= 500) throw new Error(`5xx: ${where}`);
    if (res.status < 400) return;
    const body = res.data as Record<string, unknown>;
    const keys = Object.keys(body ?? {}).sort();
    if (!['code', 'message', 'requestId'].every((k) => typeof body?.[k] === 'string')) {
      throw new Error(`error body is not { code, message, requestId }: ${where}`);
    }
    if (!keys.every((k) => ERROR_KEYS.includes(k))) throw new Error(`extra keys: ${where}`);
    if (!documented.has(body.code as string)) {
      throw new Error(`undocumented code ${String(body.code)}: ${where}`);
    }
  }

  beforeAll(async () => {
    // The worker starts with the callback tests below.
    stack = await startStack({
      ownDatabase: true,
      worker: false,
      env: { CALLBACK_JOB_ATTEMPTS: '2' },
    });
    ({ api, db, pool } = stack);
    reads = callbackReads(db);
    await pool.query(WRITE_COUNTER);
    [shop, other] = [await stack.shop(), await stack.shop()];
    const doc = (await client(api.url).get('/docs/json')).data;
    components = doc.components?.schemas ?? {};
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          query: (op.parameters ?? [])
            .filter((p: { in: string }) => p.in === 'query')
            .map((p: { name: string; schema?: JsonSchema; required?: boolean }) => ({
              name: p.name,
              schema: p.schema ?? {},
              required: p.required === true,
            })),
          body: op.requestBody?.content?.['application/json']?.schema,
        })),
    );
  });

  afterAll(async () => {
    await stack?.close();
    process.stdout.write(
      `api fuzz: seed ${SEED}, ${fuzzed.operations} operations, ${fuzzed.requests} requests\n`,
    );
  });

  function requests(op: Operation, ids: string[]): fc.Arbitrary<HostileRequest> {
    const keys = [shop.ownerKey, shop.terminalKey, shop.opsKey, other.ownerKey];
    const pathParam = fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostileString);
    const query = mutatedRecord(
      op.query.map((q) => [q.name, q.schema]),
      op.query.filter((q) => q.required).map((q) => q.name),
    );
    const auth = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...keys).map((k) => `Bearer ${k}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          'Bearer ',
          'Bearer mlp_owner_nope',
          `Bearer ${'k'.repeat(300)}`,
          'Basic YTpi',
        ),
      },
    );
    const tenantHeader = fc.oneof(
      { weight: 5, arbitrary: fc.constant(shop.tenantId) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, other.tenantId, randomUUID(), 'nope') },
    );
    return fc
      .record({
        path: fc.array(pathParam, { minLength: 3, maxLength: 3 }),
        query,
        unknown: fc.option(fc.tuple(hostileString, hostileString), { nil: undefined, freq: 5 }),
        body: hostileBody(op.body, components),
        auth,
        tenant: tenantHeader,
        idempotency: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('x'.repeat(300), ' ')), {
          nil: undefined,
        }),
        contentType: fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          { weight: 1, arbitrary: fc.constant('text/plain') },
        ),
      })
      .map((r) => {
        let n = 0;
        const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.path[n++]));
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(r.query)) {
          for (const one of Array.isArray(v) ? v : [v]) {
            params.append(k, typeof one === 'string' ? one : JSON.stringify(one));
          }
        }
        if (r.unknown) params.append(r.unknown[0], r.unknown[1]);
        const headers: Record<string, string> = { authorization: r.auth };
        if (r.tenant) headers['x-tenant-id'] = r.tenant;
        if (r.idempotency) headers['idempotency-key'] = r.idempotency;
        if (r.body !== undefined) headers['content-type'] = r.contentType;
        const search = params.toString();
        return shortly({
          method: op.method,
          url: `${api.url}${path}${search ? `?${search}` : ''}`,
          headers,
          data: op.method === 'GET' || op.method === 'DELETE' ? undefined : r.body,
        });
      });
  }

  it('answers every operation of the OpenAPI document without a 5xx, in the error contract, writing nothing on a 4xx', async () => {
    const started = Date.now();
    const paid = await createAcceptedPayment(api.app, shop);
    const ids = [paid.paymentId, paid.attemptId, shop.channelId, shop.terminalId, shop.tenantId];
    expect(operations.length).toBeGreaterThan(30);
    for (const [i, op] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(requests(op, ids), async (req) => {
          const before = await lastWrite();
          const res = await http.request({ ...req, transformRequest: (d: unknown) => d });
          fuzzed.requests += 1;
          fuzzed.statuses[res.status] = (fuzzed.statuses[res.status] ?? 0) + 1;
          expectWellFormed(req, res);
          if (res.status >= 400) {
            expect([res.status, res.data?.code, await writesAfter(before)]).toEqual([
              res.status,
              res.data?.code,
              [],
            ]);
          }
        }),
        { seed: SEED + i, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      fuzzed.operations += 1;
    }
    process.stdout.write(
      `api fuzz: ${fuzzed.requests} requests ${JSON.stringify(fuzzed.statuses)} in ${Date.now() - started} ms\n`,
    );
  });

  describe('the Daraja callback', () => {
    let worker: INestApplicationContext;

    beforeAll(async () => {
      worker = await bootWorker(stack.env);
    });

    afterAll(async () => {
      await worker?.close();
    });

    it('never answers 5xx to a generated Daraja payload and never changes a payment for an invalid one', async () => {
      const started = Date.now();
      const template = stkCallbackBody(
        { checkoutRequestId: 'C', merchantRequestId: 'M', amount: 100, phone: '254700000000' },
        { receipt: aReceipt() },
      ) as { Body: { stkCallback: Record<string, unknown> } };
      const valid = template.Body.stkCallback;
      const items = (valid.CallbackMetadata as { Item: unknown[] }).Item;
      const field = fc.constantFrom(
        'MerchantRequestID',
        'CheckoutRequestID',
        'ResultCode',
        'ResultDesc',
      );
      const payload = fc.oneof(
        // One field of a real success callback replaced by something hostile.
        fc
          .tuple(field, hostileValue)
          .map(([k, v]) => ({ Body: { stkCallback: { ...valid, [k]: v } } })),
        // Hostile metadata items after the real ones (the last of a name wins): amounts written
        // every way, receipts in any case, phones, names.
        fc
          .array(
            fc.oneof(
              fc.record({
                Name: fc.constant('Amount'),
                Value: fc.oneof(amountSpelling, hostileValue),
              }),
              fc.record({
                Name: fc.oneof(fc.constantFrom('MpesaReceiptNumber', 'PhoneNumber'), hostileString),
                Value: hostileValue,
              }),
            ),
            { maxLength: 3 },
          )
          .map((extra) => ({
            Body: { stkCallback: { ...valid, CallbackMetadata: { Item: [...items, ...extra] } } },
          })),
        hostileValue,
      );
      const wire = fc.tuple(
        payload,
        pollution,
        fc.constantFrom('application/json', 'text/plain', undefined),
      );
      const outcomes: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(wire, async ([body, extra, contentType]) => {
          const p = await createAcceptedPayment(worker, shop);
          // The template's ids and receipt made this attempt's own, so most payloads are "almost valid".
          const text = (JSON.stringify(body) ?? 'null')
            .replaceAll('"C"', JSON.stringify(p.checkoutRequestId))
            .replaceAll('"M"', JSON.stringify(p.merchantRequestId))
            .replace(
              /"MpesaReceiptNumber","Value":"[A-Z0-9]+"/,
              `"MpesaReceiptNumber","Value":"${aReceipt()}"`,
            );
          const res = await http.post(`${api.url}${p.callbackPath}`, withPollution(text, extra), {
            headers: contentType ? { 'content-type': contentType } : {},
            transformRequest: (d: unknown) => d,
          });
          expect([res.status, res.data]).toEqual([200, { ResultCode: 0, ResultDesc: 'Accepted' }]);
          const [row] = await reads.settled(p.attemptId);
          outcomes[row.state] = (outcomes[row.state] ?? 0) + 1;
          expect(row.state).not.toBe('dead');
          const payment = await reads.payment(p.paymentId);
          const events = await reads.events(p.paymentId);
          if (row.state !== 'processed') {
            expect([row.state, payment.status, events.length]).toEqual([
              row.state,
              'awaiting_customer',
              2,
            ]);
          }
          if (payment.status === 'succeeded') {
            // Independent of the parser: the amount Daraja reported is the amount asked, exactly.
            const reported = lastAmount(text);
            expect([p.amount, String(p.amount), `${p.amount}.00`]).toContainEqual(reported);
            expect([payment.paidAmount, payment.receipt]).toEqual([
              p.amount,
              expect.stringMatching(/^[A-Z0-9]+$/),
            ]);
          }
        }),
        { seed: SEED, numRuns: CALLBACK_RUNS, endOnFailure: true },
      );
      process.stdout.write(
        `callback fuzz: seed ${SEED}, ${CALLBACK_RUNS} payloads ${JSON.stringify(outcomes)} in ${Date.now() - started} ms\n`,
      );
    });
  });
});
