/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { schema } from '@malipo/db';
import { and, eq } from 'drizzle-orm';
import type { AxiosInstance } from 'axios';
import type { Page } from 'playwright-core';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { payingPhone, scenarioPhone } from '../../support/nest-apps';
import { startConsoleStack, type ConsoleStack } from './console-harness';
import { expectAccessible, signIn, watchCsp } from './console-pages';
import { simControl } from './sim-control';

describe('console: the shop owner and the operator (Chromium, api + worker + simulator)', () => {
  let stack: ConsoleStack;
  let shop: TenantWithKeys;
  let other: TenantWithKeys;
  let till: AxiosInstance;
  let owner: AxiosInstance;

  const pay = async (orderRef: string, phone = payingPhone(), amount = 10, cashier?: string) => {
    const res = await till.post(
      '/v1/payments',
      { orderRef, amount, phone, cashier },
      { headers: { 'idempotency-key': orderRef } },
    );
    expect(res.status).toBe(201);
    return res.data as { id: string };
  };
  const settled = (id: string) =>
    eventually(
      () => owner.get(`/v1/payments/${id}`),
      (r) => !['created', 'awaiting_customer', 'unknown'].includes(r.data.status),
    );
  const ownerPage = async (start = '/console/'): Promise<Page> => {
    const page = await stack.newPage();
    await signIn(page, shop.ownerKey, start);
    return page;
  };
  const payments = (page: Page) => page.getByRole('table', { name: 'Payments' });
  const download = async (page: Page, link: string): Promise<string> => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: link }).click(),
    ]);
    return readFileSync(await file.path(), 'utf8');
  };

  beforeAll(async () => {
    stack = await startConsoleStack();
    shop = await createTenantWithKeys(stack.db, { name: 'Duka la Juma' });
    other = await createTenantWithKeys(stack.db, { name: 'Other Shop' });
    till = client(stack.api.url, shop.terminalKey);
    owner = client(stack.api.url, shop.ownerKey);
  });

  afterEach(async () => {
    await stack.closePages();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('shows the till’s payment in the owner’s table live, and never another shop’s', async () => {
    const theirs = await client(stack.api.url, other.terminalKey).post(
      '/v1/payments',
      { orderRef: 'OTHER-SHOP-1', amount: 10, phone: payingPhone() },
      { headers: { 'idempotency-key': 'other-shop-1' } },
    );
    const page = await ownerPage();
    expect(new URL(page.url()).pathname).toBe('/console/shop/payments');
    await payments(page).waitFor();
    await expectAccessible(page);
    const mine = await pay('LIVE-1');
    await payments(page)
      .getByRole('row')
      .filter({ hasText: 'LIVE-1' })
      .filter({ hasText: 'Paid' })
      .waitFor();
    expect(await payments(page).innerText()).not.toMatch(/OTHER-SHOP-1/);
    await page.goto(`/console/shop/payments/${theirs.data.id}`);
    await page.getByText('This payment does not exist or is not yours.').waitFor();
    await settled(mine.id);
  });

  it('shows money paid to the till by hand, matching no order, live on the owner’s page (issue 16)', async () => {
    const reg = await owner.post(`/v1/channels/${shop.channelId}/c2b/register`, {});
    expect(reg.data.kind).toBe('registered');
    const page = await ownerPage('/console/shop/payments');
    await payments(page).waitFor();
    const region = page.getByRole('region', { name: 'Paid without a prompt' });
    expect(await region.count()).toBe(0);
    const paid = await fetch(`${stack.sim.url}/sim/c2b/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shortCode: '174379',
        amount: 70,
        phone: '254712345678',
        billRefNumber: 'NO-SUCH-ORDER',
      }),
    }).then((r) => r.json() as Promise<{ transId: string }>);
    await region.getByLabel(`Order for ${paid.transId}`).waitFor();
    expect(await region.innerText()).toMatch(/KES 70/);
  });

  it('filters payments through the URL, shows totals, exports the filter as CSV, opens a timeline', async () => {
    const failed = await pay('FILTER-FAIL-1', scenarioPhone('0001'), 35);
    const ok = await pay('FILTER-OK-1', payingPhone(), 45, 'Achieng');
    await settled(failed.id);
    await settled(ok.id);
    const page = await ownerPage('/console/shop/payments');
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=failed/);
    await payments(page)
      .getByRole('row')
      .filter({ hasText: 'FILTER-OK-1' })
      .waitFor({ state: 'detached' });
    await payments(page).getByRole('row').filter({ hasText: 'FILTER-FAIL-1' }).waitFor();
    expect(await payments(page).innerText()).not.toMatch(/FILTER-OK-1/);
    expect(
      await page.getByRole('region', { name: 'Totals for these filters' }).innerText(),
    ).toMatch(/Failed: \d+/);
    const csv = await download(page, 'Export CSV');
    expect(csv).toMatch(/FILTER-FAIL-1/);
    expect(csv).not.toMatch(/FILTER-OK-1/);
    // A shared link carries the same filters.
    await page.goto(`/console/shop/payments?orderRef=FILTER-OK-1`);
    const row = payments(page).getByRole('row').filter({ hasText: 'FILTER-OK-1' });
    expect(await row.innerText()).toMatch(/Achieng/);
    await row.getByRole('link').click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Paid').waitFor();
    expect(await timeline.innerText()).toMatch(/Created[\s\S]*Waiting for customer[\s\S]*Paid/);
    expect(await page.getByRole('table', { name: 'Prompts sent' }).innerText()).toMatch(/^1\s/m);
    await page
      .getByRole('definition')
      .filter({ hasText: /^Achieng$/ })
      .waitFor();
    await expectAccessible(page);
  });

  it('exports the report’s range as CSV and draws the chart', async () => {
    const page = await ownerPage('/console/shop/reports');
    const csp = watchCsp(page);
    await page.getByRole('img', { name: /Amount and number of payments per day/ }).waitFor();
    await page.getByText(/Success rate/).waitFor();
    // FILTER-FAIL-1 above: the simulator's "insufficient funds" (result code 1).
    await page.getByRole('table', { name: 'Failure reasons' }).getByText(/^1: /).waitFor();
    await expectAccessible(page);
    const csv = await download(page, 'Export CSV');
    expect(csv.split('\n')[0]).toMatch(/order/i);
    expect(csv).toMatch(/LIVE-1/);
    expect(csv).not.toMatch(/OTHER-SHOP-1/);
    expect(csp).toEqual([]); // the chart library styles through the CSSOM, not inline styles
  });

  it('acknowledges a discrepancy, then resolves it with a note', async () => {
    const sim = simControl(stack.sim);
    const phone = payingPhone();
    sim.hold(phone);
    const p = await pay('DISC-1', phone);
    await eventually(
      () => owner.get(`/v1/payments/${p.id}`),
      (r) => r.data.status === 'awaiting_customer',
    );
    await owner.post(`/v1/payments/${p.id}/cancel`, {});
    await sim.complete(phone);
    await eventually(
      () => owner.get('/v1/discrepancies'),
      (r) => r.data.items.length > 0,
    );
    const page = await ownerPage('/console/shop/discrepancies');
    const item = page.getByRole('listitem').filter({ hasText: 'paid after cancel' });
    await item.waitFor();
    await expectAccessible(page);
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('No open discrepancies.').waitFor();
    await page.getByLabel('Show').selectOption('acknowledged');
    const acked = page.getByRole('listitem').filter({ hasText: 'paid after cancel' });
    await acked.getByLabel('Note').fill('Refunded the cash to the customer');
    await acked.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('No acknowledged discrepancies.').waitFor();
    const resolved = await owner.get('/v1/discrepancies', { params: { state: 'resolved' } });
    expect(resolved.data.items[0].note).toBe('Refunded the cash to the customer');
  });

  it('lets the operator replay a dead callback, run a reconciliation and see every screen', async () => {
    const p = await pay('DEAD-1');
    await settled(p.id);
    const inbox = schema.callbackInbox;
    const [processed] = await stack.db
      .select()
      .from(inbox)
      .where(and(eq(inbox.tenantId, shop.tenantId), eq(inbox.state, 'processed')))
      .limit(1);
    const { id: _id, ...copy } = processed;
    const [dead] = await stack.db
      .insert(inbox)
      .values({
        ...copy,
        state: 'dead',
        lastError: 'worker gave up (test)',
        processedAt: null,
        // Newest first: other spec files dead-letter callbacks of their own meanwhile.
        receivedAt: new Date(),
      })
      .returning();
    const page = await stack.newPage();
    await signIn(page, shop.opsKey);
    expect(new URL(page.url()).pathname).toBe('/console/ops/shops');
    await page.getByRole('link', { name: 'Duka la Juma' }).first().waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Callbacks' }).click();
    await page.getByRole('button', { name: `Replay callback ${dead.id.slice(0, 8)}` }).click();
    await page.getByText('Replayed: the callback is queued again.').waitFor();
    await expectAccessible(page);
    await eventually(
      async () => (await stack.db.select().from(inbox).where(eq(inbox.id, dead.id)))[0],
      (row) => row.state === 'processed',
    );
    await page.getByRole('navigation').getByRole('link', { name: 'Reconciliation' }).click();
    // One shop: the run over every shop of the whole test database could take long.
    await page.getByLabel('Shop id (empty: all)').fill(shop.tenantId);
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('status').filter({ hasText: 'completed' }).waitFor();
    expect(await page.getByRole('status').innerText()).toMatch(/"tenants": \d+/);
    for (const [link, heading] of [
      ['Health', 'Health'],
      ['Reconciliation', 'Reconciliation'],
      ['Discrepancies', 'Discrepancies'],
    ]) {
      await page.getByRole('navigation').getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expectAccessible(page);
    }
    await page.getByRole('navigation').getByRole('link', { name: 'Shops' }).click();
    await page.getByRole('link', { name: 'Duka la Juma' }).first().click();
    await payments(page).getByRole('row').filter({ hasText: 'DEAD-1' }).waitFor();
  });
});
