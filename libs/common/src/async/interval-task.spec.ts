import { IntervalTask } from './interval-task';

const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe(IntervalTask.name, () => {
  const logger = { warn: jest.fn() };

  beforeEach(() => {
    jest.useFakeTimers();
    logger.warn.mockReset();
  });

  afterEach(() => jest.useRealTimers());

  it('runs once every interval', async () => {
    const run = jest.fn(async () => undefined);
    const sut = new IntervalTask({ name: 'sweep', everyMs: 100, run, logger });
    sut.start();
    await sleep(99);
    expect(run).toHaveBeenCalledTimes(0);
    await sleep(201);
    expect(run).toHaveBeenCalledTimes(3);
    await sut.stop();
  });

  it('never overlaps: ticks during a slow run are dropped', async () => {
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    const run = jest.fn(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await gate.promise;
      active -= 1;
    });
    const sut = new IntervalTask({ name: 'sweep', everyMs: 100, run, logger });
    sut.start();
    await sleep(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    gate.resolve();
    await sleep(100);
    expect(run).toHaveBeenCalledTimes(2);
    expect(maxActive).toBe(1);
    await sut.stop();
  });

  it('with rerunOnOverlap, a trigger during a run asks for exactly one more run', async () => {
    const gate = deferred();
    const run = jest.fn(() => gate.promise);
    const sut = new IntervalTask({
      name: 'dispatch',
      everyMs: 60_000,
      run,
      logger,
      rerunOnOverlap: true,
    });
    const first = sut.trigger();
    void sut.trigger();
    void sut.trigger();
    gate.resolve();
    await first;
    expect(run).toHaveBeenCalledTimes(2);
    await sut.stop();
  });

  it('logs a failed run and keeps going', async () => {
    let calls = 0;
    const run = jest.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('db down');
    });
    const sut = new IntervalTask({ name: 'sweep', everyMs: 100, run, logger });
    sut.start();
    await sleep(200);
    expect(run).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      { err: 'db down' },
      'sweep failed; the next run retries',
    );
    await sut.stop();
  });

  it('stop waits for the run in progress and then runs no more', async () => {
    const gate = deferred();
    let finished = false;
    const run = jest.fn(async () => {
      await gate.promise;
      finished = true;
    });
    const sut = new IntervalTask({ name: 'sweep', everyMs: 100, run, logger });
    sut.start();
    await sleep(100);
    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await sleep(0);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    await sleep(1_000);
    await sut.trigger();
    expect(run).toHaveBeenCalledTimes(1);
    expect(sut.isStopped).toBe(true);
  });
});
