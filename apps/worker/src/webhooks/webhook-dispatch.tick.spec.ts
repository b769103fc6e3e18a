import { validateConfig } from '@malipo/common';
import { PaymentEventsBus, type CommittedChange } from '@malipo/payments';
import type { WebhookDispatcher } from '@malipo/webhooks';
import { WebhookDispatchTick } from './webhook-dispatch.tick';

// Fake timers: the test is about how many rounds, not about the machine's timer accuracy.
const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe(WebhookDispatchTick.name, () => {
  let rounds: number;
  let bus: PaymentEventsBus;
  let sut: WebhookDispatchTick;

  beforeEach(() => {
    jest.useFakeTimers();
    rounds = 0;
    const dispatcher = {
      dispatch: async () => {
        rounds += 1;
        await Promise.resolve();
        return 0;
      },
      requeueOverdue: async () => 0,
    } as unknown as WebhookDispatcher;
    const config = validateConfig({
      WEBHOOK_DISPATCH_EVERY_MS: '60000',
      WEBHOOK_WAKE_DELAY_MS: '30',
      CREDENTIALS_KEY: 'unit-credentials-key-0123456789abcdef',
      CALLBACK_SECRET: 'unit-callback-secret-0123456789abcdef',
    });
    bus = new PaymentEventsBus();
    sut = new WebhookDispatchTick(dispatcher, config, bus);
    sut.onApplicationBootstrap();
  });

  afterEach(async () => {
    await sut.onApplicationShutdown();
    jest.useRealTimers();
  });

  const change = {} as CommittedChange;

  it('serves a burst of commits with one dispatch round', async () => {
    for (let i = 0; i < 50; i++) await bus.publish([change]);
    await sleep(29);
    expect(rounds).toBe(0);
    await sleep(1);
    expect(rounds).toBe(1);
    await sleep(1_000);
    expect(rounds).toBe(1);
  });

  it('wakes again for commits after the round', async () => {
    await bus.publish([change]);
    await sleep(80);
    await bus.publish([change]);
    await sleep(80);
    expect(rounds).toBe(2);
  });

  it('does not wake once shut down', async () => {
    await bus.publish([change]);
    await sut.onApplicationShutdown();
    await sleep(80);
    expect(rounds).toBe(0);
  });
});
