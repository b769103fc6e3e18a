import type { Page } from 'playwright-core';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { startConsoleStack, type ConsoleStack } from './console-harness';
import { signIn } from './console-pages';
import { simControl } from './sim-control';

/** A till spec's shared stack, shop and simulator control; pages are closed after every test. */
export function tillSuite(env: Record<string, string> = {}) {
  const ctx = {} as {
    stack: ConsoleStack;
    shop: TenantWithKeys;
    sim: ReturnType<typeof simControl>;
  };

  beforeAll(async () => {
    ctx.stack = await startConsoleStack(env);
    ctx.shop = await createTenantWithKeys(ctx.stack.db, { name: 'Mama Mboga Stores' });
    ctx.sim = simControl(ctx.stack.sim);
  });

  afterEach(async () => {
    await ctx.stack.closePages();
  });

  afterAll(async () => {
    await ctx.stack?.close();
  });

  /** A till signed in with the shop's terminal key, at `start` (default: its home). */
  const till = async (opts: { width?: number; start?: string } = {}): Promise<Page> => {
    const page = await ctx.stack.newPage(opts);
    await signIn(page, ctx.shop.terminalKey, opts.start);
    return page;
  };
  return { ctx, till };
}
