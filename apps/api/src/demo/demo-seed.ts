import { createHash } from 'node:crypto';
import {
  ConfigError,
  asTenantId,
  describeApiKey,
  generateApiKey,
  type AppConfig,
  type SecretBox,
  type TenantId,
} from '@malipo/common';
import {
  ApiKeysRepository,
  ChannelsRepository,
  TenantsRepository,
  TerminalsRepository,
  type ApiKeyRole,
  type Db,
  type Tx,
} from '@malipo/db';
import { sql } from 'drizzle-orm';

/** Daraja's public sandbox paybill; the simulator accepts the same credentials. */
export const DEMO_CHANNEL = {
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  consumerKey: 'malipo-sim-key',
  consumerSecret: 'malipo-sim-secret',
};
export const DEMO_TERMINAL_CODE = 'till-1';
const DEMO_LOCK = 7236312;

export type DemoConfig = Pick<AppConfig, 'DEMO_OWNER_KEY' | 'DEMO_TERMINAL_KEY' | 'DEMO_OPS_KEY'>;

export interface DemoSeed {
  tenantId: TenantId;
  channelId: string;
  terminalId: string;
  /** Plaintext demo keys, valid after this call. */
  keys: Record<ApiKeyRole, string>;
}

const ENV_NAME: Record<ApiKeyRole, keyof DemoConfig> = {
  owner: 'DEMO_OWNER_KEY',
  terminal: 'DEMO_TERMINAL_KEY',
  ops: 'DEMO_OPS_KEY',
};

interface Repos {
  tenants: TenantsRepository;
  channels: ChannelsRepository;
  terminals: TerminalsRepository;
  keys: ApiKeysRepository;
}

/**
 * Creates, if absent, the demo tenant with a simulator channel for the sandbox paybill and one
 * terminal, and makes demo keys usable: keys from the environment are kept as they are; keys we
 * generated cannot be printed again (only hashes are stored), so they are rotated on every run.
 */
export async function seedDemo(
  deps: { db: Db; box: SecretBox },
  config: DemoConfig,
): Promise<DemoSeed> {
  const { db, box } = deps;
  const repos: Repos = {
    tenants: new TenantsRepository(db),
    channels: new ChannelsRepository(db),
    terminals: new TerminalsRepository(db),
    keys: new ApiKeysRepository(db),
  };
  return db.transaction(async (tx) => {
    // Replicas booting together must not create two demo tenants.
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
    const tenant =
      (await repos.tenants.findDemo(tx)) ??
      (await repos.tenants.create({ name: 'Demo shop', isDemo: true }, tx));
    const tenantId = asTenantId(tenant.id);
    const channelId = await ensureChannel(repos, tx, tenantId, box);
    const terminalId = await ensureTerminal(repos, tx, tenantId, channelId);
    const keys = {} as Record<ApiKeyRole, string>;
    for (const role of ['owner', 'terminal', 'ops'] as const) {
      keys[role] = await ensureKey(repos, tx, {
        role,
        tenantId,
        terminalId,
        envKey: config[ENV_NAME[role]],
      });
    }
    return { tenantId, channelId, terminalId, keys };
  });
}

async function ensureChannel(
  repos: Repos,
  tx: Tx,
  tenantId: TenantId,
  box: SecretBox,
): Promise<string> {
  const existing = (await repos.channels.list(tenantId, tx)).find(
    (c) => c.environment === 'simulator' && c.shortcode === DEMO_CHANNEL.shortcode,
  );
  if (existing) return existing.id;
  const { sealed, keyId } = box.seal({
    passkey: DEMO_CHANNEL.passkey,
    consumerKey: DEMO_CHANNEL.consumerKey,
    consumerSecret: DEMO_CHANNEL.consumerSecret,
  });
  const channel = await repos.channels.create(
    tenantId,
    {
      name: 'Demo paybill (simulator)',
      kind: 'paybill',
      shortcode: DEMO_CHANNEL.shortcode,
      partyB: DEMO_CHANNEL.shortcode,
      environment: 'simulator',
      secretsSealed: sealed,
      secretsKeyId: keyId,
      credentialFingerprint: createHash('sha256').update(DEMO_CHANNEL.consumerKey).digest('hex'),
      accountReference: 'MALIPO-DEMO',
    },
    tx,
  );
  return channel.id;
}

async function ensureTerminal(
  repos: Repos,
  tx: Tx,
  tenantId: TenantId,
  channelId: string,
): Promise<string> {
  const existing = await repos.terminals.findByCode(tenantId, DEMO_TERMINAL_CODE, tx);
  if (existing) return existing.id;
  const terminal = await repos.terminals.create(
    tenantId,
    { name: 'Demo till 1', code: DEMO_TERMINAL_CODE, channelId },
    tx,
  );
  return terminal.id;
}

async function ensureKey(
  repos: Repos,
  tx: Tx,
  args: { role: ApiKeyRole; tenantId: TenantId; terminalId: string; envKey?: string },
): Promise<string> {
  const { role } = args;
  const wanted = args.envKey ? describeApiKey(args.envKey) : generateApiKey(role);
  const found = args.envKey ? await repos.keys.findByHash(wanted.hash, tx) : undefined;
  if (found && (!found.isDemo || found.role !== role)) {
    throw new ConfigError(
      `invalid configuration: ${ENV_NAME[role]} is already used by another key`,
    );
  }
  if (found) {
    await repos.keys.reactivateDemo(found.id, tx);
    await repos.keys.revokeDemo({ role, keep: [found.id] }, tx);
    return wanted.key;
  }
  await repos.keys.revokeDemo({ role }, tx);
  await repos.keys.create(
    {
      tenantId: role === 'ops' ? null : args.tenantId,
      terminalId: role === 'terminal' ? args.terminalId : null,
      role,
      name: `Demo ${role} key`,
      prefix: wanted.prefix,
      keyHash: wanted.hash,
      isDemo: true,
    },
    tx,
  );
  return wanted.key;
}

/** Production refuses to start while a demo key could still be used. */
export async function assertNoActiveDemoKeys(keys: ApiKeysRepository): Promise<void> {
  const active = await keys.listActiveDemo();
  if (!active.length) return;
  const prefixes = active.map((k) => k.prefix).join(', ');
  // The api cannot serve the revoke endpoint while it refuses to start, so point at the database.
  throw new ConfigError(
    `refusing to start in production: ${active.length} demo API key(s) not revoked (${prefixes}); ` +
      'revoke them: update api_keys set revoked_at = now() where is_demo and revoked_at is null',
  );
}

/** What a newcomer needs: the keys and a payment they can send right away. */
export function demoBanner(seed: DemoSeed, baseUrl: string): string {
  return [
    '',
    'Malipo demo (simulator mode): these keys work until the next restart unless set via DEMO_*_KEY',
    `  tenant        ${seed.tenantId}`,
    `  owner key     ${seed.keys.owner}`,
    `  terminal key  ${seed.keys.terminal}`,
    `  ops key       ${seed.keys.ops}`,
    '',
    `Console: ${baseUrl}/console/  (sign in with the terminal key: the till; owner: the shop; ops)`,
    '',
    'Start a payment:',
    `  curl -sS -X POST ${baseUrl}/v1/payments \\`,
    `    -H "Authorization: Bearer ${seed.keys.terminal}" \\`,
    `    -H "Idempotency-Key: demo-$(date +%s)" \\`,
    '    -H "Content-Type: application/json" \\',
    // A fresh order each time: ORDER-1 once paid is, correctly, refused as already paid.
    `    -d '{"orderRef":"DEMO-'"$(date +%s)"'","amount":10,"phone":"0712345678"}'`,
    '',
  ].join('\n');
}
