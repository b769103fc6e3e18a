/** A Nest context with the payments core and accounts over the real database, for ledger specs. */
import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AppConfigModule, asTenantId, type TenantId } from '@malipo/common';
import { DbModule, schema, type Db } from '@malipo/db';
import { RedisModule } from '@malipo/queue';
import {
  AccountsModule,
  LedgerCheckRepository,
  PaymentService,
  PaymentsRepository,
} from '@malipo/payments';
import { asc, eq } from 'drizzle-orm';
import { connectTestDb, createTenantWithKeys } from '../../factories/tenancy';

export interface LedgerContext {
  app: INestApplicationContext;
  db: Db;
  tenantId: TenantId;
  channelId: string;
  checks: LedgerCheckRepository;
  close: () => Promise<void>;
}

export async function ledgerContext(): Promise<LedgerContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(), DbModule, RedisModule, AccountsModule as Type],
    providers: [LedgerCheckRepository],
  }).compile();
  const app = await moduleRef.init();
  const { db, close } = connectTestDb();
  const shop = await createTenantWithKeys(db);
  return {
    app,
    db,
    tenantId: asTenantId(shop.tenantId),
    channelId: shop.channelId,
    checks: app.get(LedgerCheckRepository),
    close: async () => {
      await app.close();
      await close();
    },
  };
}

/** A deposit payment whose prompt Daraja accepted: the next `paid` makes it succeed. */
export async function awaitingDeposit(
  ctx: LedgerContext,
  accountId: string,
  amount: number,
): Promise<{ paymentId: string; attemptId: string }> {
  const repo = ctx.app.get(PaymentsRepository);
  const { payment, attemptId } = await repo.db.transaction((tx) =>
    repo.insertPaymentWithAttempt(tx, ctx.tenantId, 120, {
      channelId: ctx.channelId,
      terminalId: null,
      orderRef: `AC-${randomUUID().slice(0, 8)}`,
      amount,
      phone: '254712345678',
      description: null,
      accountId,
    }),
  );
  await ctx.app.get(PaymentService).apply(
    ctx.tenantId,
    payment.id,
    {
      type: 'stk_accepted',
      attemptId,
      merchantRequestId: `m-${attemptId}`,
      checkoutRequestId: `ws_CO_${attemptId}`,
    },
    { source: 'api' },
  );
  return { paymentId: payment.id, attemptId };
}

/** The account's entries in posting order. */
export function entriesOf(db: Db, accountId: string) {
  return db
    .select()
    .from(schema.ledgerEntries)
    .where(eq(schema.ledgerEntries.accountId, accountId))
    .orderBy(asc(schema.ledgerEntries.id));
}
