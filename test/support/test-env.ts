import { randomBytes } from 'node:crypto';

/** Everything a test run shares, derived once in globalSetup and passed on through the env. */
export const TEST_SECRETS = {
  CREDENTIALS_KEY: 'test-credentials-key-0123456789abcdef',
  CALLBACK_SECRET: 'test-callback-secret-0123456789abcdef',
};

export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Tests must never touch a real database: only names ending in `_test` are accepted. */
export function assertTestDatabase(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!name.endsWith('_test')) {
    throw new Error(`refusing to run tests against database "${name}": its name must end in _test`);
  }
  return name;
}
