/** The walk's rows for routes that move money or settle what happened to it (see RouteCase). */
import { randomUUID } from 'node:crypto';
import { schema } from '@malipo/db';
import axios from 'axios';
import { client, eventually } from '../../support/http';
import { canonical, payingPhone, scenarioPhone } from '../../support/nest-apps';
import type { RouteCase } from './audit-route-cases';
import {
  holdPhone,
  idem,
  notePhone,
  openDiscrepancy,
  order,
  paidPayment,
  paymentIn,
  sim,
  type World,
} from './audit-walk-harness';

const paymentCases: RouteCase[] = [
  {
    route: 'POST /v1/payments',
    as: 'terminal',
    expect: ['payment.created', 'payment.stk_accepted'],
    prepare: async (w) => {
      w.ids.heldPhone = await holdPhone(w, payingPhone());
    },
    call: async (http, w) => {
      const body = { orderRef: order(), amount: 25, phone: w.ids.heldPhone, cashier: 'Achieng' };
      const res = await http.post('/v1/payments', body, idem());
      w.ids.held = res.data.id as string;
      return res;
    },
  },
  {
    route: 'POST /v1/payments/{id}/cancel',
    as: 'terminal',
    expect: ['payment.cashier_cancelled'],
    call: (http, w) => http.post(`/v1/payments/${w.ids.held}/cancel`, {}),
  },
  {
    route: 'POST /v1/payments/{id}/cash',
    as: 'terminal',
    expect: ['payment.cash_taken'],
    call: (http, w) => http.post(`/v1/payments/${w.ids.held}/cash`, {}),
  },
  {
    route: 'POST /v1/payments/{id}/retry',
    as: 'terminal',
    expect: ['payment.retry_started', 'payment.stk_accepted'],
    prepare: async (w) => {
      const phone = scenarioPhone('0001');
      w.ids.failed = await paymentIn(w, w.main, phone, 'failed');
      await holdPhone(w, phone);
    },
    call: (http, w) => http.post(`/v1/payments/${w.ids.failed}/retry`, {}, idem()),
  },
  {
    route: 'POST /v1/payments/{id}/settle',
    as: 'ops',
    expect: ['payment.failed', 'discrepancy.resolved'],
    prepare: async (w) => {
      sim(w).setFaults({ push500Rate: 1, push500Mode: 'before_prompt' });
      w.ids.unknown = await paymentIn(w, w.main, payingPhone(), 'unknown');
      sim(w).setFaults({ push500Rate: 0 });
      await openDiscrepancy(w, w.ids.unknown, 'unconfirmed_outcome');
    },
    call: (http, w) =>
      http.post(`/v1/payments/${w.ids.unknown}/settle`, {
        outcome: 'not_paid',
        // A number typed into a note is masked in the log.
        note: `Customer ${notePhone(w, payingPhone())} has no SMS`,
      }),
  },
  {
    route: 'POST /v1/payments/{id}/verify',
    as: 'owner',
    expect: ['payment.verified'],
    prepare: async (w) => {
      w.ids.paid = await paidPayment(w, w.main, payingPhone());
    },
    call: (http, w) => http.post(`/v1/payments/${w.ids.paid}/verify`),
  },
  {
    route: 'POST /v1/discrepancies/{id}/acknowledge',
    as: 'owner',
    expect: ['discrepancy.acknowledged'],
    prepare: async (w) => {
      w.ids.discrepancy = await openDiscrepancy(w, w.ids.paid, 'late_success');
    },
    call: (http, w) => http.post(`/v1/discrepancies/${w.ids.discrepancy}/acknowledge`, {}),
  },
  {
    route: 'POST /v1/discrepancies/{id}/resolve',
    as: 'owner',
    expect: ['discrepancy.resolved'],
    call: (http, w) =>
      http.post(`/v1/discrepancies/${w.ids.discrepancy}/resolve`, { note: 'Checked' }),
  },
  {
    route: 'POST /v1/ops/callbacks/{id}/replay',
    as: 'ops',
    expect: ['callback.replayed'],
    prepare: async (w) => {
      const [row] = await w.stack.db
        .insert(schema.callbackInbox)
        .values({
          tenantId: w.main.tenantId,
          attemptId: randomUUID(),
          headers: {},
          rawBody: 'not json',
          state: 'invalid',
        })
        .returning({ id: schema.callbackInbox.id });
      w.ids.callback = row.id;
    },
    call: (http, w) => http.post(`/v1/ops/callbacks/${w.ids.callback}/replay`),
  },
  {
    route: 'POST /v1/ops/reconciliation/runs',
    as: 'ops',
    expect: ['reconciliation.run_requested'],
    call: (http, w) =>
      http.post('/v1/ops/reconciliation/runs', {
        from: '2025-01-02',
        to: '2025-01-02',
        tenantId: w.main.tenantId,
      }),
  },
  {
    route: 'POST /v1/incoming-payments/{id}/attach',
    as: 'terminal',
    expect: ['payment.created', 'payment.paid', 'incoming.attached'],
    prepare: async (w) => {
      const phone = notePhone(w, payingPhone());
      const paid = await axios.post(`${w.stack.sim.url}/sim/c2b/pay`, {
        shortCode: '174379',
        amount: 70,
        phone: canonical(phone),
        billRefNumber: `NOSUCH${Date.now()}`,
      });
      const owner = client(w.stack.api.url, w.main.ownerKey);
      const rows = await eventually(
        async () =>
          (await owner.get('/v1/incoming-payments', { params: { receipt: paid.data.transId } }))
            .data as { id: string; status: string }[],
        (r) => r[0]?.status === 'unmatched',
      );
      w.ids.incoming = rows[0].id;
    },
    call: (http, w) =>
      http.post(`/v1/incoming-payments/${w.ids.incoming}/attach`, {
        orderRef: order(),
        phone: notePhone(w, payingPhone()),
      }),
  },
];

const lateWebhookCases: RouteCase[] = [
  {
    route: 'POST /v1/webhooks/deliveries/{id}/redeliver',
    as: 'owner',
    expect: ['webhook.redelivered'],
    prepare: async (w) => {
      const owner = client(w.stack.api.url, w.main.ownerKey);
      const page = await eventually(
        () => owner.get(`/v1/webhooks/${w.ids.endpoint}/deliveries`),
        (r) => (r.data.items as unknown[]).length > 0,
      );
      w.ids.delivery = page.data.items[0].id as string;
    },
    call: (http, w) => http.post(`/v1/webhooks/deliveries/${w.ids.delivery}/redeliver`),
  },
  {
    route: 'POST /v1/webhooks/{id}/disable',
    as: 'owner',
    expect: ['webhook.updated'],
    call: (http, w) => http.post(`/v1/webhooks/${w.ids.endpoint}/disable`),
  },
  {
    route: 'DELETE /v1/webhooks/{id}',
    as: 'owner',
    expect: ['webhook.deleted'],
    call: (http, w) => http.delete(`/v1/webhooks/${w.ids.endpoint}`),
  },
];

const accountCases: RouteCase[] = [
  {
    route: 'POST /v1/accounts',
    as: 'owner',
    expect: ['account.created'],
    call: async (http, w) => {
      const res = await http.post('/v1/accounts', {
        name: 'Amina',
        phone: notePhone(w, payingPhone()),
      });
      w.ids.account = res.data.id as string;
      return res;
    },
  },
  {
    route: 'PUT /v1/account-settings',
    as: 'owner',
    expect: ['account_settings.updated'],
    call: (http) => http.put('/v1/account-settings', { depositMin: 10, depositMax: 100_000 }),
  },
  {
    route: 'POST /v1/accounts/{id}/charges',
    as: 'terminal',
    expect: ['account.charged'],
    prepare: async (w) => {
      await paidPayment(w, w.main, payingPhone(), { accountId: w.ids.account });
    },
    call: (http, w) =>
      http.post(`/v1/accounts/${w.ids.account}/charges`, { amount: 15, orderRef: order() }, idem()),
  },
  {
    route: 'POST /v1/accounts/{id}/adjustments',
    as: 'owner',
    expect: ['adjustment.requested'],
    call: async (http, w) => {
      const res = await http.post(`/v1/accounts/${w.ids.account}/adjustments`, {
        amount: 5,
        reason: 'Goodwill',
      });
      w.ids.adjustment = res.data.id as string;
      return res;
    },
  },
  {
    route: 'POST /v1/accounts/{id}/adjustments/{adjId}/approve',
    as: 'owner2',
    expect: ['adjustment.approved'],
    call: (http, w) =>
      http.post(`/v1/accounts/${w.ids.account}/adjustments/${w.ids.adjustment}/approve`, {}),
  },
  {
    route: 'POST /v1/accounts/{id}/adjustments/{adjId}/reject',
    as: 'owner2',
    expect: ['adjustment.rejected'],
    prepare: async (w) => {
      const owner = client(w.stack.api.url, w.main.ownerKey);
      const res = await owner.post(`/v1/accounts/${w.ids.account}/adjustments`, {
        amount: -3,
        reason: 'Typo',
      });
      w.ids.adjustment = res.data.id as string;
    },
    call: (http, w) =>
      http.post(`/v1/accounts/${w.ids.account}/adjustments/${w.ids.adjustment}/reject`, {
        note: 'Not needed',
      }),
  },
];

/** Asks for a reversal of a fresh paid payment of the reversals shop. */
export async function reversalRequested(w: World): Promise<string> {
  const paymentId = await paidPayment(w, w.rev, payingPhone());
  const owner = client(w.stack.api.url, w.rev.ownerKey);
  const res = await owner.post(`/v1/payments/${paymentId}/reversals`, { reason: 'Wrong till' });
  expect(res.status).toBe(201);
  return res.data.id as string;
}

const reversalCases: RouteCase[] = [
  {
    route: 'PUT /v1/reversal-policy',
    as: 'ops',
    shop: 'rev',
    expect: ['reversal.policy_set'],
    call: (http) => http.put('/v1/reversal-policy', { approvers: 'owner_or_ops' }),
  },
  {
    route: 'POST /v1/payments/{id}/reversals',
    as: 'owner',
    shop: 'rev',
    expect: ['reversal.requested'],
    prepare: async (w) => {
      w.ids.revPaid = await paidPayment(w, w.rev, payingPhone());
    },
    call: async (http, w) => {
      const res = await http.post(`/v1/payments/${w.ids.revPaid}/reversals`, {
        reason: 'Charged twice',
      });
      w.ids.reversal = res.data.id as string;
      return res;
    },
  },
  {
    route: 'POST /v1/reversals/{id}/approve',
    as: 'owner2',
    shop: 'rev',
    expect: ['reversal.approved'],
    call: (http, w) => http.post(`/v1/reversals/${w.ids.reversal}/approve`, {}),
  },
  {
    route: 'POST /v1/reversals/{id}/reject',
    as: 'owner2',
    shop: 'rev',
    expect: ['reversal.rejected'],
    prepare: async (w) => {
      w.ids.reversal = await reversalRequested(w);
    },
    call: (http, w) => http.post(`/v1/reversals/${w.ids.reversal}/reject`, { note: 'No' }),
  },
];

export const MONEY_CASES: RouteCase[] = [
  ...paymentCases,
  ...lateWebhookCases,
  ...accountCases,
  ...reversalCases,
];
