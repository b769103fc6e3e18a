import { randomBytes, randomUUID } from 'node:crypto';
import {
  DarajaClient,
  DarajaError,
  type DarajaCredentials,
  type StkPushAccepted,
  type StkPushInput,
} from '@malipo/daraja';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { InitiatePaymentService, type Caller } from './initiate-payment.service';
import type { PaymentView } from './payment-view';
import { paymentsContext, type PaymentsContext } from '../../../../test/support/payments-context';

/** Daraja, faked at its client: counts pushes and answers as told. */
class FakeDaraja {
  pushes: StkPushInput[] = [];
  answer: () => Promise<StkPushAccepted> = async () => ({
    merchantRequestId: `m-${randomUUID()}`,
    checkoutRequestId: `ws_CO_${randomBytes(8).toString('hex')}`,
    responseDescription: 'Success. Request accepted for processing',
    customerMessage: 'Success. Request accepted for processing',
    raw: {},
    request: {},
  });

  stkPush(_creds: DarajaCredentials, input: StkPushInput): Promise<StkPushAccepted> {
    this.pushes.push(input);
    return this.answer();
  }
}

describe(InitiatePaymentService.name, () => {
  let ctx: PaymentsContext;
  let sut: InitiatePaymentService;
  let repo: PaymentsRepository;
  let daraja: FakeDaraja;
  let caller: Caller;

  beforeAll(async () => {
    daraja = new FakeDaraja();
    ctx = await paymentsContext('core', (b) => b.overrideProvider(DarajaClient).useValue(daraja));
    sut = ctx.app.get(InitiatePaymentService);
    repo = ctx.app.get(PaymentsRepository);
    const { tenantId, terminalId } = ctx.shop;
    caller = { tenantId, terminalId, fullPhone: true };
  });

  beforeEach(() => {
    daraja.pushes = [];
    daraja.answer = new FakeDaraja().answer;
  });

  afterAll(() => ctx?.close());

  let n = 0;
  const order = () => {
    n += 1;
    const phone = `07${String(Date.now() % 1e6).padStart(6, '0')}${String(n % 100).padStart(2, '0')}`;
    return { orderRef: `INT-${randomUUID().slice(0, 8)}`, amount: 100, phone };
  };
  const view = (body: unknown) => body as PaymentView;

  it('sends one push and creates one payment for identical concurrent requests under one key', async () => {
    const input = order();
    const key = randomUUID();
    const answers = await Promise.allSettled(
      Array.from({ length: 6 }, () => sut.initiate(caller, key, input)),
    );
    const ok = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(daraja.pushes).toHaveLength(1);
    expect(new Set(ok.map((a) => view(a.body).id)).size).toBe(1);
    for (const e of refused) expect(e).toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
    const again = await sut.initiate(caller, key, input);
    expect(again).toMatchObject({ status: 201, replayed: true });
    expect(view(again.body).status).toBe('awaiting_customer');
    expect(daraja.pushes).toHaveLength(1);
  });

  it('refuses the same key with another body and a second open payment for the same order', async () => {
    const input = order();
    const key = randomUUID();
    await sut.initiate(caller, key, input);
    await expect(sut.initiate(caller, key, { ...input, amount: 101 })).rejects.toMatchObject({
      code: 'IDEMPOTENCY.KEY_REUSED',
    });
    await expect(
      sut.initiate(caller, randomUUID(), { ...input, phone: order().phone }),
    ).rejects.toMatchObject({ code: 'PAYMENT.IN_PROGRESS' });
    expect(daraja.pushes).toHaveLength(1);
  });

  it('keeps one live prompt per phone, and frees the phone when Daraja refuses the push', async () => {
    const first = order();
    await sut.initiate(caller, randomUUID(), first);
    await expect(
      sut.initiate(caller, randomUUID(), { ...order(), phone: first.phone }),
    ).rejects.toMatchObject({ code: 'PAYMENT.PHONE_BUSY' });

    const refusedOrder = order();
    daraja.answer = () =>
      Promise.reject(
        new DarajaError({
          code: 'DARAJA.BAD_REQUEST',
          message: 'Invalid PhoneNumber',
          retryable: false,
          requestMayHaveReachedDaraja: true,
          httpStatus: 400,
          errorCode: '400.002.02',
        }),
      );
    const refused = await sut.initiate(caller, randomUUID(), refusedOrder);
    expect(view(refused.body).status).toBe('failed');
    daraja.answer = new FakeDaraja().answer;
    // The refusal's after-commit effect released the phone: the next order may prompt it.
    const next = await sut.initiate(caller, randomUUID(), {
      ...order(),
      phone: refusedOrder.phone,
    });
    expect(view(next.body).status).toBe('awaiting_customer');
  });

  it('records a push whose answer was lost as unknown (maybe pushed) and never pushes it again', async () => {
    const input = order();
    const key = randomUUID();
    daraja.answer = () => Promise.reject(new Error('socket hang up'));
    const first = await sut.initiate(caller, key, input);
    const paymentId = view(first.body).id;
    expect(view(first.body).status).toBe('unknown');
    const payment = await repo.findPayment(repo.db, caller.tenantId, paymentId);
    const attempt = await repo.findAttempt(repo.db, caller.tenantId, payment!.currentAttemptId!);
    expect(attempt).toMatchObject({ state: 'unknown', checkoutRequestId: null });
    expect(attempt?.pushSentAt).toBeInstanceOf(Date);
    await sut.initiate(caller, key, input);
    expect(daraja.pushes).toHaveLength(1);
  });
});
