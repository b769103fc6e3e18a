/**
 * `npm run docs:screenshots`: starts the compiled simulator, api and worker against a throwaway
 * database, drives headless Chromium (/usr/bin/chromium) through the main console screens and
 * writes PNGs into docs/. Nothing is left behind but the pictures.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { generateApiKey } from '@malipo/common';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { ROOT, createBenchDatabase, freePort, startApp } from '../bench/support/bench-env';

const DOCS = path.join(ROOT, 'docs');
const out = (line: string) => process.stdout.write(`${line}\n`);

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(DOCS, `console-${name}.png`), fullPage: true });
  out(`docs/console-${name}.png`);
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/console/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
}

async function sell(page: Page, phone: string, amount: string, wait: RegExp): Promise<void> {
  await page.getByLabel('Amount').fill(amount);
  await page.getByLabel('Phone number').fill(phone);
  await page.getByRole('button', { name: 'Send prompt' }).click();
  await page.getByRole('status').filter({ hasText: wait }).waitFor();
}

/** Issue 17: an account created by the owner, a deposit at the till, a charge the balance refuses. */
async function accountsTour(till: Page, desk: Page): Promise<void> {
  await desk.getByRole('navigation').getByRole('link', { name: 'Accounts' }).click();
  await desk.getByLabel('Customer name').fill('Achieng Otieno');
  await desk.getByLabel('Your customer id (optional)').fill('PUPIL-7');
  await desk.getByRole('button', { name: 'Create account' }).click();
  await desk.getByRole('heading', { name: 'Achieng Otieno' }).waitFor();
  await till.getByRole('button', { name: 'New sale' }).click();
  await till.getByRole('button', { name: 'Deposit to account' }).click();
  await till.getByLabel('Find account').fill('PUPIL-7');
  await till.getByRole('radio', { name: /Achieng Otieno/ }).check();
  await till.getByLabel('Amount').fill('500');
  await till.getByLabel('Phone number').fill('0712 345 678');
  await till.getByRole('button', { name: 'Send deposit prompt' }).click();
  await till.getByLabel('Account balance').filter({ hasText: 'KES 500' }).waitFor();
  await shoot(till, 'till-deposit');
  await desk.getByRole('status', { name: 'Balance' }).filter({ hasText: 'KES 500' }).waitFor();
  await desk.getByLabel('Amount (KES, − to take off)').fill('-50');
  await desk.getByLabel('Reason').fill('Lunch counted twice');
  await desk.getByRole('button', { name: 'Request adjustment' }).click();
  await desk.getByText('Lunch counted twice').waitFor();
  await shoot(desk, 'account');
  await till.getByRole('button', { name: 'New sale' }).click();
  await till.getByRole('button', { name: 'Pay from balance' }).click();
  await till.getByLabel('Find account').fill('PUPIL-7');
  await till.getByRole('radio', { name: /Achieng Otieno/ }).check();
  await till.getByLabel('Amount').fill('1000');
  await till.getByRole('button', { name: 'Charge account' }).click();
  await till.getByRole('alert').filter({ hasText: 'Not enough balance' }).waitFor();
  await shoot(till, 'till-balance-refused');
  await desk.getByRole('link', { name: '← Accounts' }).click();
  await desk.getByRole('table', { name: 'Accounts' }).getByText('KES 500').waitFor();
  await shoot(desk, 'accounts');
}

async function tour(
  base: string,
  simUrl: string,
  keys: Record<'owner' | 'terminal' | 'ops', string>,
) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const tillContext = await browser.newContext({
      baseURL: base,
      viewport: { width: 390, height: 760 },
    });
    const till = await tillContext.newPage();
    await till.goto('/console/sign-in');
    await shoot(till, 'sign-in');
    await signIn(till, keys.terminal);
    await shoot(till, 'till');
    await fetch(`${simUrl}/sim/scenarios/254712345670`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'success', hold: true }),
    });
    await sell(till, '0712 345 670', '250', /Check your phone/);
    await shoot(till, 'till-waiting');
    await till.getByRole('button', { name: 'Cancel' }).click();
    await till.getByRole('button', { name: 'New sale' }).click();
    await sell(till, '0712 340 001', '120', /Not enough money/);
    await shoot(till, 'till-failed');
    await till.getByRole('button', { name: 'New sale' }).click();
    await sell(till, '0712 345 678', '10', /[A-Z0-9]{10}/);
    await shoot(till, 'till-paid');
    const desk = await (
      await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } })
    ).newPage();
    await signIn(desk, keys.owner);
    await desk.getByRole('table', { name: 'Payments' }).getByRole('row').nth(3).waitFor();
    await shoot(desk, 'payments');
    await desk.getByRole('table', { name: 'Payments' }).getByRole('link').first().click();
    await desk.getByRole('heading', { name: 'Timeline' }).waitFor();
    await shoot(desk, 'payment-detail');
    for (const [link, name] of [
      ['Reports', 'reports'],
      ['Discrepancies', 'discrepancies'],
      ['Settings', 'settings'],
    ]) {
      await desk.getByRole('navigation').getByRole('link', { name: link }).click();
      await desk.getByRole('heading', { name: link, level: 1 }).waitFor();
      if (name === 'reports') await desk.getByRole('img').waitFor();
      await shoot(desk, name);
    }
    await accountsTour(till, desk);
    const ops = await (
      await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } })
    ).newPage();
    await signIn(ops, keys.ops);
    await shoot(ops, 'ops-shops');
    await ops.getByRole('navigation').getByRole('link', { name: 'Health' }).click();
    await ops.getByRole('table', { name: 'Queues' }).getByRole('row').nth(1).waitFor();
    await shoot(ops, 'ops-health');
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const db = await createBenchDatabase();
  const [port, simPort, workerPort] = [await freePort(), await freePort(), await freePort()];
  const keys = {
    owner: generateApiKey('owner').key,
    terminal: generateApiKey('terminal').key,
    ops: generateApiKey('ops').key,
  };
  const env = {
    NODE_ENV: 'development',
    DARAJA_MODE: 'simulator',
    DATABASE_URL: db.url,
    REDIS_PREFIX: `malipo_docs_${randomBytes(3).toString('hex')}`,
    CREDENTIALS_KEY: 'docs-only-credentials-key-0123456789ab',
    CALLBACK_SECRET: 'docs-only-callback-secret-0123456789ab',
    PORT: String(port),
    SIM_PORT: String(simPort),
    WORKER_PORT: String(workerPort),
    METRICS_PORT: '0', // any free port: 9464 may be another process's
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DARAJA_SIM_URL: `http://127.0.0.1:${simPort}`,
    SIM_CALLBACK_DELAY_MS: '800',
    DEMO_OWNER_KEY: keys.owner,
    DEMO_TERMINAL_KEY: keys.terminal,
    DEMO_OPS_KEY: keys.ops,
  };
  const children: ChildProcess[] = [];
  try {
    children.push(await startApp('daraja-sim', env, simPort));
    children.push(await startApp('api', env, port));
    children.push(await startApp('worker', env, workerPort));
    await tour(`http://127.0.0.1:${port}`, `http://127.0.0.1:${simPort}`, keys);
  } finally {
    for (const child of children.reverse()) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))),
    );
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`docs:screenshots: ${String(error)}\n`);
    process.exit(1);
  },
);
