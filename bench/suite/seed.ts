import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { SecretBox, asTenantId, generateApiKey } from '@malipo/common';
import { CallbackToken } from '@malipo/payments';

export const CALLBACK_SECRET = 'bench-callback-secret-0123456789abcdef';
export const CREDENTIALS_KEY = 'bench-credentials-key-0123456789abcdef';
export const SHORTCODE = '174379';
export const PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';

export interface Shop {
  tenantId: string;
  channelId: string;
  terminalIds: string[];
  /** One terminal key per terminal (socket.io and POST /v1/payments). */
  keys: string[];
}

/** A callback as Daraja would post it for one seeded attempt, and what it must leave behind. */
export interface SeededCallback {
  paymentId: string;
  path: string;
  body: string;
  receipt: string;
}

/** Shops with a simulator channel (real sealed credentials) and `terminals` terminal keys each. */
export async function seedShops(pool: Pool, count: number, terminals: number): Promise<Shop[]> {
  const box = SecretBox.fromConfig({ CREDENTIALS_KEY, CREDENTIALS_KEY_ID: 'k1' });
  const { sealed, keyId } = box.seal({
    passkey: PASSKEY,
    consumerKey: 'malipo-sim-key',
    consumerSecret: 'malipo-sim-secret',
  });
  const fingerprint = createHash('sha256').update('malipo-sim-key').digest('hex');
  const shops: Shop[] = [];
  for (let s = 0; s < count; s++) {
    const tenantId = (
      await pool.query(`insert into tenants (name) values ($1) returning id`, [`bench ${s}`])
    ).rows[0].id as string;
    const channelId = (
      await pool.query(
        `insert into channels (tenant_id, name, kind, shortcode, party_b, environment, secrets_sealed, secrets_key_id, credential_fingerprint)
         values ($1, 'bench', 'paybill', $2, $2, 'simulator', $3, $4, $5) returning id`,
        [tenantId, SHORTCODE, sealed, keyId, fingerprint],
      )
    ).rows[0].id as string;
    const shop: Shop = { tenantId, channelId, terminalIds: [], keys: [] };
    for (let t = 0; t < terminals; t++) {
      const id = (
        await pool.query(
          `insert into terminals (tenant_id, name, code, channel_id) values ($1, $2, $2, $3) returning id`,
          [tenantId, `till-${s}-${t}`, channelId],
        )
      ).rows[0].id as string;
      const key = generateApiKey('terminal');
      await pool.query(
        `insert into api_keys (tenant_id, terminal_id, role, name, prefix, key_hash) values ($1, $2, 'terminal', 'bench', $3, $4)`,
        [tenantId, id, key.prefix, key.hash],
      );
      shop.terminalIds.push(id);
      shop.keys.push(key.key);
    }
    shops.push(shop);
  }
  return shops;
}

function receiptFor(): string {
  // Ten characters like M-Pesa's, upper-case letters and digits; unique for the run.
  return `B${randomBytes(6).toString('hex').toUpperCase().slice(0, 9)}`;
}

export function successBody(merchantRequestId: string, checkoutRequestId: string, receipt: string) {
  return JSON.stringify({
    Body: {
      stkCallback: {
        MerchantRequestID: merchantRequestId,
        CheckoutRequestID: checkoutRequestId,
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        CallbackMetadata: {
          Item: [
            { Name: 'Amount', Value: 100 },
            { Name: 'MpesaReceiptNumber', Value: receipt },
            { Name: 'Balance' },
            { Name: 'TransactionDate', Value: 20261128103015 },
            { Name: 'PhoneNumber', Value: 254712345678 },
          ],
        },
      },
    },
  });
}

/**
 * `count` payments awaiting their customer, spread over the shops and their terminals, each with
 * an accepted attempt, written straight into PostgreSQL (the push is not what is measured), and
 * the success callback for each, interleaved across shops as a real day would be.
 */
export async function seedAwaiting(
  pool: Pool,
  shops: Shop[],
  count: number,
  tag: string,
): Promise<SeededCallback[]> {
  const token = new CallbackToken(CALLBACK_SECRET);
  const perShop = Math.ceil(count / shops.length);
  const out: SeededCallback[][] = [];
  for (const shop of shops) {
    const rows = await pool.query<{
      id: string;
      payment_id: string;
      checkout_request_id: string;
      merchant_request_id: string;
    }>(
      `with p as (
         insert into payments (tenant_id, channel_id, terminal_id, order_ref, amount, phone, status, current_attempt_id, attempt_count, version, deadline_at)
         select $1, $2, ($3::uuid[])[1 + (g % cardinality($3::uuid[]))], $5 || '-' || g, 100, '254712345678', 'awaiting_customer',
                gen_random_uuid(), 1, 1, now() + interval '1 hour'
         from generate_series(1, $4) g
         returning id, current_attempt_id)
       insert into payment_attempts (id, tenant_id, payment_id, channel_id, number, state, amount, phone, checkout_request_id, merchant_request_id, deadline_at, push_sent_at)
       select current_attempt_id, $1, id, $2, 1, 'accepted', 100, '254712345678', 'ws_CO_' || id, 'm-' || id, now() + interval '1 hour', now() from p
       returning id, payment_id, checkout_request_id, merchant_request_id`,
      [shop.tenantId, shop.channelId, shop.terminalIds, perShop, tag],
    );
    out.push(
      rows.rows.map((r) => {
        const receipt = receiptFor();
        return {
          paymentId: r.payment_id,
          path: `/v1/hooks/stk/${token.issue({ tenantId: asTenantId(shop.tenantId), attemptId: r.id })}`,
          body: successBody(r.merchant_request_id, r.checkout_request_id, receipt),
          receipt,
        };
      }),
    );
  }
  // Round-robin over shops: shop 0's first, shop 1's first, ...
  const interleaved: SeededCallback[] = [];
  for (let i = 0; i < perShop; i++) for (const list of out) if (list[i]) interleaved.push(list[i]);
  return interleaved.slice(0, count);
}

/** How many of `callbacks` left their payment succeeded with exactly their receipt. */
export async function countCorrect(pool: Pool, callbacks: SeededCallback[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `/* bench */ select count(*)::int as n from payments p
     join unnest($1::uuid[], $2::text[]) as x(id, receipt) on x.id = p.id
     where p.status = 'succeeded' and p.receipt = x.receipt`,
    [callbacks.map((c) => c.paymentId), callbacks.map((c) => c.receipt)],
  );
  return rows[0].n;
}

/** How many of `callbacks` have been applied (their payment is no longer awaiting). */
export async function countApplied(pool: Pool, callbacks: SeededCallback[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `/* bench */ select count(*)::int as n from payments where id = any($1::uuid[]) and status <> 'awaiting_customer'`,
    [callbacks.map((c) => c.paymentId)],
  );
  return rows[0].n;
}
