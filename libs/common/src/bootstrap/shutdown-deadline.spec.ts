import { EventEmitter } from 'node:events';
import { armShutdownDeadline } from './shutdown-deadline';

describe(armShutdownDeadline.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('exits 1 once a stop has taken longer than the deadline, and not before', () => {
    const exits: number[] = [];
    const host = Object.assign(new EventEmitter(), { exit: (code: number) => exits.push(code) });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    armShutdownDeadline('worker', 2_000, host);
    jest.advanceTimersByTime(10_000);
    expect(exits).toEqual([]); // no signal, no deadline
    host.emit('SIGTERM', 'SIGTERM');
    host.emit('SIGINT', 'SIGINT'); // a second signal does not arm a second timer
    jest.advanceTimersByTime(1_999);
    expect(exits).toEqual([]);
    jest.advanceTimersByTime(10_000);
    expect(exits).toEqual([1]);
    expect(String(write.mock.calls[0][0])).toMatch(/^worker: still closing 2000 ms after SIGTERM/);
    write.mockRestore();
  });
});
