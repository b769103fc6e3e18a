/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { AxiosInstance } from 'axios';
import type { Page } from 'playwright-core';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startConsoleStack, type ConsoleStack } from './console-harness';
import { RECEIPT, button, expectAccessible, signIn, statusShows } from './console-pages';

/** Issue 17 in the console: customer accounts for the owner, deposits and charges at the till. */
describe('console: customer accounts (Chromium, api + worker + simulator)', () => {
  let stack: ConsoleStack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let till: AxiosInstance;

  beforeAll(async () => {
    stack = await startConsoleStack();
    shop = await createTenantWithKeys(stack.db, { name: 'Canteen ya Shule' });
    owner = client(stack.api.url, shop.ownerKey);
    till = client(stack.api.url, shop.terminalKey);
  });

  afterEach(async () => {
    await stack.closePages();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const open = async (key: string, start: string): Promise<Page> => {
    const page = await stack.newPage();
    await signIn(page, key, start);
    return page;
  };
  const newAccount = async (name: string, externalRef: string) => {
    const res = await owner.post('/v1/accounts', { name, externalRef });
    expect(res.status).toBe(201);
    return res.data as { id: string };
  };
  const balanceOf = async (id: string): Promise<number> =>
    ((await owner.get(`/v1/accounts/${id}`)).data as { balance: number }).balance;
  /** A deposit through the simulator (the paying phone answers at once), waited for. */
  const deposit = async (accountId: string, amount: number) => {
    const res = await till.post(
      '/v1/payments',
      { accountId, amount, phone: payingPhone() },
      { headers: { 'idempotency-key': `dep-${accountId}-${amount}-${Date.now()}` } },
    );
    expect(res.status).toBe(201);
    await eventually(
      () => owner.get(`/v1/payments/${res.data.id}`),
      (r) => r.data.status === 'succeeded',
    );
  };
  const pick = async (page: Page, search: string, name: RegExp) => {
    await page.getByLabel('Find account').fill(search);
    await page.getByRole('radio', { name }).check();
  };

  it('owner: creates an account, finds it, sees its balance, statement and CSV', async () => {
    const page = await open(shop.ownerKey, '/console/shop/accounts');
    await page.getByRole('table', { name: 'Accounts' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Customer name').fill('Achieng Otieno');
    await page.getByLabel('Your customer id (optional)').fill('PUPIL-7');
    await button(page, 'Create account').click();
    await page.getByRole('heading', { name: 'Achieng Otieno' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(await page.getByRole('status', { name: 'Balance' }).innerText()).toMatch(/KES 0/);

    await deposit(id, 120);
    // Live: the socket's account.balance reaches the open page without a reload.
    await page.getByRole('status', { name: 'Balance' }).filter({ hasText: 'KES 120' }).waitFor();
    const statement = page.getByRole('table', { name: 'Statement' });
    await statement
      .getByRole('row')
      .filter({ hasText: 'Deposit' })
      .filter({ hasText: '+KES 120' })
      .waitFor();
    expect(await statement.innerText()).toMatch(RECEIPT);
    await expectAccessible(page);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(readFileSync(await file.path(), 'utf8')).toMatch(/DEPOSIT/);

    await newAccount('Baraka Mwangi', 'PUPIL-8');
    await page.getByRole('link', { name: '← Accounts' }).click();
    await page.getByLabel('Name, phone or customer id').fill('PUPIL-7');
    await button(page, 'Search').click();
    await page.waitForURL(/q=PUPIL-7/);
    const table = page.getByRole('table', { name: 'Accounts' });
    await table
      .getByRole('row')
      .filter({ hasText: 'Achieng Otieno (PUPIL-7)' })
      .filter({ hasText: 'KES 120' })
      .waitFor();
    expect(await table.innerText()).not.toMatch(/Baraka/);
  });

  it('owner: the statement pages with Load more', async () => {
    const { id } = await newAccount('Many Deposits', 'PUPIL-MANY');
    const charges = 27;
    await deposit(id, 500);
    for (let i = 0; i < charges; i += 1) {
      const res = await till.post(
        `/v1/accounts/${id}/charges`,
        { amount: 1, orderRef: `LUNCH-${i}` },
        { headers: { 'idempotency-key': `many-${id}-${i}` } },
      );
      expect(res.status).toBe(201);
    }
    const page = await open(shop.ownerKey, `/console/shop/accounts/${id}`);
    const rows = page.getByRole('table', { name: 'Statement' }).getByRole('row');
    await rows.filter({ hasText: 'LUNCH-26' }).waitFor();
    const firstPage = await rows.count();
    expect(firstPage).toBeLessThan(charges + 2);
    await button(page, 'Load more').click();
    await rows.filter({ hasText: 'Deposit' }).waitFor();
    expect(await rows.count()).toBe(charges + 2); // the header, every charge and the deposit
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('owner: an adjustment waits for a second owner, then changes the balance', async () => {
    const { id } = await newAccount('Adjusted', 'PUPIL-ADJ');
    const second = await owner.post('/v1/keys', { role: 'owner', name: 'Second owner' });
    const first = await open(shop.ownerKey, `/console/shop/accounts/${id}`);
    await first.getByLabel('Amount (KES, − to take off)').fill('75');
    await first.getByLabel('Reason').fill('Cash deposit at the office');
    await button(first, 'Request adjustment').click();
    const pending = first.getByRole('list', { name: 'Adjustments waiting for approval' });
    await pending.getByText('Cash deposit at the office').waitFor();
    // The key that asked cannot approve its own adjustment.
    await pending.getByRole('button', { name: /Approve \+KES 75/ }).click();
    await first.getByRole('alert').waitFor();
    expect(await balanceOf(id)).toBe(0);

    const other = await open(second.data.key as string, `/console/shop/accounts/${id}`);
    await other.getByRole('button', { name: /Approve \+KES 75/ }).click();
    await other.getByRole('status', { name: 'Balance' }).filter({ hasText: 'KES 75' }).waitFor();
    await other.getByRole('table', { name: 'Statement' }).getByText('Adjustment').waitFor();
    await first.getByRole('status', { name: 'Balance' }).filter({ hasText: 'KES 75' }).waitFor();
    await expectAccessible(other);
  });

  it('till: a deposit to an account reaches Paid through the simulator and the balance follows', async () => {
    const { id } = await newAccount('Wanjiru Kamau', 'CLIENT-21');
    const ownerPage = await open(shop.ownerKey, `/console/shop/accounts/${id}`);
    const page = await open(shop.terminalKey, '/console/till');
    await button(page, 'Deposit to account').click();
    await page.waitForURL(/mode=deposit/);
    await pick(page, 'Wanjiru', /Wanjiru Kamau \(CLIENT-21\)/);
    await page.getByLabel('Amount').fill('250');
    await page.getByLabel('Phone number').fill(payingPhone());
    await expectAccessible(page);
    await button(page, 'Send deposit prompt').click();
    const text = await statusShows(page, RECEIPT);
    expect(text).toMatch(/Paid/);
    expect(text).toMatch(/deposit to account/);
    await page.getByLabel('Account balance').filter({ hasText: 'KES 250' }).waitFor();
    await page
      .getByRole('region', { name: 'Receipt' })
      .filter({ hasText: /Deposit to\s*Wanjiru Kamau \(CLIENT-21\)/ })
      .waitFor();
    await ownerPage
      .getByRole('status', { name: 'Balance' })
      .filter({ hasText: 'KES 250' })
      .waitFor();
    expect(await balanceOf(id)).toBe(250);
  });

  it('till: pays from the balance once per attempt (a lost answer resent), and says clearly when the balance is short', async () => {
    const { id } = await newAccount('Juma Tab', 'TAB-3');
    await deposit(id, 100);
    const page = await open(shop.terminalKey, '/console/till?mode=balance');
    await pick(page, 'TAB-3', /Juma Tab \(TAB-3\) · KES 100/);
    await page.getByLabel('Amount').fill('30');
    await page.getByLabel('Order reference').fill('TAB-ORDER-1');
    await expectAccessible(page);
    // The first answer is lost after the api charged: sending the same charge again is the same
    // attempt (same Idempotency-Key), so the customer is charged once.
    const keys: string[] = [];
    await page.route('**/v1/accounts/*/charges', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByLabel('Order reference').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'could not reach the server' }).waitFor();
    await button(page, 'Charge account').click();
    const done = await statusShows(page, 'Paid from balance');
    expect(done).toMatch(/New balance KES 70/);
    expect(done).toMatch(/TAB-ORDER-1/);
    const statement = await owner.get(`/v1/accounts/${id}/statement`);
    const charges = (statement.data.data as { type: string }[]).filter((e) => e.type === 'CHARGE');
    expect(charges).toHaveLength(1);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);

    await button(page, 'New sale').click();
    await pick(page, 'TAB-3', /Juma Tab \(TAB-3\) · KES 70/);
    await page.getByLabel('Amount').fill('1000');
    await button(page, 'Charge account').click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not enough balance' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/Juma Tab has KES 70; this sale is KES 1,000/);
    expect(await refusal.innerText()).toMatch(/Nothing was charged/);
    await expectAccessible(page);
    expect(await balanceOf(id)).toBe(70);
  });
});
