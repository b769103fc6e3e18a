import { countdown, secondsLeft } from './countdown';

describe('countdown', () => {
  afterEach(() => jest.useRealTimers());

  it('counts whole seconds down to zero and stops there', () => {
    jest.useFakeTimers({ now: Date.parse('2026-01-01T10:00:00.000Z') });
    const ticks: number[] = [];
    countdown('2026-01-01T10:00:02.500Z', (s) => ticks.push(s));
    jest.advanceTimersByTime(5_000);
    expect(ticks).toEqual([3, 2, 1, 0]);
  });

  it('has nothing to count without a deadline, and never goes negative', () => {
    expect(secondsLeft(null)).toBeNull();
    expect(secondsLeft('2026-01-01T10:00:00Z', Date.parse('2026-01-01T11:00:00Z'))).toBe(0);
  });
});
