import { withTimeout } from './with-timeout';

describe(withTimeout.name, () => {
  it('answers with the work when it is in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'work')).resolves.toBe(7);
  });

  it('rejects naming the work once time is up, and swallows its late failure', async () => {
    let fail!: (e: Error) => void;
    const late = new Promise<number>((_, reject) => (fail = reject));
    await expect(withTimeout(late, 10, 'enqueue')).rejects.toThrow('enqueue timed out after 10 ms');
    fail(new Error('too late')); // would be an unhandled rejection without the guard
    await new Promise((r) => setImmediate(r));
  });

  it('passes the work’s own failure through', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1_000, 'work')).rejects.toThrow(
      'boom',
    );
  });
});
