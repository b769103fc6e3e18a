import axios, { type AxiosInstance } from 'axios';

/** An HTTP client that never throws on status, so tests assert codes and bodies directly. */
export function client(
  baseURL: string,
  key?: string,
  extra: Record<string, string> = {},
): AxiosInstance {
  return axios.create({
    baseURL,
    validateStatus: () => true,
    timeout: 20_000,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra },
  });
}

export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}
