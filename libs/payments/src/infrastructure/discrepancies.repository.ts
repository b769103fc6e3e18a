import { Injectable } from '@nestjs/common';
import { opsMetrics, type TenantId } from '@malipo/common';
import { schema, type DbOrTx } from '@malipo/db';
import { and, eq, sql } from 'drizzle-orm';
import { discrepancyKey, type DiscrepancyFact, type DiscrepancyKind } from '../domain';

const { discrepancies } = schema;

/** Writes of discrepancies: opened once per fact, closed by an operator's settlement. */
@Injectable()
export class DiscrepanciesRepository {
  /**
   * Closes a payment's open discrepancies of one kind (an operator settled what they were about).
   * Returns the ids it closed, for their audit entries.
   */
  async resolve(
    tx: DbOrTx,
    tenantId: TenantId,
    r: { paymentId: string; kind: DiscrepancyKind; by: string; note: string },
  ): Promise<string[]> {
    const rows = await tx
      .update(discrepancies)
      .set({ state: 'resolved', resolvedBy: r.by, resolutionNote: r.note, resolvedAt: sql`now()` })
      .where(
        and(
          eq(discrepancies.tenantId, tenantId),
          eq(discrepancies.paymentId, r.paymentId),
          eq(discrepancies.kind, r.kind),
          sql`${discrepancies.state} <> 'resolved'`,
        ),
      )
      .returning({ id: discrepancies.id });
    return rows.map((row) => row.id);
  }

  /**
   * The one opener of discrepancies: once per fact (domain `discrepancyKey`), whoever reports it.
   * Returns its id when this call opened it.
   */
  async open(tx: DbOrTx, tenantId: TenantId, fact: DiscrepancyFact): Promise<string | undefined> {
    const { kind, paymentId, attemptId, evidence } = fact;
    const [row] = await tx
      .insert(discrepancies)
      .values({ tenantId, kind, paymentId, attemptId, evidence, dedupeKey: discrepancyKey(fact) })
      .onConflictDoNothing({ target: [discrepancies.tenantId, discrepancies.dedupeKey] })
      .returning({ id: discrepancies.id });
    if (row) opsMetrics.discrepancies.inc({ kind });
    return row?.id;
  }
}
