import type { TenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

describe('console sessions and serving (api over HTTP)', () => {
  let stack: Stack;
  let api: Stack['api'];
  let shop: TenantWithKeys;

  const signIn = async (apiKey: string) => {
    const res = await client(api.url).post('/v1/session', { apiKey });
    const cookie = String(res.headers['set-cookie']?.[0] ?? '');
    return { res, cookie, session: cookie.split(';')[0] };
  };

  beforeAll(async () => {
    stack = await startStack({ worker: false, env: { LOG_LEVEL: 'silent' } });
    api = stack.api;
    shop = await stack.shop();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('exchanges a key for an HttpOnly, SameSite=Strict session cookie and never returns the key', async () => {
    const { res, cookie } = await signIn(shop.terminalKey);
    expect(res.status).toBe(201);
    expect(cookie).toMatch(/^malipo_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Secure/); // everywhere but NODE_ENV=development
    expect(cookie).toMatch(/Max-Age=1800/);
    expect(JSON.stringify(res.data)).not.toContain(shop.terminalKey);
    expect(res.data).toMatchObject({
      role: 'terminal',
      terminalName: 'Till 1',
      csrfToken: expect.any(String),
    });
  });

  it('refuses an unknown key with the error model', async () => {
    const res = await client(api.url).post('/v1/session', { apiKey: 'mlp_owner_nope' });
    expect(res.status).toBe(401);
    expect(res.data).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', requestId: expect.any(String) });
    expect((await client(api.url).post('/v1/session', {})).data.code).toBe('VALIDATION.FAILED');
  });

  it('reads with the cookie, and writes only with the session’s CSRF token', async () => {
    const { res, session } = await signIn(shop.terminalKey);
    const http = client(api.url, undefined, { cookie: session });
    expect((await http.get('/v1/payments')).status).toBe(200);
    const body = { orderRef: 'CSRF-1', amount: 10, phone: payingPhone() };
    const bare = await http.post('/v1/payments', body, {
      headers: { 'idempotency-key': 'csrf-1' },
    });
    expect(bare.status).toBe(403);
    expect(bare.data.code).toBe('AUTH.CSRF');
    const wrong = await http.post('/v1/payments', body, {
      headers: { 'idempotency-key': 'csrf-1', 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.status).toBe(403);
    const ok = await http.post('/v1/payments', body, {
      headers: { 'idempotency-key': 'csrf-1', 'x-csrf-token': res.data.csrfToken },
    });
    expect(ok.status).toBe(201);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const { res, session } = await signIn(shop.ownerKey);
    const http = client(api.url, undefined, {
      cookie: session,
      'x-csrf-token': res.data.csrfToken,
    });
    const out = await http.delete('/v1/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/malipo_session=;.*Max-Age=0/);
    expect((await http.get('/v1/session')).status).toBe(401);
  });

  it('serves the console with a strict CSP, index uncached, hashed assets immutable, SPA fallback', async () => {
    const http = client(api.url);
    const index = await http.get('/console/shop/payments?status=failed');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const asset = /\/console\/assets\/[\w.-]+\.js/.exec(index.data as string)?.[0];
    expect(asset).toBeDefined();
    const js = await http.get(asset as string);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toMatch(/immutable/);
    expect((await http.get('/console/assets/missing-0000.js')).status).toBe(404);
    // Swagger UI keeps working: the console's CSP is not applied to /docs.
    expect((await http.get('/docs')).headers['content-security-policy']).toBeUndefined();
  });
});
