import { createHash, randomBytes } from 'node:crypto';
import { SecretBox, asTenantId, generateApiKey, type TenantId } from '@malipo/common';
import {
  ApiKeysRepository,
  ChannelsRepository,
  createPgPool,
  TenantsRepository,
  TerminalsRepository,
  schema,
  type Db,
} from '@malipo/db';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';

/** Daraja's public sandbox paybill; the simulator accepts the same values. */
export const SANDBOX_PAYBILL = {
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  consumerKey: 'malipo-sim-key',
  consumerSecret: 'malipo-sim-secret',
};

/** A Drizzle handle on this run's test database; call `close()` in afterAll. */
export function connectTestDb(): { db: Db; pool: Pool; close: () => Promise<void> } {
  const pool = createPgPool({
    connectionString: process.env.DATABASE_URL!,
    max: 4,
    applicationName: 'malipo_test',
  });
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** The SecretBox the api builds from the test env (same key and key id). */
export function testSecretBox(): SecretBox {
  return SecretBox.fromConfig({
    CREDENTIALS_KEY: process.env.CREDENTIALS_KEY ?? 'test-credentials-key-0123456789abcdef',
    CREDENTIALS_KEY_ID: process.env.CREDENTIALS_KEY_ID ?? 'k1',
  });
}

export interface TenantWithKeys {
  tenantId: TenantId;
  channelId: string;
  terminalId: string;
  /** Plaintext keys, usable as `Authorization: Bearer <key>`. */
  ownerKey: string;
  terminalKey: string;
  opsKey: string;
}

/**
 * A fresh tenant with a simulator channel (sandbox paybill 174379), one terminal bound to it, and
 * owner, terminal and ops keys, written straight through the repositories.
 */
export async function createTenantWithKeys(
  db: Db,
  opts: { name?: string; terminalCode?: string; confirmWithQuery?: boolean } = {},
): Promise<TenantWithKeys> {
  const suffix = randomBytes(4).toString('hex');
  const tenant = await new TenantsRepository(db).create({ name: opts.name ?? `Shop ${suffix}` });
  const tenantId = asTenantId(tenant.id);
  const { sealed, keyId } = testSecretBox().seal({
    passkey: SANDBOX_PAYBILL.passkey,
    consumerKey: SANDBOX_PAYBILL.consumerKey,
    consumerSecret: SANDBOX_PAYBILL.consumerSecret,
  });
  const channel = await new ChannelsRepository(db).create(tenantId, {
    name: 'Sandbox paybill',
    kind: 'paybill',
    shortcode: SANDBOX_PAYBILL.shortcode,
    partyB: SANDBOX_PAYBILL.shortcode,
    environment: 'simulator',
    secretsSealed: sealed,
    secretsKeyId: keyId,
    credentialFingerprint: createHash('sha256').update(SANDBOX_PAYBILL.consumerKey).digest('hex'),
    confirmWithQuery: opts.confirmWithQuery ?? false,
  });
  const terminal = await new TerminalsRepository(db).create(tenantId, {
    name: 'Till 1',
    code: opts.terminalCode ?? `till-${suffix}`,
    channelId: channel.id,
  });
  const keys = new ApiKeysRepository(db);
  const mint = async (role: 'owner' | 'terminal' | 'ops'): Promise<string> => {
    const k = generateApiKey(role);
    await keys.create({
      tenantId: role === 'ops' ? null : tenantId,
      terminalId: role === 'terminal' ? terminal.id : null,
      role,
      name: `${role} key`,
      prefix: k.prefix,
      keyHash: k.hash,
    });
    return k.key;
  };
  return {
    tenantId,
    channelId: channel.id,
    terminalId: terminal.id,
    ownerKey: await mint('owner'),
    terminalKey: await mint('terminal'),
    opsKey: await mint('ops'),
  };
}
