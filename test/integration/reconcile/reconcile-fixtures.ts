import { createHash, randomUUID } from 'node:crypto';
import type { TenantId } from '@malipo/common';
import {
  ChannelsRepository,
  createScratchDatabase,
  dropScratchDatabase,
  schema,
  type Db,
} from '@malipo/db';
import { DarajaClient, accountReferenceFor, type DarajaCredentials } from '@malipo/daraja';
import type Redis from 'ioredis';
import { SANDBOX_PAYBILL, testSecretBox } from '../../factories/tenancy';
import { ADMIN_DATABASE_URL, uniqueSuffix } from '../../support/test-env';

/** Another simulator channel (sandbox paybill) for a tenant. */
export async function addSimChannel(db: Db, tenantId: TenantId, name: string): Promise<string> {
  const { sealed, keyId } = testSecretBox().seal({
    passkey: SANDBOX_PAYBILL.passkey,
    consumerKey: SANDBOX_PAYBILL.consumerKey,
    consumerSecret: SANDBOX_PAYBILL.consumerSecret,
  });
  const row = await new ChannelsRepository(db).create(tenantId, {
    name,
    kind: 'paybill',
    shortcode: SANDBOX_PAYBILL.shortcode,
    partyB: SANDBOX_PAYBILL.shortcode,
    environment: 'simulator',
    secretsSealed: sealed,
    secretsKeyId: keyId,
    credentialFingerprint: createHash('sha256').update(SANDBOX_PAYBILL.consumerKey).digest('hex'),
  });
  return row.id;
}

export const simCredentials = (baseUrl: string): DarajaCredentials => ({
  baseUrl,
  kind: 'paybill',
  shortcode: SANDBOX_PAYBILL.shortcode,
  partyB: SANDBOX_PAYBILL.shortcode,
  passkey: SANDBOX_PAYBILL.passkey,
  consumerKey: SANDBOX_PAYBILL.consumerKey,
  consumerSecret: SANDBOX_PAYBILL.consumerSecret,
});

export interface StuckAttempt {
  tenantId: TenantId;
  channelId: string;
  paymentId: string;
  attemptId: string;
  checkoutRequestId: string;
  phone: string;
}

/**
 * Payments whose push Daraja accepted but whose callback never reached us (the callback URL is
 * dead): `awaiting_customer`, attempt `accepted` with its CheckoutRequestID, due for a query now.
 */
export async function makeStuckAttempts(opts: {
  db: Db;
  redis: Redis;
  simUrl: string;
  slots: { tenantId: TenantId; channelId: string }[];
  count: number;
  phoneOf: (i: number) => string;
  deadlineInMs: number;
}): Promise<StuckAttempt[]> {
  const daraja = new DarajaClient({ redis: opts.redis });
  const creds = simCredentials(opts.simUrl);
  const made: StuckAttempt[] = [];
  for (let start = 0; start < opts.count; start += 50) {
    const batch = Array.from({ length: Math.min(50, opts.count - start) }, (_, k) => start + k);
    const rows = await Promise.all(
      batch.map(async (i) => {
        const slot = opts.slots[i % opts.slots.length];
        const orderRef = `STUCK-${i}-${randomUUID().slice(0, 6)}`;
        const amount = 10 + (i % 90);
        const phone = opts.phoneOf(i);
        const accepted = await daraja.stkPush(creds, {
          amount,
          phone,
          callbackUrl: 'http://127.0.0.1:9/v1/hooks/stk/lost',
          accountReference: accountReferenceFor(orderRef),
          transactionDesc: 'Stuck',
        });
        return { i, slot, orderRef, amount, phone, accepted };
      }),
    );
    await opts.db.transaction(async (tx) => {
      for (const r of rows) {
        const paymentId = randomUUID();
        const attemptId = randomUUID();
        const deadlineAt = new Date(Date.now() + opts.deadlineInMs);
        await tx.insert(schema.payments).values({
          id: paymentId,
          tenantId: r.slot.tenantId,
          channelId: r.slot.channelId,
          orderRef: r.orderRef,
          amount: r.amount,
          phone: r.phone,
          status: 'awaiting_customer',
          version: 1,
          attemptCount: 1,
          currentAttemptId: attemptId,
          deadlineAt,
          createdAt: new Date(Date.now() - 60_000),
        });
        await tx.insert(schema.paymentAttempts).values({
          id: attemptId,
          tenantId: r.slot.tenantId,
          paymentId,
          channelId: r.slot.channelId,
          number: 1,
          state: 'accepted',
          amount: r.amount,
          phone: r.phone,
          merchantRequestId: r.accepted.merchantRequestId,
          checkoutRequestId: r.accepted.checkoutRequestId,
          pushSentAt: new Date(Date.now() - 60_000),
          answeredAt: new Date(Date.now() - 60_000),
          deadlineAt,
          nextQueryAt: new Date(Date.now() - 1_000),
          createdAt: new Date(Date.now() - 60_000),
        });
        made.push({
          tenantId: r.slot.tenantId,
          channelId: r.slot.channelId,
          paymentId,
          attemptId,
          checkoutRequestId: r.accepted.checkoutRequestId,
          phone: r.phone,
        });
      }
    });
  }
  return made;
}

/**
 * A database of this test file's own. Reconcilers claim every due attempt they can see, so a file
 * that runs one must not share the run's database with other files running workers at once.
 */
export async function ownTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `malipo_rec_${uniqueSuffix()}_test`;
  const url = await createScratchDatabase(ADMIN_DATABASE_URL, name);
  return { url, drop: () => dropScratchDatabase(ADMIN_DATABASE_URL, name) };
}
