import { randomBytes } from 'node:crypto';
import axios from 'axios';
import {
  ResultApiClient,
  mpesaRecordOf,
  parseResultEnvelope,
  reversalOutcomeOf,
  type InitiatorCredentials,
  type ResultApiSubmission,
} from '@malipo/daraja';
import { waitFor } from '../../support/processes';
import { callbackFor, client, creds, input, phone, useClientHarness } from './client-harness';

const h = useClientHarness();
let certificatePem: string;

beforeAll(async () => {
  const res = await axios.get(`${h.sim.url}/sim/certificate`);
  certificatePem = res.data;
});

/** A fresh initiator per test, so its result delivery mode cannot leak into another test. */
function initiator(
  opts: {
    roles?: ('status' | 'reversal' | 'balance')[];
    delivery?: 'once' | 'twice' | 'queue_timeout' | 'never';
  } = {},
): InitiatorCredentials {
  const name = `op${randomBytes(4).toString('hex')}`;
  const password = `Pw#${randomBytes(4).toString('hex')}`;
  h.sim.sim.results.initiators.add({
    name,
    password,
    roles: opts.roles ?? ['status', 'reversal', 'balance'],
    delivery: opts.delivery ?? 'once',
  });
  return { initiatorName: name, initiatorPassword: password, certificatePem };
}

function urls() {
  const token = randomBytes(8).toString('hex');
  return {
    resultUrl: h.receiver.url(`/v1/hooks/result/${token}`),
    queueTimeoutUrl: h.receiver.url(`/v1/hooks/timeout/${token}`),
  };
}

async function received(url: string, count = 1) {
  const path = new URL(url).pathname;
  return waitFor(
    async () => {
      const got = h.receiver.received.filter((r) => r.path === path);
      return got.length >= count ? got : undefined;
    },
    5_000,
    10,
  );
}

async function paidReceipt(c = creds(), amount = 25): Promise<string> {
  const sut = client();
  const accepted = await sut.stkPush(c, input(phone(), amount));
  const [cb] = await callbackFor(accepted.checkoutRequestId);
  return cb.body.Body.stkCallback.CallbackMetadata.Item[1].Value as string;
}

function accepted(s: ResultApiSubmission): Extract<ResultApiSubmission, { kind: 'accepted' }> {
  if (s.kind !== 'accepted') throw new Error(`not accepted: ${s.kind} ${s.message}`);
  return s;
}

async function resultOf(url: string, index = 0) {
  const got = await received(url, index + 1);
  const parsed = parseResultEnvelope(got[index].body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('ResultApiClient against the simulator', () => {
  it('Transaction Status returns the STK receipt with amount, parties and status', async () => {
    const c = creds();
    const receipt = await paidReceipt(c, 25);
    const u = urls();
    const sut = new ResultApiClient(client());
    const s = accepted(
      await sut.transactionStatus(c, initiator(), { transactionId: receipt, ...u }),
    );
    expect(s.conversationId).toMatch(/^AG_\d{8}_[0-9a-f]+$/);
    expect(s.request).not.toHaveProperty('SecurityCredential');
    const result = await resultOf(u.resultUrl);
    expect(result.conversationId).toBe(s.conversationId);
    expect(mpesaRecordOf(result)).toMatchObject({
      found: true,
      receipt,
      amount: 25,
      status: 'Completed',
      creditParty: expect.stringContaining(c.partyB),
    });
  });

  it('Reversal reverses the full amount once; a second one is R000001; a partial one is refused', async () => {
    const c = creds();
    const receipt = await paidReceipt(c, 40);
    const sut = new ResultApiClient(client());
    const op = initiator();
    const partial = await sut.reversal(c, op, {
      transactionId: receipt,
      amount: 39,
      remarks: 'Refund',
      ...urls(),
    });
    expect(partial).toMatchObject({ kind: 'refused', reason: '400.002.02', retryable: false });
    const first = urls();
    accepted(
      await sut.reversal(c, op, {
        transactionId: receipt,
        amount: 40,
        remarks: 'Refund',
        ...first,
      }),
    );
    const reversed = reversalOutcomeOf(await resultOf(first.resultUrl));
    expect(reversed).toMatchObject({ kind: 'reversed', resultCode: '0' });
    const second = urls();
    accepted(
      await sut.reversal(c, op, {
        transactionId: receipt,
        amount: 40,
        remarks: 'Refund',
        ...second,
      }),
    );
    expect(reversalOutcomeOf(await resultOf(second.resultUrl)).kind).toBe('already_reversed');
    const status = urls();
    accepted(await sut.transactionStatus(c, op, { transactionId: receipt, ...status }));
    expect(mpesaRecordOf(await resultOf(status.resultUrl)).status).toBe('Reversed');
  });

  it('a wrong password is accepted now and fails later with 2001 and a single-object ResultParameter', async () => {
    const c = creds();
    const op = { ...initiator(), initiatorPassword: 'not-the-password' };
    const u = urls();
    accepted(await new ResultApiClient(client()).accountBalance(c, op, u));
    const [raw] = await received(u.resultUrl);
    expect(raw.body.Result.ResultParameters.ResultParameter).toEqual({
      Key: 'BOCompletedTime',
      Value: expect.any(Number),
    });
    expect((await resultOf(u.resultUrl)).resultCode).toBe('2001');
  });

  it('an initiator without the reversal role gets 21', async () => {
    const c = creds();
    const receipt = await paidReceipt(c);
    const u = urls();
    const op = initiator({ roles: ['status'] });
    accepted(
      await new ResultApiClient(client()).reversal(c, op, {
        transactionId: receipt,
        amount: 25,
        remarks: 'Refund',
        ...u,
      }),
    );
    expect(reversalOutcomeOf(await resultOf(u.resultUrl))).toMatchObject({
      kind: 'failed',
      resultCode: '21',
    });
  });

  it('a queue timeout calls the QueueTimeOutURL and leaves the receipt as it was', async () => {
    const c = creds();
    const receipt = await paidReceipt(c);
    const u = urls();
    const sut = new ResultApiClient(client());
    accepted(
      await sut.reversal(c, initiator({ delivery: 'queue_timeout' }), {
        transactionId: receipt,
        amount: 25,
        remarks: 'Refund',
        ...u,
      }),
    );
    const [timeout] = await received(u.queueTimeoutUrl);
    expect(timeout.body.Result.ResultDesc).toMatch(/timed out/);
    expect(
      h.receiver.received.filter((r) => r.path === new URL(u.resultUrl).pathname),
    ).toHaveLength(0);
    expect(h.sim.sim.results.reversalOf(receipt)).toBeUndefined();
  });

  it('a duplicated result arrives twice with the same ConversationID', async () => {
    const u = urls();
    const s = accepted(
      await new ResultApiClient(client()).accountBalance(
        creds(),
        initiator({ delivery: 'twice' }),
        u,
      ),
    );
    const both = await received(u.resultUrl, 2);
    expect(both.map((r) => r.body.Result.ConversationID)).toEqual([
      s.conversationId,
      s.conversationId,
    ]);
    const balance = await resultOf(u.resultUrl);
    expect(String(balance.parameters.AccountBalance)).toMatch(/^Working Account\|KES\|/);
  });

  it('refuses a SecurityCredential made with another certificate synchronously', async () => {
    const other = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 });
    const op = {
      ...initiator(),
      certificatePem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const s = await new ResultApiClient(client()).accountBalance(creds(), op, urls());
    expect(s).toMatchObject({
      kind: 'refused',
      reason: '400.002.02',
      message: expect.stringContaining('Invalid SecurityCredential'),
    });
  });

  it('validates requests like Daraja: the misspelled RecieverIdentifierType, remarks, CommandID', async () => {
    const c = creds();
    const token = await client().getToken(c);
    const { securityCredential } = await import('@malipo/daraja');
    const body = {
      Initiator: 'testapi',
      SecurityCredential: securityCredential('Safaricom999!*!', certificatePem),
      CommandID: 'TransactionReversal',
      TransactionID: 'NEF61H8J60',
      Amount: '10',
      ReceiverParty: c.shortcode,
      ReceiverIdentifierType: '11',
      ...{ ResultURL: urls().resultUrl, QueueTimeOutURL: urls().queueTimeoutUrl },
      Remarks: 'Refund',
    };
    const post = (b: Record<string, unknown>) =>
      axios.post(`${h.sim.url}/mpesa/reversal/v1/request`, b, {
        headers: { Authorization: `Bearer ${token}` },
        validateStatus: () => true,
      });
    const misspelt = await post(body);
    expect(misspelt.status).toBe(400);
    expect(misspelt.data.errorMessage).toBe('Bad Request - Invalid RecieverIdentifierType');
    expect(
      (await post({ ...body, RecieverIdentifierType: '11', Remarks: 'x' })).data.errorMessage,
    ).toBe('Bad Request - Invalid Remarks');
    expect(
      (await post({ ...body, RecieverIdentifierType: '11', CommandID: 'Reverse' })).data
        .errorMessage,
    ).toBe('Bad Request - Invalid CommandID');
    expect((await post({ ...body, RecieverIdentifierType: '11' })).status).toBe(200);
  });

  it('an answer lost to a timeout is unknown, never refused', async () => {
    const c = creds();
    const sut = client({ timeoutMs: 200 });
    await sut.getToken(c);
    h.sim.sim.setFaults({ latencyMs: 600 });
    try {
      const s = await new ResultApiClient(sut).transactionStatus(c, initiator(), {
        transactionId: 'NEF61H8J60',
        ...urls(),
      });
      expect(s).toMatchObject({ kind: 'unknown', reason: 'DARAJA.TIMEOUT' });
    } finally {
      h.sim.sim.setFaults({ latencyMs: 0 });
    }
  });
});

describe('C2B against the simulator', () => {
  it('registers URLs, then a hand payment is validated (when enabled) and confirmed with strings', async () => {
    const c = creds('till');
    const token = randomBytes(6).toString('hex');
    const confirmationUrl = h.receiver.url(`/v1/hooks/c2b/${token}/confirm`);
    const validationUrl = h.receiver.url(`/v1/hooks/c2b/${token}/validate`);
    const sut = new ResultApiClient(client());
    const reg = await sut.registerC2bUrls(c, {
      confirmationUrl,
      validationUrl,
      responseType: 'Completed',
    });
    expect(reg).toEqual({ kind: 'registered', responseDescription: 'Success' });
    await axios.put(`${h.sim.url}/sim/c2b/${c.partyB}/validation`, { enabled: true });
    const paid = await axios.post(`${h.sim.url}/sim/c2b/pay`, {
      shortCode: c.partyB,
      amount: 120,
      phone: '254712345678',
      billRefNumber: 'ORDER-77',
    });
    expect(paid.data).toMatchObject({
      outcome: 'confirmed',
      transId: expect.stringMatching(/^[A-Z0-9]{10}$/),
      confirmationStatus: 200,
    });
    const [validation] = await received(validationUrl);
    const [confirmation] = await received(confirmationUrl);
    expect(validation.body.TransID).toBe(paid.data.transId);
    expect(confirmation.body).toMatchObject({
      TransactionType: 'Buy Goods',
      TransID: paid.data.transId,
      TransAmount: '120.00',
      BusinessShortCode: c.partyB,
      BillRefNumber: 'ORDER-77',
      MSISDN: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const pulled = await axios.post(
      `${h.sim.url}/pulltransactions/v1/query`,
      {
        ShortCode: c.shortcode,
        StartDate: '2020-01-01 00:00:00',
        EndDate: '2099-01-01 00:00:00',
        OffSetValue: '0',
      },
      { headers: { Authorization: `Bearer ${await client().getToken(c)}` } },
    );
    expect(JSON.stringify(pulled.data)).toContain(paid.data.transId);
  });

  it('refuses an unknown shortcode or a lower-case ResponseType, and pays nothing unregistered', async () => {
    const c = { ...creds(), partyB: '999991' };
    const sut = new ResultApiClient(client());
    const u = { confirmationUrl: h.receiver.url('/a'), validationUrl: h.receiver.url('/b') };
    expect(await sut.registerC2bUrls(c, { ...u, responseType: 'Completed' })).toMatchObject({
      kind: 'refused',
      reason: '400.002.02',
    });
    const lower = await sut.registerC2bUrls(creds(), {
      ...u,
      responseType: 'completed' as 'Completed',
    });
    expect(lower).toMatchObject({ kind: 'refused', message: 'Bad Request - Invalid ResponseType' });
    const paid = await axios.post(`${h.sim.url}/sim/c2b/pay`, {
      shortCode: '999991',
      amount: 1,
      phone: '254712345678',
      billRefNumber: 'X',
    });
    expect(paid.data).toEqual({ outcome: 'not_registered' });
  });
});
