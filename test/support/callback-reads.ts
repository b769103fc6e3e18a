import { schema, type Db } from '@malipo/db';
import { eq } from 'drizzle-orm';
import { eventually } from './http';

/** What callback tests read back: the payment, its events and discrepancies, the inbox rows. */
export function callbackReads(db: Db) {
  const inboxFor = (attemptId: string) =>
    db.select().from(schema.callbackInbox).where(eq(schema.callbackInbox.attemptId, attemptId));
  return {
    payment: async (id: string) =>
      (await db.select().from(schema.payments).where(eq(schema.payments.id, id)))[0],
    events: (id: string) =>
      db.select().from(schema.paymentEvents).where(eq(schema.paymentEvents.paymentId, id)),
    discrepancyKinds: async (paymentId: string) =>
      (
        await db
          .select()
          .from(schema.discrepancies)
          .where(eq(schema.discrepancies.paymentId, paymentId))
      ).map((d) => d.kind),
    inboxFor,
    /** The attempt's inbox rows once at least `n` exist and none is still waiting for the worker. */
    settled: (attemptId: string, n = 1, timeoutMs?: number) =>
      eventually(
        () => inboxFor(attemptId),
        (rows) => rows.length >= n && rows.every((r) => r.state !== 'received'),
        timeoutMs,
      ),
  };
}
