/**
 * `work`, or a rejection naming `what` after `ms`. The abandoned work's own late failure is
 * swallowed: the caller has already moved on, so it is not news (and must not crash the process).
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    work.catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
