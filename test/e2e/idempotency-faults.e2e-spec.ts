import { ChannelCredentialsReader, ChannelDirectory } from '@malipo/db';
import {
  IdempotencyService,
  PaymentService,
  PaymentsRepository,
  PhoneLock,
} from '@malipo/payments';
import type { AxiosInstance } from 'axios';
import type { RunningDarajaSim } from '../../apps/daraja-sim/src/start-sim';
import { client } from '../support/http';
import { canonical, payingPhone, scenarioPhone } from '../support/nest-apps';
import { startStack, type Stack } from '../support/stack';

type Step = [name: string, target: () => object, method: string];

/**
 * An unexpected error at any step of an initiation or a retry never wedges its Idempotency-Key:
 * the identical request, sent again at once, gets its answer, and the phone is prompted once.
 */
describe('Idempotency-Key after an unexpected error at each step', () => {
  let stack: Stack;
  let sim: RunningDarajaSim;
  let api: Stack['api'];
  let till: AxiosInstance;
  const get = <T>(type: abstract new (...args: never[]) => T): T =>
    api.app.get(type as never, { strict: false });

  beforeAll(async () => {
    stack = await startStack({ sim: { callbackDelayMs: 60_000 }, worker: false });
    ({ sim, api } = stack);
    till = client(api.url, (await stack.shop()).terminalKey);
  });

  afterAll(() => stack?.close());

  afterEach(() => jest.restoreAllMocks());

  const inject = ([, target, method]: Step) => {
    const object = target() as Record<string, (...args: unknown[]) => unknown>;
    const error = new Error(`injected failure in ${method}`);
    const failing = (): never => {
      throw error;
    };
    // A synchronous step throws; an asynchronous one rejects.
    const isAsync = object[method].constructor.name === 'AsyncFunction';
    jest
      .spyOn(object, method)
      .mockImplementationOnce(isAsync ? () => Promise.reject(error) : failing);
  };
  const pushesTo = (phone: string) =>
    sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) }).length;

  const initiationSteps: Step[] = [
    ['the terminal lookup', () => get(ChannelDirectory), 'terminal'],
    // One statement: the payment (unless the order is paid), its attempt, the key's link to it.
    ['the payment statement', () => get(PaymentsRepository), 'createPayment'],
    ['the phone lock', () => get(PhoneLock), 'acquire'],
    ['the created event', () => get(PaymentsRepository), 'appendCreatedEvent'],
    ['the credentials', () => get(ChannelCredentialsReader), 'open'],
    ['the push-intent mark', () => get(PaymentsRepository), 'markPushSent'],
    ["recording Daraja's answer", () => get(PaymentService), 'applyAsRead'],
    ['storing the answer', () => get(IdempotencyService), 'complete'],
  ];

  it.each(initiationSteps)('initiation: %s', async (...step) => {
    const phone = payingPhone();
    const key = `fault-${step[2]}-${Date.now()}`;
    const send = () =>
      till.post(
        '/v1/payments',
        { orderRef: `F-${key}`, amount: 40, phone },
        { headers: { 'idempotency-key': key } },
      );
    inject(step);
    expect((await send()).status).toBe(500);
    const again = await send();
    expect(again.status).toBe(201);
    expect(['created', 'awaiting_customer']).toContain(again.data.status);
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.data.id).toBe(again.data.id);
    // A replay to a till masks the phone like the first answer did.
    expect(replay.data.phone).not.toContain(canonical(phone).slice(3, 9));
    expect(pushesTo(phone)).toBe(1);
  });

  const retrySteps: Step[] = [
    ['locking the payment', () => get(PaymentsRepository), 'lockPayment'],
    ['the attempt insert', () => get(PaymentsRepository), 'insertAttempt'],
    ['linking the key', () => get(IdempotencyService), 'attachPayment'],
    ['the phone lock', () => get(PhoneLock), 'acquire'],
    ['the push-intent mark', () => get(PaymentsRepository), 'markPushSent'],
    ["recording Daraja's answer", () => get(PaymentService), 'applyAsRead'],
    ['storing the answer', () => get(IdempotencyService), 'complete'],
  ];

  it.each(retrySteps)('retry: %s', async (...step) => {
    // 9995: Daraja refuses every push at once, so the payment fails and may be retried.
    const phone = scenarioPhone('9995');
    const created = await till.post(
      '/v1/payments',
      { orderRef: `FR-${step[2]}-${Date.now()}`, amount: 41, phone },
      { headers: { 'idempotency-key': `fr-${step[2]}-${Date.now()}` } },
    );
    expect(created.data.status).toBe('failed');
    const key = `fault-retry-${step[2]}-${Date.now()}`;
    const retry = () =>
      till.post(`/v1/payments/${created.data.id}/retry`, undefined, {
        headers: { 'idempotency-key': key },
      });
    inject(step);
    expect((await retry()).status).toBe(500);
    const again = await retry();
    expect(again.status).toBe(201);
    expect((await retry()).data).toEqual(again.data);
    expect(pushesTo(phone)).toBe(2); // the first push, and exactly one for the retry
  });
});
