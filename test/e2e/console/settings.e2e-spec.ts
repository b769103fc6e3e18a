import type { Page } from 'playwright-core';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { startConsoleStack, type ConsoleStack } from './console-harness';
import { button, expectAccessible, signIn } from './console-pages';

describe('console: the owner’s settings (Chromium, api + worker + simulator)', () => {
  let stack: ConsoleStack;
  let shop: TenantWithKeys;
  let page: Page;

  const shownOnce = async (label: string): Promise<string> => {
    const value = await page.getByLabel(label, { exact: true }).inputValue();
    await page
      .getByRole('region', { name: `${label} (shown once)` })
      .getByRole('button', { name: 'Done' })
      .click();
    return value;
  };

  beforeAll(async () => {
    stack = await startConsoleStack();
    shop = await createTenantWithKeys(stack.db, { name: 'Settings Shop' });
    page = await stack.newPage();
    await signIn(page, shop.ownerKey, '/console/shop/settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('is accessible', async () => {
    await expectAccessible(page);
  });

  it('creates an API key shown once, and revokes it', async () => {
    await button(page, 'Create owner key').click();
    const key = await shownOnce('New API key');
    expect(key).toMatch(/^mlp_owner_/);
    expect((await client(stack.api.url, key).get('/v1/payments')).status).toBe(200);
    await page.getByRole('button', { name: /^Revoke Owner key \(console\)/ }).click();
    await eventually(
      () => client(stack.api.url, key).get('/v1/payments'),
      (r) => r.status === 401,
    );
  });

  it('adds a terminal and issues it a key that signs in as that till', async () => {
    await page.getByLabel('Terminal name').fill('Till 2');
    await page.getByLabel('Terminal code').fill('till-2');
    await button(page, 'Add terminal').click();
    await page.getByRole('button', { name: 'Issue key for Till 2' }).click();
    const key = await shownOnce('New terminal key');
    const session = await client(stack.api.url).post('/v1/session', { apiKey: key });
    expect(session.data).toMatchObject({ role: 'terminal', terminalName: 'Till 2' });
  });

  it('tests a channel’s credentials and turns confirm-by-query on', async () => {
    await page.getByRole('button', { name: 'Test credentials of Sandbox paybill' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Sandbox paybill: the credentials work.' })
      .waitFor();
    await page.getByLabel('Confirm successes by STK Query (Sandbox paybill)').check();
    const owner = client(stack.api.url, shop.ownerKey);
    const on = await eventually(
      () => owner.get(`/v1/channels/${shop.channelId}`),
      (r) => r.data.confirmWithQuery === true,
    );
    expect(on.data.confirmWithQuery).toBe(true);
    expect(
      await page.getByLabel('Confirm successes by STK Query (Sandbox paybill)').isChecked(),
    ).toBe(true);
    const stranger = await createTenantWithKeys(stack.db);
    const theirs = await client(stack.api.url, stranger.ownerKey).patch(
      `/v1/channels/${shop.channelId}`,
      { confirmWithQuery: false },
    );
    expect(theirs.status).toBe(404);
    expect(theirs.data).toMatchObject({ code: 'CHANNEL.NOT_FOUND', requestId: expect.any(String) });
  });

  it('adds a webhook endpoint (secret shown once), rotates its secret and opens its log', async () => {
    const url = 'http://127.0.0.1:9/hooks/malipo';
    await page.getByLabel('Endpoint URL').fill(url);
    await button(page, 'Add endpoint').click();
    const first = await shownOnce('Signing secret');
    expect(first.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: `Rotate secret of ${url}` }).click();
    const second = await shownOnce('Signing secret');
    expect(second).not.toBe(first);
    await button(page, 'Deliveries').click();
    await page
      .getByRole('list', { name: 'Delivery log' })
      .getByText('No deliveries yet.')
      .waitFor();
    await expectAccessible(page);
  });
});
