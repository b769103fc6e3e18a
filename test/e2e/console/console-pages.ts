/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Signs in through the form, as a person would, and waits for the role's start page. */
export async function signIn(page: Page, key: string, start = '/console/'): Promise<void> {
  await page.goto(start === '/console/' ? '/console/sign-in' : start);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

/**
 * axe-core on the current screen; serious and critical violations fail the test. Injected
 * through the DevTools protocol, which the page's CSP (no inline script) does not govern.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          c: Document,
          o: object,
        ) => Promise<{
          violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
        }>;
      };
    };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  expect(violations).toEqual([]);
}

/** Collects CSP violations the page reports, so a test can assert there were none. */
export function watchCsp(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

/** Waits until the announced payment state (role="status") shows all of these texts. */
export async function statusShows(page: Page, ...texts: (RegExp | string)[]): Promise<string> {
  let status = page.getByRole('status');
  for (const hasText of texts) status = status.filter({ hasText });
  await status.waitFor();
  return status.innerText();
}

/** Fills the till's form and sends with the Enter key (keyboard only). */
export async function sell(
  page: Page,
  sale: { amount: string; phone: string; orderRef?: string; cashier?: string },
) {
  await page.getByLabel('Amount').fill(sale.amount);
  await page.getByLabel('Order reference').fill(sale.orderRef ?? '');
  if (sale.cashier !== undefined) await page.getByLabel('Cashier').fill(sale.cashier);
  await page.getByLabel('Phone number').fill(sale.phone);
  await page.getByLabel('Phone number').press('Enter');
}

/** An M-Pesa receipt number as the simulator issues them. */
export const RECEIPT = /[A-Z0-9]{10}/;

export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
