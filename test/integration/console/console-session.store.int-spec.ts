import { createHash } from 'node:crypto';
import type { AppConfig } from '@malipo/common';
import Redis from 'ioredis';
import { ConsoleSessionStore } from '../../../apps/api/src/auth/console-session.store';
import { waitFor } from '../../support/processes';

const IDLE = 1_800;
const sessionKey = (id: string) =>
  `console-session:${createHash('sha256').update(id).digest('hex')}`;

describe(ConsoleSessionStore.name, () => {
  let redis: Redis;
  let sut: ConsoleSessionStore;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      keyPrefix: `${process.env.REDIS_PREFIX ?? 'malipo_test'}:`,
    });
    await waitFor(async () => redis.status === 'ready');
    sut = new ConsoleSessionStore(redis, { CONSOLE_SESSION_IDLE_SECONDS: IDLE } as AppConfig);
  });

  afterAll(() => redis?.disconnect());

  it('stores only the hash of the session id, with the idle expiry', async () => {
    const { id, session } = await sut.open('key-hash-1', 'key-1');
    expect(await redis.exists(`console-session:${id}`)).toBe(0);
    const ttl = await redis.ttl(sessionKey(id));
    expect(ttl).toBeGreaterThan(IDLE - 5);
    expect(ttl).toBeLessThanOrEqual(IDLE);
    expect(await sut.find(id)).toEqual(session);
  });

  it('pushes the idle expiry back on every use, and ends when idle', async () => {
    const { id } = await sut.open('key-hash-2', 'key-2');
    await redis.expire(sessionKey(id), 3);
    expect(await sut.find(id)).toBeDefined();
    expect(await redis.ttl(sessionKey(id))).toBeGreaterThan(IDLE - 5);
    await redis.pexpire(sessionKey(id), 1);
    await waitFor(async () => (await redis.exists(sessionKey(id))) === 0);
    expect(await sut.find(id)).toBeUndefined();
  });

  it('ends every session of a key at once, and only that key’s', async () => {
    const a = await sut.open('key-hash-3', 'key-3');
    const b = await sut.open('key-hash-3', 'key-3');
    const other = await sut.open('key-hash-4', 'key-4');
    await sut.endAllOf('key-3');
    expect(await sut.find(a.id)).toBeUndefined();
    expect(await sut.find(b.id)).toBeUndefined();
    expect(await sut.find(other.id)).toBeDefined();
  });

  it('compares CSRF tokens in constant time and refuses a missing one', async () => {
    const { session } = await sut.open('key-hash-5', 'key-5');
    expect(ConsoleSessionStore.csrfMatches(session, session.csrf)).toBe(true);
    expect(ConsoleSessionStore.csrfMatches(session, undefined)).toBe(false);
    expect(ConsoleSessionStore.csrfMatches(session, `${session.csrf}x`)).toBe(false);
  });
});
