import { randomUUID } from 'node:crypto';
import axios, { type AxiosResponse } from 'axios';
import { verifyExport } from '@malipo/audit';
import { parseEd25519PublicKey } from '@malipo/common';
import { AuditCheckpointScheduler } from '../../../apps/worker/src/audit/audit-checkpoint.scheduler';
import type { TenantWithKeys } from '../../factories/tenancy';
import { payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

interface Entry {
  seq: number;
  actor: Record<string, unknown>;
  action: string;
  subject: Record<string, unknown>;
  data: Record<string, unknown>;
}

describe('audit API', () => {
  let stack: Stack;
  let shop: TenantWithKeys;

  const call = (
    method: 'get' | 'post',
    url: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AxiosResponse> =>
    axios.request({
      method,
      url: `${stack.api.url}${url}`,
      data: body,
      headers: { authorization: `Bearer ${key}`, ...headers },
      validateStatus: () => true,
    });

  const entries = async (key: string, query = ''): Promise<Entry[]> => {
    const res = await call('get', `/v1/audit?limit=500${query}`, key);
    expect(res.status).toBe(200);
    return (res.data as { data: Entry[] }).data;
  };

  beforeAll(async () => {
    stack = await startStack();
    shop = await stack.shop();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('records who did what, with the cashier, Daraja and digests only, and verifies online and offline', async () => {
    const phone = payingPhone();
    const created = await call(
      'post',
      '/v1/payments',
      shop.terminalKey,
      { orderRef: `A-${randomUUID()}`, amount: 10, phone, cashier: '  Wanjiru ' },
      { 'idempotency-key': randomUUID() },
    );
    expect(created.status).toBe(201);
    expect(created.data.cashier).toBe('Wanjiru');
    const paymentId = created.data.id as string;
    for (let i = 0; i < 100; i++) {
      const p = await call('get', `/v1/payments/${paymentId}`, shop.ownerKey);
      if (p.data.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const key = await call('post', '/v1/keys', shop.ownerKey, { role: 'owner', name: 'Second' });
    expect(key.status).toBe(201);

    const log = await entries(shop.ownerKey);
    const ofPayment = log.filter((e) => e.subject.paymentId === paymentId);
    expect(ofPayment.map((e) => e.action)).toEqual([
      'payment.created',
      'payment.stk_accepted',
      'payment.paid',
    ]);
    expect(ofPayment[0].actor).toMatchObject({
      kind: 'api_key',
      role: 'terminal',
      terminalId: shop.terminalId,
      cashier: 'Wanjiru',
    });
    expect(ofPayment[0].actor.requestId).toEqual(expect.any(String));
    expect(ofPayment[2].actor).toMatchObject({ kind: 'daraja' });
    expect(ofPayment[2].data.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    const keyEntry = log.find((e) => e.action === 'key.created');
    expect(keyEntry?.actor).toMatchObject({ kind: 'api_key', role: 'owner' });

    // No secret (the new key) and no full phone number anywhere in the shop's log.
    const text = JSON.stringify(log);
    const msisdn = `254${phone.slice(1)}`;
    expect(text).not.toContain(msisdn);
    expect(text).not.toContain(phone);
    expect(text).not.toContain(key.data.key as string);

    // The worker signs the chain's head; both verifiers check that checkpoint too.
    await stack.worker!.get(AuditCheckpointScheduler).tick();
    const verdict = await call('get', '/v1/audit/verify', shop.ownerKey);
    expect(verdict.data).toEqual({
      valid: true,
      checked: log.length,
      firstBadSeq: null,
      checkpoints: 1,
    });
    const exported = await call('get', '/v1/audit/export', shop.ownerKey);
    expect(exported.status).toBe(200);
    const lines = String(exported.data).split('\n');
    const published = (await call('get', '/v1/audit/public-key', shop.ownerKey)).data;
    const publicKey = parseEd25519PublicKey(published.publicKey as string);
    const keys = new Map([[published.keyId as string, publicKey]]);
    expect(verifyExport(lines, { keys })).toEqual({
      valid: true,
      checked: log.length + 1, // the export itself is the shop's next entry (audit.exported)
      firstBadSeq: null,
      checkpoints: 1,
      checkpointsUnverified: 0,
      chainId: shop.tenantId,
    });
    expect(verifyExport(lines)).toMatchObject({ valid: true, checkpointsUnverified: 1 });
  });

  it("records an operator's read in the shop's own log; owners cannot read another shop", async () => {
    const before = await entries(shop.ownerKey);
    const read = await call('get', `/v1/audit?shopId=${shop.tenantId}`, shop.opsKey);
    expect(read.status).toBe(200);
    const after = await entries(shop.ownerKey);
    const added = after.slice(before.length).filter((e) => e.action === 'ops.read');
    expect(added[0]?.actor).toMatchObject({ kind: 'operator', role: 'ops' });
    // Naming the shop twice (header and ?shopId=) is still one read, recorded once.
    const twice = await call('get', `/v1/audit?shopId=${shop.tenantId}`, shop.opsKey, undefined, {
      'x-tenant-id': shop.tenantId,
    });
    expect(twice.status).toBe(200);
    const again = (await entries(shop.ownerKey)).slice(after.length);
    expect(again.map((e) => e.action)).toEqual(['ops.read']);
    const other = await stack.shop();
    const refused = await call('get', `/v1/audit?shopId=${other.tenantId}`, shop.ownerKey);
    expect(refused.status).toBe(404);
  });
});
