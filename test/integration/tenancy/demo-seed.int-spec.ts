import { ConfigError, asTenantId, hashApiKey } from '@malipo/common';
import { ApiKeysRepository, TenantsRepository, TerminalsRepository } from '@malipo/db';
import { assertNoActiveDemoKeys, demoBanner, seedDemo } from '../../../apps/api/src/demo/demo-seed';
import { connectTestDb, testSecretBox } from '../../factories/tenancy';

// One file owns the run's demo rows: the demo tenant is a singleton per database.
describe('seedDemo', () => {
  const testDb = connectTestDb();
  const deps = { db: testDb.db, box: testSecretBox() };
  const keys = new ApiKeysRepository(testDb.db);

  afterAll(() => testDb.close());

  const isActive = async (key: string) => Boolean(await keys.findActiveByHash(hashApiKey(key)));

  it('creates the demo tenant, simulator channel, till-1 and working keys once', async () => {
    const first = await seedDemo(deps, {});
    const tenant = await new TenantsRepository(testDb.db).findById(first.tenantId);
    expect(tenant?.isDemo).toBe(true);
    const terminal = await new TerminalsRepository(testDb.db).findById(
      first.tenantId,
      first.terminalId,
    );
    expect(terminal).toMatchObject({ code: 'till-1', channelId: first.channelId });
    for (const role of ['owner', 'terminal', 'ops'] as const) {
      const row = await keys.findActiveByHash(hashApiKey(first.keys[role]));
      expect(row).toMatchObject({ role, isDemo: true });
    }
    const terminalKey = await keys.findActiveByHash(hashApiKey(first.keys.terminal));
    expect(terminalKey?.terminalId).toBe(first.terminalId);

    const again = await seedDemo(deps, {});
    expect(again).toMatchObject({
      tenantId: first.tenantId,
      channelId: first.channelId,
      terminalId: first.terminalId,
    });
    // Generated keys are rotated so they can be printed again; the old ones stop working.
    for (const role of ['owner', 'terminal', 'ops'] as const) {
      expect(again.keys[role]).not.toBe(first.keys[role]);
      expect(await isActive(first.keys[role])).toBe(false);
      expect(await isActive(again.keys[role])).toBe(true);
    }
  });

  it('uses keys from the environment and keeps them across restarts', async () => {
    const env = {
      DEMO_OWNER_KEY: 'demo-owner-key-for-scripts',
      DEMO_TERMINAL_KEY: 'demo-terminal-key-for-scripts',
      DEMO_OPS_KEY: 'demo-ops-key-for-scripts',
    };
    const seeded = await seedDemo(deps, env);
    expect(seeded.keys).toEqual({
      owner: env.DEMO_OWNER_KEY,
      terminal: env.DEMO_TERMINAL_KEY,
      ops: env.DEMO_OPS_KEY,
    });
    await seedDemo(deps, env);
    for (const key of Object.values(env)) expect(await isActive(key)).toBe(true);
    const active = await keys.listActiveDemo();
    expect(active).toHaveLength(3);

    const banner = demoBanner(seeded, 'http://127.0.0.1:3000');
    expect(banner).toContain(`Authorization: Bearer ${env.DEMO_TERMINAL_KEY}`);
    expect(banner).toContain('curl -sS -X POST http://127.0.0.1:3000/v1/payments');
    expect(banner).toContain('Idempotency-Key');
    expect(banner).toContain(
      `'{"orderRef":"DEMO-'"$(date +%s)"'","amount":10,"phone":"0712345678"}'`,
    );
    expect(banner).toContain('Console: http://127.0.0.1:3000/console/');
  });

  it('refuses a DEMO_*_KEY that is already a non-demo key', async () => {
    const { tenantId } = await seedDemo(deps, {});
    await keys.create({
      tenantId: asTenantId(tenantId),
      role: 'owner',
      name: 'real',
      prefix: 'real',
      keyHash: hashApiKey('a-real-owner-key'),
    });
    await expect(seedDemo(deps, { DEMO_OWNER_KEY: 'a-real-owner-key' })).rejects.toThrow(
      /DEMO_OWNER_KEY is already used/,
    );
  });

  it('blocks production boot while a demo key is active, and allows it once all are revoked', async () => {
    await seedDemo(deps, {});
    await expect(assertNoActiveDemoKeys(keys)).rejects.toThrow(ConfigError);
    await expect(assertNoActiveDemoKeys(keys)).rejects.toThrow(/demo API key\(s\) not revoked/);
    await keys.revokeDemo();
    await expect(assertNoActiveDemoKeys(keys)).resolves.toBeUndefined();
  });
});

/** Boots the real api module under a different environment (config is read at import time). */
async function bootApi(env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let loaded!: {
      createHttpApp: typeof import('@malipo/common').createHttpApp;
      ApiModule: typeof import('../../../apps/api/src/api.module').ApiModule;
    };
    await jest.isolateModulesAsync(async () => {
      const { createHttpApp } = await import('@malipo/common');
      const { ApiModule } = await import('../../../apps/api/src/api.module');
      loaded = { createHttpApp, ApiModule };
    });
    return await loaded.createHttpApp(loaded.ApiModule);
  } finally {
    process.env = saved;
  }
}

describe('api boot with demo keys', () => {
  const testDb = connectTestDb();
  afterAll(() => testDb.close());

  it('prints working demo keys and a curl example on stdout in simulator mode', async () => {
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    const app = await bootApi({ NODE_ENV: 'development', DARAJA_MODE: 'simulator', PORT: '3999' });
    try {
      await app.init();
    } finally {
      write.mockRestore();
    }
    try {
      const text = printed.join('');
      const owner = /owner key\s+(\S+)/.exec(text)?.[1] as string;
      expect(owner).toMatch(/^mlp_owner_/);
      expect(text).toContain('curl -sS -X POST http://127.0.0.1:3999/v1/payments');
      const res = await app.inject({
        method: 'GET',
        url: '/v1/terminals',
        headers: { authorization: `Bearer ${owner}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().map((t: { code: string }) => t.code)).toEqual(['till-1']);
    } finally {
      await app.close();
    }
  });

  it('refuses to start in production while a demo key is active', async () => {
    await seedDemo({ db: testDb.db, box: testSecretBox() }, {});
    const app = await bootApi({
      NODE_ENV: 'production',
      DARAJA_MODE: 'sandbox',
      AUDIT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
    });
    try {
      await expect(app.init()).rejects.toThrow(/demo API key\(s\) not revoked/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
