/// <reference lib="dom" />
import type { Namespace } from 'socket.io';
import { TerminalsGateway } from '../../../apps/api/src/realtime/terminals.gateway';
import { createTenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { RECEIPT, button, expectAccessible, sell, signIn, statusShows } from './console-pages';
import { tillSuite } from './till-suite';

describe('console: the till resumes, warns and stays in its lane (Chromium, full stack)', () => {
  const { ctx, till } = tillSuite({ REALTIME_KEY_RECHECK_MS: '300' });
  const dropSockets = () =>
    (
      ctx.stack.api.app.get(TerminalsGateway) as unknown as { nsp: Namespace }
    ).nsp.disconnectSockets(true);

  it('shows loudly a success that arrives after the cashier cancelled (Escape)', async () => {
    const page = await till();
    const phone = payingPhone();
    ctx.sim.hold(phone);
    await sell(page, { amount: '55', phone });
    await statusShows(page, /Check your phone/);
    await page.keyboard.press('Escape');
    await statusShows(page, /Cancelled/);
    await ctx.sim.complete(phone);
    const text = await statusShows(page, /Paid by M-Pesa after all/);
    expect(text).toMatch(/Do not charge them again/);
  });

  it('says when the outcome is unknown and refuses a second prompt until it is settled', async () => {
    const page = await till();
    const phone = payingPhone();
    ctx.sim.hold(phone, { lostAnswer: true });
    await sell(page, { amount: '85', phone });
    await statusShows(page, /Outcome not known yet/);
    expect(await button(page, 'Try again').count()).toBe(0);
    expect(await button(page, 'Customer paid cash').count()).toBe(0);
    expect(await button(page, 'Send prompt').count()).toBe(0);
    await expectAccessible(page);
    await ctx.sim.complete(phone);
    await statusShows(page, RECEIPT);
    expect(ctx.sim.pushesTo(phone)).toBe(1);
  });

  it('resumes the payment in flight after a reload', async () => {
    const page = await till();
    const phone = payingPhone();
    ctx.sim.hold(phone);
    await sell(page, { amount: '65', phone });
    await statusShows(page, /Check your phone/);
    await page.reload();
    expect(await statusShows(page, /Check your phone/)).toMatch(/KES 65/);
    await page.getByText(/Time left/).waitFor();
    await ctx.sim.complete(phone);
    await statusShows(page, RECEIPT);
  });

  it('resumes after the network drops and comes back, with the outcome it missed', async () => {
    const page = await till();
    const phone = payingPhone();
    ctx.sim.hold(phone);
    await sell(page, { amount: '75', phone });
    await statusShows(page, /Check your phone/);
    // The till's network goes away and the server loses its socket.
    await page.context().setOffline(true);
    dropSockets();
    await page.getByText(/Reconnecting/).waitFor();
    await ctx.sim.complete(phone);
    await page.context().setOffline(false);
    await statusShows(page, RECEIPT);
  });

  it('signs the till out when its key is revoked', async () => {
    const other = await createTenantWithKeys(ctx.stack.db);
    const page = await ctx.stack.newPage();
    // Connected first, so the revocation reaches a live socket (KeyRevocationWatcher), not a handshake.
    const live = page.waitForEvent('websocket').then((ws) =>
      ws.waitForEvent('framereceived', {
        predicate: (f) => String(f.payload).startsWith('40/terminals'),
      }),
    );
    await signIn(page, other.terminalKey);
    await live;
    const owner = client(ctx.stack.api.url, other.ownerKey);
    const keys = await owner.get('/v1/keys');
    const terminalKey = (keys.data.items ?? keys.data).find(
      (k: { role: string }) => k.role === 'terminal',
    );
    expect((await owner.post(`/v1/keys/${terminalKey.id}/revoke`)).status).toBe(200);
    await page.getByLabel('API key').waitFor();
    await page.getByText(/key was revoked/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });

  it('keeps a till key out of owner pages and away from another shop', async () => {
    const other = await createTenantWithKeys(ctx.stack.db);
    const theirs = await client(ctx.stack.api.url, other.terminalKey).post(
      '/v1/payments',
      { orderRef: 'THEIRS-1', amount: 10, phone: payingPhone() },
      { headers: { 'idempotency-key': 'theirs-1' } },
    );
    const page = await till({ start: '/console/shop/payments' });
    await page.getByRole('heading', { name: 'Not available with this key' }).waitFor();
    expect(await page.getByRole('link', { name: 'Payments' }).count()).toBe(0);
    expect(
      (await page.request.get('/v1/reports/range?from=2026-01-01&to=2026-01-02')).status(),
    ).toBe(403);
    expect((await page.request.get(`/v1/payments/${theirs.data.id}`)).status()).toBe(404);
    const cancel = (headers: Record<string, string>) =>
      page.request.post(`/v1/payments/${theirs.data.id}/cancel`, { data: {}, headers });
    expect((await cancel({})).status()).toBe(403); // no CSRF token: refused before anything else
    const { csrfToken } = (await (await page.request.get('/v1/session')).json()) as {
      csrfToken: string;
    };
    expect((await cancel({ 'x-csrf-token': csrfToken })).status()).toBe(404);
  });
});
