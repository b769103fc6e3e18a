/** The world the audit route walk runs in: one stack, two shops, named callers, chain reads. */
import { randomUUID } from 'node:crypto';
import { PLATFORM_CHAIN_ID } from '@malipo/audit';
import { hashApiKey } from '@malipo/common';
import { schema } from '@malipo/db';
import axios, { type AxiosInstance } from 'axios';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical } from '../../support/nest-apps';
import type { Stack } from '../../support/stack';
import { secondOwnerKey } from '../after-prompt/after-prompt-harness';
import type { Receiver } from '../webhooks/receiver';

export interface AuditEntry {
  seq: number;
  actor: Record<string, unknown>;
  action: string;
  subject: Record<string, unknown>;
  data: Record<string, unknown>;
}

export type CallerName = 'owner' | 'owner2' | 'terminal' | 'ops' | 'session';

interface ShopKeys extends TenantWithKeys {
  owner2Key: string;
}

export interface World {
  stack: Stack;
  /** Payments, accounts, webhooks, discrepancies, C2B: a shop without an initiator. */
  main: ShopKeys;
  /** Reversals: its channel has an initiator whose results never arrive (nothing async). */
  rev: ShopKeys;
  receiver: Receiver;
  /** Ids one case leaves for a later one (a payment, an endpoint, an adjustment, ...). */
  ids: Record<string, string>;
  /** Every phone number and secret the walk handled: none may appear in any entry. */
  secrets: Set<string>;
  session?: { cookie: string; csrf: string };
}

export async function shopKeys(stack: Stack): Promise<ShopKeys> {
  const shop = await stack.shop();
  return { ...shop, owner2Key: await secondOwnerKey(stack, shop) };
}

const keyOf = (shop: ShopKeys, who: CallerName): string =>
  ({
    owner: shop.ownerKey,
    owner2: shop.owner2Key,
    terminal: shop.terminalKey,
    ops: shop.opsKey,
    session: shop.ownerKey,
  })[who];

/** A client for one call as `who`, sending `requestId` (which the actor must then carry). */
export function callerClient(
  w: World,
  shop: ShopKeys,
  who: CallerName,
  requestId: string,
): AxiosInstance {
  const headers: Record<string, string> = { 'x-request-id': requestId };
  if (who === 'ops') headers['x-tenant-id'] = shop.tenantId;
  if (who === 'session' && w.session) {
    headers.cookie = w.session.cookie;
    headers['x-csrf-token'] = w.session.csrf;
    return client(w.stack.api.url, undefined, headers);
  }
  return client(w.stack.api.url, who === 'session' ? undefined : keyOf(shop, who), headers);
}

/** Who an entry written by `who`'s request must name. */
export async function expectedActor(
  w: World,
  shop: ShopKeys,
  who: CallerName,
  requestId: string,
): Promise<Record<string, unknown>> {
  const [key] = await w.stack.db
    .select({ id: schema.apiKeys.id })
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.keyHash, hashApiKey(keyOf(shop, who))));
  const base = { keyId: key.id, requestId, ip: '127.0.0.1' };
  switch (who) {
    case 'ops':
      return { ...base, kind: 'operator', role: 'ops' };
    case 'terminal':
      return { ...base, kind: 'api_key', role: 'terminal', terminalId: shop.terminalId };
    case 'session':
      return { ...base, kind: 'session', role: 'owner' };
    case 'owner':
    case 'owner2':
      return { ...base, kind: 'api_key', role: 'owner' };
  }
}

export const chainIdOf = (shop: TenantWithKeys, chain?: 'platform'): string =>
  chain === 'platform' ? PLATFORM_CHAIN_ID : shop.tenantId;

/** Entries of a chain after `afterSeq`, read straight from the table (no ops.read of our own). */
export async function entriesAfter(w: World, chainId: string, afterSeq = 0): Promise<AuditEntry[]> {
  const e = schema.auditEntries;
  return w.stack.db
    .select({ seq: e.seq, actor: e.actor, action: e.action, subject: e.subject, data: e.data })
    .from(e)
    .where(and(eq(e.chainId, chainId), gt(e.seq, afterSeq)))
    .orderBy(asc(e.seq));
}

export async function headSeq(w: World, chainId: string): Promise<number> {
  const e = schema.auditEntries;
  const [row] = await w.stack.db
    .select({ seq: sql<string>`coalesce(max(${e.seq}), 0)` })
    .from(e)
    .where(eq(e.chainId, chainId));
  return Number(row.seq);
}

export const newRequestId = (): string => `walk-${randomUUID()}`;

/** A payment of `shop` that has succeeded through push and callback (its entries all written). */
export async function paidPayment(
  w: World,
  shop: ShopKeys,
  phone: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  notePhone(w, phone);
  return paymentIn(w, shop, phone, 'succeeded', extra);
}

/** A payment of `shop` started with a fresh phone, once it has reached `status`. */
export async function paymentIn(
  w: World,
  shop: ShopKeys,
  phone: string,
  status: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  notePhone(w, phone);
  const res = await client(w.stack.api.url, shop.terminalKey).post(
    '/v1/payments',
    // A deposit names its account instead of an order.
    { ...(extra.accountId ? {} : { orderRef: order() }), amount: 40, phone, ...extra },
    idem(),
  );
  expect(res.status).toBe(201);
  return settled(w, shop, res.data.id as string, status);
}

/** Waits until the payment reaches `status`, so no change of it is still on its way. */
export async function settled(
  w: World,
  shop: ShopKeys,
  paymentId: string,
  status: string,
): Promise<string> {
  const owner = client(w.stack.api.url, shop.ownerKey);
  const done = await eventually(
    () => owner.get(`/v1/payments/${paymentId}`),
    (r) => r.data.status === status,
  );
  expect(done.data.status).toBe(status);
  return paymentId;
}

/** A phone the walk used, in both the form callers send and the form Malipo stores. */
export function notePhone(w: World, phone: string): string {
  w.secrets.add(phone).add(canonical(phone));
  return phone;
}

export const idem = () => ({ headers: { 'idempotency-key': randomUUID() } });
export const order = () => `W-${randomUUID()}`;
export const sim = (w: World) => w.stack.sim.sim;

/** A held prompt: the simulated customer never answers, so nothing changes after the call. */
export async function holdPhone(w: World, phone: string): Promise<string> {
  notePhone(w, phone);
  await axios.put(`${w.stack.sim.url}/sim/scenarios/${canonical(phone)}`, {
    scenario: 'success',
    hold: true,
  });
  return phone;
}

export async function openDiscrepancy(w: World, paymentId: string, kind: string): Promise<string> {
  const [row] = await w.stack.db
    .insert(schema.discrepancies)
    .values({
      tenantId: w.main.tenantId,
      paymentId,
      kind,
      dedupeKey: `walk:${randomUUID()}`,
      evidence: { detail: 'opened by the audit route walk' },
    })
    .returning({ id: schema.discrepancies.id });
  return row.id;
}
