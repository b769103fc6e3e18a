import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type ApiKeyRole = 'terminal' | 'owner' | 'ops';

export interface GeneratedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  /** Readable start of the key (`mlp_owner_3fa9c1`), kept so people recognise it in lists. */
  prefix: string;
  /** sha256 hex of the whole key: what the database stores and looks up. */
  hash: string;
}

const RANDOM_BYTES = 24;
const PREFIX_RANDOM_CHARS = 6;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of a key safe to show: the role marker plus a few random characters. */
export function apiKeyPrefix(key: string): string {
  const match = /^(mlp_[a-z]+_)/.exec(key);
  return match ? key.slice(0, match[1].length + PREFIX_RANDOM_CHARS) : key.slice(0, 6);
}

/** A fresh random key `mlp_<role>_<48 hex chars>` (192 bits), its display prefix and its hash. */
export function generateApiKey(role: ApiKeyRole): GeneratedApiKey {
  const key = `mlp_${role}_${randomBytes(RANDOM_BYTES).toString('hex')}`;
  return { key, prefix: apiKeyPrefix(key), hash: hashApiKey(key) };
}

/** Derives prefix and hash for a key chosen elsewhere (demo keys from the environment). */
export function describeApiKey(key: string): GeneratedApiKey {
  return { key, prefix: apiKeyPrefix(key), hash: hashApiKey(key) };
}

/** Constant-time string comparison; different lengths compare unequal without early exit on content. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
