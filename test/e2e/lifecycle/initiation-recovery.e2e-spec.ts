import { ChannelCredentialsReader } from '@malipo/db';
import { PaymentsRepository } from '@malipo/payments';
import type { AxiosInstance } from 'axios';
import type { RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { client } from '../../support/http';
import { canonical, payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

/** A request that stops after its payment committed (a crash, a lost connection) is not a dead end. */
describe('initiation interrupted after the payment committed', () => {
  let stack: Stack;
  let sim: RunningDarajaSim;
  let api: Stack['api'];
  let till: AxiosInstance;

  beforeAll(async () => {
    stack = await startStack({ sim: { callbackDelayMs: 60_000 }, worker: false });
    ({ sim, api } = stack);
    till = client(api.url, (await stack.shop()).terminalKey);
  });

  afterAll(() => stack?.close());

  afterEach(() => jest.restoreAllMocks());

  const pay = (key: string, phone: string, orderRef = `IR-${key}`) =>
    till.post(
      '/v1/payments',
      { orderRef, amount: 30, phone },
      { headers: { 'idempotency-key': key } },
    );

  it('prompts once when the same request comes again, though the first stopped before its push', async () => {
    const credentials = api.app.get(ChannelCredentialsReader, { strict: false });
    // Opening the channel's credentials is the last step before the push-intent mark.
    jest.spyOn(credentials, 'open').mockImplementationOnce(() => {
      throw new Error('stopped after commit, before the push');
    });
    const phone = payingPhone();
    const key = `resume-${Date.now()}`;
    const first = await pay(key, phone);
    expect(first.status).toBe(500);
    expect(sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) })).toHaveLength(0);

    const second = await pay(key, phone);
    expect(second.status).toBe(201);
    expect(second.data.status).toBe('awaiting_customer');
    const third = await pay(key, phone);
    expect(third.status).toBe(201);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.data.id).toBe(second.data.id);
    expect(sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) })).toHaveLength(1);
  });

  it('leaves no phone lock behind when the initiation rolled back', async () => {
    const repo = api.app.get(PaymentsRepository, { strict: false });
    jest
      .spyOn(repo, 'appendCreatedEvent')
      .mockRejectedValueOnce(new Error('connection lost before commit'));
    const phone = payingPhone();
    const failed = await pay(`rollback-${Date.now()}`, phone);
    expect(failed.status).toBe(500);
    // The cashier tries again at once, as a new sale: the phone has no live prompt.
    const again = await pay(`rollback-again-${Date.now()}`, phone);
    expect(again.status).toBe(201);
    expect(again.data.status).toBe('awaiting_customer');
    expect(sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) })).toHaveLength(1);
  });
});
