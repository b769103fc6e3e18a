import { randomBytes } from 'node:crypto';
import axios, { type AxiosResponse } from 'axios';
import { eq } from 'drizzle-orm';
import { schema } from '@malipo/db';
import type { TenantWithKeys } from '../../factories/tenancy';
import { startStack, type Stack } from '../../support/stack';

const secretish = () => `s3cr3t-${randomBytes(12).toString('hex')}`;

describe('admin API', () => {
  let stack: Stack;
  let base: string;
  let a: TenantWithKeys;
  let b: TenantWithKeys;

  const call = async (
    method: 'get' | 'post',
    url: string,
    key: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AxiosResponse> =>
    axios.request({
      method,
      url: `${base}${url}`,
      data: body,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      validateStatus: () => true,
    });

  const channelBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'Main till',
    kind: 'till',
    shortcode: '600100',
    partyB: '600200',
    environment: 'simulator',
    passkey: secretish(),
    consumerKey: secretish(),
    consumerSecret: secretish(),
    ...overrides,
  });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    base = stack.api.url;
    a = await stack.shop();
    b = await stack.shop();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lets ops create a tenant, then a channel, terminal and keys that work', async () => {
    const tenant = await call('post', '/v1/tenants', a.opsKey, { name: 'New shop' });
    expect(tenant.status).toBe(201);
    expect(tenant.data).toMatchObject({ name: 'New shop', isDemo: false, status: 'active' });
    const listed = await call('get', '/v1/tenants', a.opsKey);
    expect(listed.data.map((t: { id: string }) => t.id)).toContain(tenant.data.id);

    const asTenant = { 'x-tenant-id': tenant.data.id };
    const owner = await call('post', '/v1/keys', a.opsKey, { role: 'owner', name: 'o' }, asTenant);
    expect(owner.status).toBe(201);
    expect(owner.data.key).toMatch(/^mlp_owner_[0-9a-f]{48}$/);
    expect(owner.data.key.startsWith(owner.data.prefix)).toBe(true);

    const channel = await call('post', '/v1/channels', owner.data.key, channelBody());
    expect(channel.status).toBe(201);
    expect(channel.data).toMatchObject({
      tenantId: tenant.data.id,
      kind: 'till',
      partyB: '600200',
    });

    const terminal = await call('post', '/v1/terminals', owner.data.key, {
      name: 'Till 1',
      code: 'till-1',
      channelId: channel.data.id,
    });
    expect(terminal.status).toBe(201);
    expect(terminal.data).toMatchObject({ code: 'till-1', channelId: channel.data.id });
    const dup = await call('post', '/v1/terminals', owner.data.key, { name: 'x', code: 'till-1' });
    expect(dup.status).toBe(409);
    expect(dup.data.code).toBe('TERMINAL.CODE_TAKEN');

    const termKey = await call('post', '/v1/keys', owner.data.key, {
      role: 'terminal',
      name: 'Till 1 tablet',
      terminalId: terminal.data.id,
    });
    expect(termKey.status).toBe(201);
    expect(termKey.data).toMatchObject({ role: 'terminal', terminalId: terminal.data.id });

    const terminals = await call('get', '/v1/terminals', owner.data.key);
    expect(terminals.data.map((t: { id: string }) => t.id)).toEqual([terminal.data.id]);
  });

  it('turns on confirm-by-STK-Query per channel, off unless asked, and refuses a non-boolean', async () => {
    const plain = await call('post', '/v1/channels', a.ownerKey, channelBody());
    const strict = await call('post', '/v1/channels', a.ownerKey, {
      ...channelBody(),
      confirmWithQuery: true,
    });
    const bad = await call('post', '/v1/channels', a.ownerKey, {
      ...channelBody(),
      confirmWithQuery: 'yes',
    });
    expect([plain.status, strict.status, bad.status]).toEqual([201, 201, 400]);
    expect([plain.data.confirmWithQuery, strict.data.confirmWithQuery]).toEqual([false, true]);
    expect(JSON.stringify(bad.data)).toContain('confirmWithQuery');
  });

  it('never returns channel secrets, and stores them sealed', async () => {
    const body = channelBody({ kind: 'paybill', shortcode: '174379', partyB: undefined });
    const created = await call('post', '/v1/channels', a.ownerKey, body);
    expect(created.status).toBe(201);
    expect(created.data.partyB).toBe('174379');
    const one = await call('get', `/v1/channels/${created.data.id}`, a.ownerKey);
    const list = await call('get', '/v1/channels', a.ownerKey);
    expect(one.status).toBe(200);
    expect(list.data.map((c: { id: string }) => c.id)).toContain(created.data.id);
    for (const res of [created, one, list]) {
      const text = JSON.stringify(res.data);
      for (const secret of [body.passkey, body.consumerKey, body.consumerSecret]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/passkey|consumer|secret|sealed|fingerprint/i);
    }
    const [row] = await stack.db
      .select()
      .from(schema.channels)
      .where(eq(schema.channels.id, created.data.id));
    expect(row.secretsSealed).not.toContain(body.passkey);
    expect(row.secretsSealed).not.toContain(body.consumerSecret);
  });

  it("answers 404 for another tenant's channel, terminal and key", async () => {
    const other = await call('get', `/v1/channels/${b.channelId}`, a.ownerKey);
    expect(other.status).toBe(404);
    expect(other.data.code).toBe('CHANNEL.NOT_FOUND');
    const listed = await call('get', '/v1/channels', a.ownerKey);
    expect(listed.data.map((c: { id: string }) => c.id)).not.toContain(b.channelId);

    const key = await call('post', '/v1/keys', a.ownerKey, {
      role: 'terminal',
      name: 'sneaky',
      terminalId: b.terminalId,
    });
    expect(key.status).toBe(404);
    const keys = await call('get', '/v1/keys', b.ownerKey);
    const revoke = await call('post', `/v1/keys/${keys.data[0].id}/revoke`, a.ownerKey);
    expect(revoke.status).toBe(404);
    const terminal = await call('post', '/v1/terminals', a.ownerKey, {
      name: 't',
      code: 'borrowed',
      channelId: b.channelId,
    });
    expect(terminal.status).toBe(404);

    const viaHeader = await call('get', '/v1/channels', a.ownerKey, undefined, {
      'x-tenant-id': b.tenantId,
    });
    expect(viaHeader.status).toBe(404);
    const opsView = await call('get', `/v1/channels/${b.channelId}`, a.opsKey, undefined, {
      'x-tenant-id': b.tenantId,
    });
    expect(opsView.status).toBe(200);
  });

  it('keeps terminal keys out of the admin API and owners out of ops routes', async () => {
    for (const [method, url] of [
      ['get', '/v1/channels'],
      ['post', '/v1/channels'],
      ['get', '/v1/terminals'],
      ['get', '/v1/keys'],
      ['post', '/v1/keys'],
      ['get', '/v1/tenants'],
    ] as const) {
      const res = await call(method, url, a.terminalKey, method === 'post' ? {} : undefined);
      expect([url, res.status, res.data.code]).toEqual([url, 403, 'AUTH.FORBIDDEN']);
    }
    const tenants = await call('get', '/v1/tenants', a.ownerKey);
    expect(tenants.status).toBe(403);
    const ops = await call('post', '/v1/keys', a.ownerKey, { role: 'ops', name: 'escalate' });
    expect(ops.status).toBe(403);
    expect(ops.data.code).toBe('AUTH.FORBIDDEN');
  });

  it('answers 401 without a key, with an unknown key, and at once after revocation', async () => {
    for (const key of [undefined, 'mlp_owner_nope', `${a.ownerKey}x`]) {
      const res = await call('get', '/v1/channels', key);
      expect(res.status).toBe(401);
      expect(res.data.code).toBe('AUTH.UNAUTHENTICATED');
    }
    const created = await call('post', '/v1/keys', a.ownerKey, { role: 'owner', name: 'temp' });
    const temp = created.data.key as string;
    expect((await call('get', '/v1/channels', temp)).status).toBe(200);
    const revoked = await call('post', `/v1/keys/${created.data.id}/revoke`, a.ownerKey);
    expect(revoked.status).toBe(200);
    expect(revoked.data.revokedAt).toEqual(expect.any(String));
    const after = await call('get', '/v1/channels', temp);
    expect(after.status).toBe(401);
    expect(after.data.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('lists keys by prefix only and records their use', async () => {
    await call('get', '/v1/channels', a.terminalKey);
    const res = await call('get', '/v1/keys', a.ownerKey);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.data);
    for (const key of [a.ownerKey, a.terminalKey]) expect(text).not.toContain(key);
    expect(text).not.toMatch(/key_?hash|"key"/i);
    expect(res.data.map((k: { role: string }) => k.role)).toEqual(
      expect.arrayContaining(['owner', 'terminal']),
    );
    expect(res.data.find((k: { role: string }) => k.role === 'owner').lastUsedAt).toEqual(
      expect.any(String),
    );
    const opsKeys = await call('get', '/v1/keys', a.opsKey);
    expect(opsKeys.data.every((k: { role: string }) => k.role === 'ops')).toBe(true);
  });

  it.each([
    [{ kind: 'bank' }, 'kind'],
    [{ shortcode: '12' }, 'shortcode'],
    [{ kind: 'till', partyB: undefined }, 'partyB'],
    [{ kind: 'paybill', shortcode: '174379', partyB: '174380' }, 'partyB'],
    [{ environment: 'staging' }, 'environment'],
    [{ passkey: 42 }, 'passkey'],
    [{ consumerSecret: undefined }, 'consumerSecret'],
    [{ isAdmin: true }, 'isAdmin'],
    [{ queryBudgetPerMinute: 1.5 }, 'queryBudgetPerMinute'],
  ])('rejects channel %j with 400 naming %s, writing nothing', async (overrides, field) => {
    const before = (await call('get', '/v1/channels', a.ownerKey)).data.length;
    const res = await call('post', '/v1/channels', a.ownerKey, channelBody(overrides));
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ code: 'VALIDATION.FAILED', details: { field } });
    expect((await call('get', '/v1/channels', a.ownerKey)).data.length).toBe(before);
  });

  it('asks ops for the tenant they act on', async () => {
    const missing = await call('get', '/v1/channels', a.opsKey);
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({
      code: 'TENANT.REQUIRED',
      details: { field: 'x-tenant-id' },
    });
    const unknown = await call(
      'post',
      '/v1/terminals',
      a.opsKey,
      { name: 't', code: 'c' },
      {
        'x-tenant-id': '00000000-0000-4000-8000-000000000000',
      },
    );
    expect(unknown.status).toBe(404);
    const terminalKeyWithoutTerminal = await call('post', '/v1/keys', a.ownerKey, {
      role: 'terminal',
      name: 'x',
    });
    expect(terminalKeyWithoutTerminal.status).toBe(400);
    expect(terminalKeyWithoutTerminal.data.details.field).toBe('terminalId');
    const badId = await call('get', '/v1/channels/not-a-uuid', a.ownerKey);
    expect(badId.status).toBe(404);
  });
});
