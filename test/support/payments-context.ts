import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppConfigModule, asTenantId, type TenantId } from '@malipo/common';
import { DbModule, type Db } from '@malipo/db';
import { RedisModule } from '@malipo/queue';
import { connectTestDb, createTenantWithKeys } from '../factories/tenancy';

export interface PaymentsContext {
  app: INestApplicationContext;
  db: Db;
  shop: { tenantId: TenantId; channelId: string; terminalId: string };
  close: () => Promise<void>;
}

/**
 * A Nest context over the real database and Redis with one payments module (the core, or the
 * reconciliation module that adds callback processing), a fresh shop, and one close for both.
 * `override` fakes what a spec must (only Daraja, by the testing rules).
 */
export async function paymentsContext(
  module: 'core' | 'reconcile',
  override: (b: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
): Promise<PaymentsContext> {
  const payments = await import('@malipo/payments');
  const imported = module === 'core' ? payments.PaymentsCoreModule : payments.ReconcileCoreModule;
  const builder = Test.createTestingModule({
    imports: [AppConfigModule.forRoot(), DbModule, RedisModule, imported as Type],
  });
  const app = await (await override(builder).compile()).init();
  const { db, close: closeDb } = connectTestDb();
  const t = await createTenantWithKeys(db);
  return {
    app,
    db,
    shop: { tenantId: asTenantId(t.tenantId), channelId: t.channelId, terminalId: t.terminalId },
    close: async () => {
      await app.close();
      await closeDb();
    },
  };
}
