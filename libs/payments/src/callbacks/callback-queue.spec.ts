import type { AppConfig } from '@malipo/common';
import type { CallbackJob } from '@malipo/queue';
import type { JobsOptions, Queue } from 'bullmq';
import { CallbackQueue } from './callback-queue';

/** Records what BullMQ would be asked; nothing else is stubbed. */
class FakeQueue {
  added: { data: CallbackJob; opts: JobsOptions }[] = [];
  add(_name: string, data: CallbackJob, opts: JobsOptions) {
    this.added.push({ data, opts });
    return Promise.resolve();
  }
  addBulk(jobs: { name: string; data: CallbackJob; opts: JobsOptions }[]) {
    for (const j of jobs) this.added.push({ data: j.data, opts: j.opts });
    return Promise.resolve();
  }
}

describe(CallbackQueue.name, () => {
  const config = { CALLBACK_JOB_ATTEMPTS: 7 } as AppConfig;
  let queue: FakeQueue;
  let sut: CallbackQueue;

  beforeEach(() => {
    queue = new FakeQueue();
    sut = new CallbackQueue(config, queue as unknown as Queue<CallbackJob>);
  });

  it('gives the receiver, the sweeper and a replay the same retry policy', async () => {
    const row = { id: 'inbox-1', tenantId: 't-1', processAttempts: 3 };
    await sut.enqueue(row);
    await sut.enqueueMany([row]);
    await sut.replay(row);
    for (const { data, opts } of queue.added) {
      expect(data).toEqual({ inboxId: 'inbox-1', tenantId: 't-1' });
      expect(opts).toMatchObject({ attempts: 7, backoff: { type: 'exponential', delay: 1_000 } });
    }
  });

  it('keys a stored callback by its inbox id, and a replay by its tries so far', async () => {
    await sut.enqueue({ id: 'inbox-1', tenantId: 't-1' });
    await sut.enqueueMany([{ id: 'inbox-1', tenantId: 't-1' }]);
    await sut.replay({ id: 'inbox-1', tenantId: 't-1', processAttempts: 2 });
    expect(queue.added.map((a) => a.opts.jobId)).toEqual([
      'inbox-1',
      'inbox-1',
      'inbox-1-replay-2',
    ]);
  });
});
