/** Shared by the after-prompt e2e files: a stack, a shop with an initiator, paid payments. */
import { generateApiKey } from '@malipo/common';
import { ApiKeysRepository, schema } from '@malipo/db';
import axios, { type AxiosInstance } from 'axios';
import { and, eq } from 'drizzle-orm';
import type { ResultDelivery } from '../../../apps/daraja-sim/src/sim-initiators';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import type { Stack } from '../../support/stack';

let seq = 0;

/** A second owner key of the shop (maker-checker needs two people). */
export async function secondOwnerKey(stack: Stack, shop: TenantWithKeys): Promise<string> {
  const k = generateApiKey('owner');
  await new ApiKeysRepository(stack.db).create({
    tenantId: shop.tenantId,
    terminalId: null,
    role: 'owner',
    name: 'second owner',
    prefix: k.prefix,
    keyHash: k.hash,
  });
  return k.key;
}

/** Registers a simulator initiator with this delivery mode and sets it on the shop's channel. */
export async function useInitiator(
  stack: Stack,
  shop: TenantWithKeys,
  opts: { delivery?: ResultDelivery; wrongPassword?: boolean } = {},
): Promise<void> {
  seq += 1;
  const name = `op${process.pid}x${seq}`;
  const password = `Pw#${seq}x${process.pid}`;
  stack.sim.sim.results.initiators.add({
    name,
    password,
    roles: ['status', 'reversal', 'balance'],
    delivery: opts.delivery ?? 'once',
  });
  const certificatePem = (await axios.get<string>(`${stack.sim.url}/sim/certificate`)).data;
  const res = await client(stack.api.url, shop.ownerKey).put(
    `/v1/channels/${shop.channelId}/initiator`,
    {
      initiatorName: name,
      initiatorPassword: opts.wrongPassword ? 'wrong#1' : password,
      certificatePem,
    },
  );
  expect(res.status).toBe(200);
}

/** A payment of the shop that succeeded through the STK push and callback. */
export async function paidPayment(stack: Stack, shop: TenantWithKeys, amount = 30) {
  const till = client(stack.api.url, shop.terminalKey);
  const res = await till.post(
    '/v1/payments',
    { orderRef: `AP-${process.pid}-${++seq}`, amount, phone: payingPhone() },
    { headers: { 'idempotency-key': `ap-${process.pid}-${seq}-${Math.random()}` } },
  );
  expect(res.status).toBe(201);
  const owner = client(stack.api.url, shop.ownerKey);
  const done = await eventually(
    () => owner.get(`/v1/payments/${res.data.id}`),
    (r) => r.data.status === 'succeeded',
  );
  expect(done.data.status).toBe('succeeded');
  return done.data as { id: string; receipt: string; amount: number };
}

export async function statusOf(api: AxiosInstance, id: string): Promise<string> {
  return (await api.get(`/v1/payments/${id}`)).data.status as string;
}

export async function discrepanciesOf(stack: Stack, shop: TenantWithKeys, paymentId: string) {
  return stack.db
    .select()
    .from(schema.discrepancies)
    .where(
      and(
        eq(schema.discrepancies.tenantId, shop.tenantId),
        eq(schema.discrepancies.paymentId, paymentId),
      ),
    );
}
