import type { Pool } from 'pg';
import { asTenantId, generateApiKey } from '@malipo/common';
import { CallbackToken } from '@malipo/payments';
import { successCallbackBody } from '../support/bench-env';

export interface BenchTerminal {
  key: string;
}

export interface BenchCallback {
  paymentId: string;
  path: string;
  body: string;
}

/**
 * Tenants with terminals, a terminal key each, and accepted attempts spread round-robin over the
 * terminals, written straight into PostgreSQL (the push itself is not what is measured).
 */
export async function seed(
  pool: Pool,
  opts: { tenants: number; terminals: number; payments: number; callbackSecret: string },
): Promise<{ terminals: BenchTerminal[]; callbacks: BenchCallback[] }> {
  const terminals: BenchTerminal[] = [];
  const callbacks: BenchCallback[] = [];
  const token = new CallbackToken(opts.callbackSecret);
  const perTenant = Math.ceil(opts.terminals / opts.tenants);
  const paymentsPerTenant = Math.ceil(opts.payments / opts.tenants);
  for (let t = 0; t < opts.tenants; t += 1) {
    const tenant = (
      await pool.query(`insert into tenants (name) values ($1) returning id`, [`bench ${t}`])
    ).rows[0].id as string;
    const channel = (
      await pool.query(
        `insert into channels (tenant_id, name, kind, shortcode, party_b, environment, secrets_sealed, secrets_key_id, credential_fingerprint)
         values ($1, 'bench', 'paybill', '174379', '174379', 'simulator', 'unused', 'k1', 'unused') returning id`,
        [tenant],
      )
    ).rows[0].id as string;
    const terminalIds: string[] = [];
    for (let i = 0; i < perTenant && terminals.length < opts.terminals; i += 1) {
      const id = (
        await pool.query(
          `insert into terminals (tenant_id, name, code, channel_id) values ($1, $2, $2, $3) returning id`,
          [tenant, `till-${t}-${i}`, channel],
        )
      ).rows[0].id as string;
      const k = generateApiKey('terminal');
      await pool.query(
        `insert into api_keys (tenant_id, terminal_id, role, name, prefix, key_hash) values ($1, $2, 'terminal', 'bench', $3, $4)`,
        [tenant, id, k.prefix, k.hash],
      );
      terminalIds.push(id);
      terminals.push({ key: k.key });
    }
    const rows = await pool.query(
      `with p as (
         insert into payments (tenant_id, channel_id, terminal_id, order_ref, amount, phone, status, current_attempt_id, attempt_count, version, deadline_at)
         select $1, $2, ($3::uuid[])[1 + (g % cardinality($3::uuid[]))], 'R-' || g, 100, '254712345678', 'awaiting_customer',
                gen_random_uuid(), 1, 1, now() + interval '1 hour'
         from generate_series(1, $4) g
         returning id, current_attempt_id, order_ref)
       insert into payment_attempts (id, tenant_id, payment_id, channel_id, number, state, amount, phone, checkout_request_id, merchant_request_id, deadline_at)
       select current_attempt_id, $1, id, $2, 1, 'accepted', 100, '254712345678', 'ws_CO_' || id, 'm-' || id, now() + interval '1 hour' from p
       returning id, payment_id, checkout_request_id, merchant_request_id`,
      [tenant, channel, terminalIds, paymentsPerTenant],
    );
    for (const r of rows.rows as {
      id: string;
      payment_id: string;
      checkout_request_id: string;
      merchant_request_id: string;
    }[]) {
      callbacks.push({
        paymentId: r.payment_id,
        path: `/v1/hooks/stk/${token.issue({ tenantId: asTenantId(tenant), attemptId: r.id })}`,
        body: successCallbackBody(r.merchant_request_id, r.checkout_request_id, 'R'),
      });
    }
  }
  // Interleave tenants so the load is spread as a real day would be.
  callbacks.sort(() => Math.random() - 0.5);
  return { terminals, callbacks: callbacks.slice(0, opts.payments) };
}
