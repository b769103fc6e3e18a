import type { BullRegistrar } from '@nestjs/bullmq';
import { validateConfig } from '@malipo/common';
import { StkCallbackProcessor } from './callbacks/stk-callback.processor';
import { ReconcileRunProcessor } from './reconciler/reconcile-run.processor';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor';
import { WorkerRegistration } from './worker-registration';

const WORKER_METADATA = 'bullmq:worker_metadata'; // @nestjs/bullmq reads worker options here

describe(WorkerRegistration.name, () => {
  it('sets worker options from the injected config, then registers the workers', () => {
    const config = validateConfig({
      JOB_LOCK_MS: '2000',
      WEBHOOK_CONCURRENCY: '3',
      CREDENTIALS_KEY: 'unit-credentials-key-0123456789abcdef',
      CALLBACK_SECRET: 'unit-callback-secret-0123456789abcdef',
    });
    const register = jest.fn();
    const sut = new WorkerRegistration(config, { register } as unknown as BullRegistrar);

    sut.onModuleInit();

    const lock = { lockDuration: 2000, stalledInterval: 500 };
    const options = (target: object): unknown => Reflect.getMetadata(WORKER_METADATA, target);
    expect(options(StkCallbackProcessor)).toEqual({ concurrency: 8, ...lock });
    expect(options(ReconcileRunProcessor)).toEqual({ concurrency: 1, ...lock });
    expect(options(WebhookDeliveryProcessor)).toMatchObject({ concurrency: 3, ...lock });
    expect(register).toHaveBeenCalledTimes(1);
  });
});
