import { EventEmitter } from 'node:events';
import { armShutdownDeadline } from './shutdown-deadline';
import { ShutdownState } from './shutdown-state';

describe(ShutdownState.name, () => {
  it('counts work in flight by name, each unit once however often it says it is done', () => {
    const sut = new ShutdownState();
    const a = sut.track('POST /v1/payments');
    const b = sut.track('POST /v1/payments');
    sut.track('POST /v1/hooks/stk/:token');
    a();
    a();
    expect(sut.describe()).toBe('1 × POST /v1/payments, 1 × POST /v1/hooks/stk/:token');
    expect(sut.count((name) => !name.includes('/hooks/'))).toBe(1);
    b();
    expect(sut.count((name) => !name.includes('/hooks/'))).toBe(0);
  });

  it('is draining from the first begin on, and stays so', () => {
    const sut = new ShutdownState();
    expect([sut.draining, sut.drainingForMs]).toEqual([false, 0]);
    sut.begin();
    sut.begin();
    expect(sut.draining).toBe(true);
  });

  it('names what was still running when the stop deadline passes', () => {
    jest.useFakeTimers();
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const state = new ShutdownState();
      state.track('POST /v1/payments');
      const exits: number[] = [];
      const host = Object.assign(new EventEmitter(), { exit: (c: number) => exits.push(c) });
      armShutdownDeadline('api', 1_000, host, () => state.describe());
      host.emit('SIGTERM', 'SIGTERM');
      jest.advanceTimersByTime(1_000);
      expect(exits).toEqual([1]);
      expect(String(write.mock.calls[0][0])).toBe(
        'api: still closing 1000 ms after SIGTERM (still running: 1 × POST /v1/payments); exiting\n',
      );
    } finally {
      write.mockRestore();
      jest.useRealTimers();
    }
  });
});
