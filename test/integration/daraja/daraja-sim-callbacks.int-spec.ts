import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SIM_TILL } from '../../../apps/daraja-sim/src/sim-settings';
import { SCENARIO_BY_SUFFIX } from '../../../apps/daraja-sim/src/scenarios';
import { waitFor } from '../../support/processes';
import { callbacksFor, push, pushBody, query, useSimHarness } from './sim-harness';

const h = useSimHarness();

describe('daraja-sim: callbacks and STK query', () => {
  it("sends Daraja's exact success callback and answers the query with strings", async () => {
    const body = pushBody({ Amount: 7 });
    const res = await push(body);
    const id = res.data.CheckoutRequestID;
    const pending = await query(id);
    expect(pending.status).toBe(500);
    expect(pending.data).toEqual({
      requestId: id,
      errorCode: '500.001.1001',
      errorMessage: 'The transaction is being processed',
    });

    const [cb] = await callbacksFor(id);
    expect(cb.raw).toContain('{"Name":"Amount","Value":7.00}');
    expect(cb.body).toEqual({
      Body: {
        stkCallback: {
          MerchantRequestID: res.data.MerchantRequestID,
          CheckoutRequestID: id,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: 7 },
              { Name: 'MpesaReceiptNumber', Value: expect.stringMatching(/^[A-Z0-9]{10}$/) },
              { Name: 'Balance' },
              { Name: 'TransactionDate', Value: expect.any(Number) },
              { Name: 'PhoneNumber', Value: Number(body.PhoneNumber) },
            ],
          },
        },
      },
    });
    const final = await query(id);
    expect(final.status).toBe(200);
    expect(final.data).toEqual({
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successfully',
      MerchantRequestID: res.data.MerchantRequestID,
      CheckoutRequestID: id,
      ResultCode: '0',
      ResultDesc: 'The service request is processed successfully.',
    });
  });

  it("refuses to query another merchant's or an unknown CheckoutRequestID", async () => {
    const res = await push(pushBody());
    const other = await query(res.data.CheckoutRequestID, SIM_TILL.shortcode, SIM_TILL.passkey);
    expect(other.data).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid CheckoutRequestID',
    });
    expect((await query('ws_CO_nope')).status).toBe(400);
  });

  it('every scenario suffix is documented in the table of docs/daraja-simulator.md', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/daraja-simulator.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(\d{4})` \|/gm)].map((m) => m[1]);
    expect(Object.keys(SCENARIO_BY_SUFFIX).sort()).toEqual(documented.sort());
  });

  it('receipts are unique 10-character uppercase alphanumerics', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await push(pushBody())).data.CheckoutRequestID);
    await waitFor(async () => h.sim.sim.callbacks().length >= 25, 5_000, 20);
    const receipts = ids.map((id) => h.sim.sim.transaction(id)?.receipt);
    for (const r of receipts) expect(r).toMatch(/^[A-Z0-9]{10}$/);
    expect(new Set(receipts).size).toBe(25);
  });

  it('answers a GET on the STK paths with 405.001', async () => {
    const res = await h.http.get('/mpesa/stkpush/v1/processrequest');
    expect(res.status).toBe(405);
    expect(res.data).toMatchObject({ errorCode: '405.001', errorMessage: 'Method Not Allowed' });
  });

  it('answers unknown paths like Daraja', async () => {
    const res = await h.http.post('/mpesa/nothing/v1/here', {});
    expect(res.status).toBe(404);
    expect(res.data).toMatchObject({ errorCode: '404.001.01', errorMessage: 'Resource not found' });
  });
});
