import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Db } from '@malipo/db';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium';
import { startStack } from '../../support/stack';

/** One stack (simulator, api, worker) and one headless Chromium per spec file. */
export interface ConsoleStack {
  sim: RunningDarajaSim;
  api: { app: NestFastifyApplication; url: string };
  worker: INestApplicationContext;
  db: Db;
  browser: Browser;
  /** A fresh browser context (own cookies, own storage) for each person at a screen. */
  newPage: (opts?: { width?: number }) => Promise<Page>;
  /** Closes every page opened so far (each holds a socket; keys have a socket quota). */
  closePages: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startConsoleStack(env: Record<string, string> = {}): Promise<ConsoleStack> {
  const stack = await startStack({
    sim: { callbackDelayMs: 150, lateCallbackMs: 60_000 },
    env: { STK_TIMEOUT_SECONDS: '60', LOG_LEVEL: 'silent', ...env },
  });
  const { sim, api, db } = stack;
  const worker = stack.worker!;
  // launch() gives every run a fresh, temporary user-data-dir of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  return {
    sim,
    api,
    worker,
    db,
    browser,
    newPage: async (opts = {}) => {
      const context = await browser.newContext({
        baseURL: api.url,
        viewport: { width: opts.width ?? 1100, height: 800 },
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    closePages: async () => {
      for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    },
    close: async () => {
      for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stack.close();
    },
  };
}
