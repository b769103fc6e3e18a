import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './bundle-budget';

const here = fileURLToPath(new URL('.', import.meta.url));
const lib = (p: string): string => fileURLToPath(new URL(`../../libs/${p}`, import.meta.url));

/** Built by `npm run build` into dist/console; the api serves it under /console. */
export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  plugins: [react(), bundleBudget({ entry: 'till', limitKb: 150 })],
  resolve: {
    alias: {
      '@malipo/terminal-client': lib('terminal-client/src/index.ts'),
      '@malipo/realtime-protocol': lib('realtime-protocol/src/index.ts'),
      '@malipo/payments/domain/payment-status': lib('payments/src/domain/payment-status.ts'),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
