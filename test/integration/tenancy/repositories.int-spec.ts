import { randomUUID } from 'node:crypto';
import { AppConfig, asTenantId, generateApiKey, hashApiKey } from '@malipo/common';
import {
  ApiKeysRepository,
  ChannelCredentialsReader,
  ChannelsRepository,
  TenantsRepository,
  TerminalsRepository,
} from '@malipo/db';
import { sql } from 'drizzle-orm';
import {
  SANDBOX_PAYBILL,
  connectTestDb,
  createTenantWithKeys,
  testSecretBox,
  type TenantWithKeys,
} from '../../factories/tenancy';

describe('tenancy repositories', () => {
  const testDb = connectTestDb();
  const tenants = new TenantsRepository(testDb.db);
  const channels = new ChannelsRepository(testDb.db);
  const terminals = new TerminalsRepository(testDb.db);
  const keys = new ApiKeysRepository(testDb.db);
  let a: TenantWithKeys;
  let b: TenantWithKeys;

  beforeAll(async () => {
    a = await createTenantWithKeys(testDb.db);
    b = await createTenantWithKeys(testDb.db);
  });

  afterAll(() => testDb.close());

  it("finds a tenant's own channel and not another tenant's", async () => {
    expect((await channels.findById(a.tenantId, a.channelId))?.id).toBe(a.channelId);
    expect(await channels.findById(a.tenantId, b.channelId)).toBeUndefined();
    expect((await channels.list(a.tenantId)).map((c) => c.id)).toEqual([a.channelId]);
    expect((await channels.listActive(b.tenantId)).map((c) => c.id)).toEqual([b.channelId]);
  });

  it("finds a tenant's own terminal and not another tenant's, by id or by code", async () => {
    const mine = await terminals.findById(a.tenantId, a.terminalId);
    expect(mine?.id).toBe(a.terminalId);
    expect(await terminals.findById(a.tenantId, b.terminalId)).toBeUndefined();
    const theirs = await terminals.findById(b.tenantId, b.terminalId);
    expect(await terminals.findByCode(a.tenantId, theirs!.code)).toBeUndefined();
    expect((await terminals.findByCode(a.tenantId, mine!.code))?.id).toBe(a.terminalId);
    expect((await terminals.list(a.tenantId)).map((t) => t.id)).toEqual([a.terminalId]);
  });

  it('allows the same terminal code in two tenants but not twice in one', async () => {
    const code = `dup-${randomUUID().slice(0, 8)}`;
    await terminals.create(a.tenantId, { name: 'x', code });
    await terminals.create(b.tenantId, { name: 'x', code });
    await expect(terminals.create(a.tenantId, { name: 'y', code })).rejects.toThrow();
  });

  it("lists and revokes a tenant's own keys only", async () => {
    const listA = await keys.list(a.tenantId);
    expect(listA.map((k) => k.role).sort()).toEqual(['owner', 'terminal']);
    expect(listA.every((k) => k.tenantId === a.tenantId)).toBe(true);
    const bOwner = (await keys.list(b.tenantId)).find((k) => k.role === 'owner')!;
    expect(await keys.findById(a.tenantId, bOwner.id)).toBeUndefined();
    expect(await keys.revoke(a.tenantId, bOwner.id)).toBeUndefined();
    expect(await keys.findActiveByHash(hashApiKey(b.ownerKey))).toBeDefined();
    expect(await keys.revokeOps(bOwner.id)).toBeUndefined();
  });

  it('stops finding a key by hash once it is revoked', async () => {
    const k = generateApiKey('owner');
    const row = await keys.create({
      tenantId: a.tenantId,
      role: 'owner',
      name: 'temp',
      prefix: k.prefix,
      keyHash: k.hash,
    });
    expect((await keys.findActiveByHash(k.hash))?.id).toBe(row.id);
    const revoked = await keys.revoke(a.tenantId, row.id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await keys.findActiveByHash(k.hash)).toBeUndefined();
  });

  it('writes last_used_at at most once a minute', async () => {
    const row = (await keys.list(a.tenantId)).find((k) => k.role === 'owner')!;
    await keys.touchLastUsed(row.id);
    const first = (await keys.findById(a.tenantId, row.id))!.lastUsedAt!;
    await keys.touchLastUsed(row.id);
    expect((await keys.findById(a.tenantId, row.id))!.lastUsedAt).toEqual(first);
    await testDb.db.execute(
      sql`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${row.id}`,
    );
    await keys.touchLastUsed(row.id);
    const later = (await keys.findById(a.tenantId, row.id))!.lastUsedAt!;
    expect(later.getTime()).toBeGreaterThan(first.getTime() - 1);
    expect(later.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("opens a channel's credentials for its own tenant only", async () => {
    const config = Object.assign(new AppConfig(), { DARAJA_SIM_URL: 'http://sim.test:3100' });
    const sut = new ChannelCredentialsReader(channels, testSecretBox(), config);
    const { channel, credentials } = await sut.credentialsFor(a.tenantId, a.channelId);
    expect(channel.id).toBe(a.channelId);
    expect(credentials).toEqual({
      baseUrl: 'http://sim.test:3100',
      kind: 'paybill',
      shortcode: '174379',
      partyB: '174379',
      passkey: SANDBOX_PAYBILL.passkey,
      consumerKey: SANDBOX_PAYBILL.consumerKey,
      consumerSecret: SANDBOX_PAYBILL.consumerSecret,
    });
    await expect(sut.credentialsFor(a.tenantId, b.channelId)).rejects.toMatchObject({
      code: 'CHANNEL.NOT_FOUND',
    });
  });

  it('finds tenants by id, and an unknown tenant owns nothing', async () => {
    expect((await tenants.findById(a.tenantId))?.id).toBe(a.tenantId);
    const nobody = asTenantId(randomUUID());
    expect(await tenants.findById(nobody)).toBeUndefined();
    expect(await channels.list(nobody)).toEqual([]);
    expect(await terminals.list(nobody)).toEqual([]);
    expect(await keys.list(nobody)).toEqual([]);
  });
});
