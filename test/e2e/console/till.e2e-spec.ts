/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import type { Namespace } from 'socket.io';
import { TerminalsGateway } from '../../../apps/api/src/realtime/terminals.gateway';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { payingPhone, scenarioPhone } from '../../support/nest-apps';
import { startConsoleStack, type ConsoleStack } from './console-harness';
import { expectAccessible, sell, signIn, statusShows, watchCsp } from './console-pages';
import { simControl } from './sim-control';

const RECEIPT = /[A-Z0-9]{10}/;

describe('console: the till (Chromium, api + worker + simulator)', () => {
  let stack: ConsoleStack;
  let shop: TenantWithKeys;
  let sim: ReturnType<typeof simControl>;

  const till = async (opts: { width?: number; start?: string } = {}): Promise<Page> => {
    const page = await stack.newPage(opts);
    await signIn(page, shop.terminalKey, opts.start);
    return page;
  };
  const dropSockets = () =>
    (stack.api.app.get(TerminalsGateway) as unknown as { nsp: Namespace }).nsp.disconnectSockets(
      true,
    );
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  beforeAll(async () => {
    stack = await startConsoleStack({ REALTIME_KEY_RECHECK_MS: '300' });
    shop = await createTenantWithKeys(stack.db, { name: 'Mama Mboga Stores' });
    sim = simControl(stack.sim);
  });

  afterEach(async () => {
    await stack.closePages();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('has an accessible sign-in screen that says when a key is wrong', async () => {
    const page = await stack.newPage({ width: 360 });
    await page.goto('/console/');
    await page.getByLabel('API key').fill('mlp_terminal_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid or has been revoked' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expectAccessible(page);
  });

  it('takes a payment end to end, shows the receipt in the status and prints it', async () => {
    const page = await till();
    const csp = watchCsp(page);
    expect(new URL(page.url()).pathname).toBe('/console/till');
    await expectAccessible(page);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await sell(page, { amount: '10', phone: payingPhone() });
    const text = await statusShows(page, RECEIPT);
    expect(text).toMatch(/Paid/);
    expect(text).toMatch(/KES 10/);
    await expectAccessible(page);
    await button(page, 'Print receipt').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('region', { name: 'Receipt' }).isVisible()).toBe(true);
    expect(await page.getByRole('status').isVisible()).toBe(false);
    expect(await page.getByRole('region', { name: 'Receipt' }).innerText()).toMatch(
      /Mama Mboga Stores/,
    );
    await page.emulateMedia({ media: 'screen' });
    await button(page, 'New sale').click();
    await page.getByLabel('Amount').waitFor();
    expect(csp).toEqual([]);
  });

  it.each([
    ['1032', /Customer cancelled/],
    ['0001', /Not enough money/],
    ['2001', /Wrong PIN/],
    ['1037', /No answer from the phone/],
  ])('phone ending %s: says why and "Try again" sends a new prompt', async (suffix, reason) => {
    const page = await till();
    const phone = scenarioPhone(suffix);
    await sell(page, { amount: '25', phone });
    await statusShows(page, reason);
    await expectAccessible(page);
    await button(page, 'Try again').click();
    await statusShows(page, reason, 'prompt 2');
    expect(sim.pushesTo(phone)).toBe(2);
  });

  it('after a failure, changes the phone number and takes the payment on the new one', async () => {
    const page = await till();
    await sell(page, { amount: '30', phone: scenarioPhone('0001'), orderRef: 'ORDER-CHANGE-1' });
    await statusShows(page, /Not enough money/);
    await button(page, 'Change phone number').click();
    expect(await page.getByLabel('Amount').inputValue()).toBe('30');
    expect(await page.getByLabel('Order reference').inputValue()).toBe('ORDER-CHANGE-1');
    await page.getByLabel('Phone number').fill(payingPhone());
    await button(page, 'Send prompt').click();
    expect(await statusShows(page, RECEIPT)).toMatch(/ORDER-CHANGE-1/);
  });

  it('records "Customer paid cash" after a failure, server-side', async () => {
    const page = await till();
    await sell(page, { amount: '40', phone: scenarioPhone('2001') });
    await statusShows(page, /Wrong PIN/);
    await button(page, 'Customer paid cash').click();
    await statusShows(page, /Paid in cash/);
    const owner = client(stack.api.url, shop.ownerKey);
    const list = await owner.get('/v1/payments', { params: { status: 'paid_cash' } });
    expect(list.data.items.some((p: { amount: number }) => p.amount === 40)).toBe(true);
  });

  it('says what is wrong with the phone number before sending anything', async () => {
    const page = await till();
    await sell(page, { amount: '10', phone: '0812 345 678' });
    await page.getByText(/starts with 07 or 01/).waitFor();
    await page.getByLabel('Phone number').fill('07123');
    await page.getByText(/too short/).waitFor();
    expect(await page.getByRole('status').count()).toBe(0);
  });

  it('opens prefilled from ?orderRef=&amount=&phone= and works at 360 px', async () => {
    const phone = payingPhone();
    const page = await till({
      width: 360,
      start: `/console/till?orderRef=POS-77&amount=120&phone=${phone}`,
    });
    expect(await page.getByLabel('Order reference').inputValue()).toBe('POS-77');
    expect(await page.getByLabel('Amount').inputValue()).toBe('120');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await expectAccessible(page);
    await button(page, 'Send prompt').click();
    expect(await statusShows(page, RECEIPT)).toMatch(/KES 120/);
  });

  it('shows loudly a success that arrives after the cashier cancelled (Escape)', async () => {
    const page = await till();
    const phone = payingPhone();
    sim.hold(phone);
    await sell(page, { amount: '55', phone });
    await statusShows(page, /Check your phone/);
    await page.keyboard.press('Escape');
    await statusShows(page, /Cancelled/);
    await sim.complete(phone);
    const text = await statusShows(page, /Paid by M-Pesa after all/);
    expect(text).toMatch(/Do not charge them again/);
  });

  it('says when the outcome is unknown and refuses a second prompt until it is settled', async () => {
    const page = await till();
    const phone = payingPhone();
    sim.hold(phone, { lostAnswer: true });
    await sell(page, { amount: '85', phone });
    await statusShows(page, /Outcome not known yet/);
    expect(await button(page, 'Try again').count()).toBe(0);
    expect(await button(page, 'Customer paid cash').count()).toBe(0);
    expect(await button(page, 'Send prompt').count()).toBe(0);
    await expectAccessible(page);
    await sim.complete(phone);
    await statusShows(page, RECEIPT);
    expect(sim.pushesTo(phone)).toBe(1);
  });

  it('resumes the payment in flight after a reload', async () => {
    const page = await till();
    const phone = payingPhone();
    sim.hold(phone);
    await sell(page, { amount: '65', phone });
    await statusShows(page, /Check your phone/);
    await page.reload();
    expect(await statusShows(page, /Check your phone/)).toMatch(/KES 65/);
    await page.getByText(/Time left/).waitFor();
    await sim.complete(phone);
    await statusShows(page, RECEIPT);
  });

  it('resumes after the network drops and comes back, with the outcome it missed', async () => {
    const page = await till();
    const phone = payingPhone();
    sim.hold(phone);
    await sell(page, { amount: '75', phone });
    await statusShows(page, /Check your phone/);
    // The till's network goes away and the server loses its socket.
    await page.context().setOffline(true);
    dropSockets();
    await page.getByText(/Reconnecting/).waitFor();
    await sim.complete(phone);
    await page.context().setOffline(false);
    await statusShows(page, RECEIPT);
  });

  it('signs the till out when its key is revoked', async () => {
    const other = await createTenantWithKeys(stack.db);
    const page = await stack.newPage();
    // Connected first, so the revocation reaches a live socket (KeyRevocationWatcher), not a handshake.
    const live = page.waitForEvent('websocket').then((ws) =>
      ws.waitForEvent('framereceived', {
        predicate: (f) => String(f.payload).startsWith('40/terminals'),
      }),
    );
    await signIn(page, other.terminalKey);
    await live;
    const owner = client(stack.api.url, other.ownerKey);
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
    const other = await createTenantWithKeys(stack.db);
    const theirs = await client(stack.api.url, other.terminalKey).post(
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
    expect(
      (await page.request.post(`/v1/payments/${theirs.data.id}/cancel`, { data: {} })).status(),
    ).toBe(403);
  });
});
