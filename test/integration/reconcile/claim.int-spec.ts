import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import type { TenantId } from '@malipo/common';
import { createPgPool, schema, type Db } from '@malipo/db';
import { ReconcileRepository } from '@malipo/payments';
import { createTenantWithKeys } from '../../factories/tenancy';
import { ownTestDatabase } from './reconcile-fixtures';

describe(ReconcileRepository.name, () => {
  let own: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let db: Db;
  let sut: ReconcileRepository;

  async function due(
    shop: { tenantId: TenantId; channelId: string },
    n: number,
    at: (i: number) => Date,
    queryCount = 1,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const paymentId = randomUUID();
      const attemptId = randomUUID();
      await db.insert(schema.payments).values({
        id: paymentId,
        tenantId: shop.tenantId,
        channelId: shop.channelId,
        orderRef: `C-${paymentId}`,
        amount: 10,
        phone: '254712345678',
        status: 'awaiting_customer',
        currentAttemptId: attemptId,
      });
      await db.insert(schema.paymentAttempts).values({
        id: attemptId,
        tenantId: shop.tenantId,
        paymentId,
        channelId: shop.channelId,
        number: 1,
        state: 'accepted',
        amount: 10,
        phone: '254712345678',
        checkoutRequestId: `ws_CO_${attemptId}`,
        nextQueryAt: at(i),
        queryCount,
      });
      ids.push(attemptId);
    }
    return ids;
  }

  beforeAll(async () => {
    own = await ownTestDatabase();
    pool = createPgPool({ connectionString: own.url, max: 4, applicationName: 'malipo_test' });
    db = drizzle(pool, { schema });
    sut = new ReconcileRepository(db);
  });

  afterAll(async () => {
    await pool?.end();
    await own?.drop();
  });

  it('takes channels in turns, so an older backlog does not go first', async () => {
    const busy = await createTenantWithKeys(db);
    const quiet = await createTenantWithKeys(db);
    const early = Date.now() - 60_000;
    const busyIds = await due(busy, 300, (i) => new Date(early + i));
    const quietIds = await due(quiet, 4, () => new Date(Date.now() - 1_000));
    const claimed = (await sut.claim({ limit: 8, leaseMs: 60_000, firstQueryShiftMs: 0 })).map(
      (r) => r.id,
    );
    expect(claimed.filter((id) => quietIds.includes(id))).toHaveLength(4);
    expect(claimed.filter((id) => busyIds.includes(id))).toHaveLength(4);
  });

  it('never hands one attempt to two claimers at once, and leases what it took', async () => {
    const shop = await createTenantWithKeys(db);
    await due(shop, 30, () => new Date(Date.now() - 5_000));
    const opts = { limit: 10, leaseMs: 60_000, firstQueryShiftMs: 0 };
    const rounds = await Promise.all([sut.claim(opts), sut.claim(opts), sut.claim(opts)]);
    const all = rounds.flat();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    all.forEach((r) => expect(r.nextQueryAt!.getTime()).toBeGreaterThan(Date.now() + 50_000));
    const again = await sut.claim({ ...opts, limit: 100 });
    expect(again.map((r) => r.id).filter((id) => all.some((r) => r.id === id))).toEqual([]);
  });

  it('moves a never-queried attempt by the threshold shift, and only that one', async () => {
    const shop = await createTenantWithKeys(db);
    const [fresh] = await due(shop, 1, () => new Date(Date.now() + 20_000), 0);
    const [queried] = await due(shop, 1, () => new Date(Date.now() + 20_000), 1);
    const ids = async (shiftMs: number) =>
      (await sut.claim({ limit: 100, leaseMs: 1_000, firstQueryShiftMs: shiftMs })).map(
        (r) => r.id,
      );
    expect(await ids(0)).not.toContain(fresh);
    const shifted = await ids(29_000);
    expect(shifted).toContain(fresh);
    expect(shifted).not.toContain(queried);
  });

  it('leases a never-queried attempt past the threshold shift, so another replica cannot take it meanwhile', async () => {
    const shop = await createTenantWithKeys(db);
    const [fresh] = await due(shop, 1, () => new Date(Date.now() + 20_000), 0);
    // Tests run with a 1 s threshold (a 29 s shift) and a lease of a few seconds.
    const opts = { limit: 100, leaseMs: 5_000, firstQueryShiftMs: 29_000 };
    const first = (await sut.claim(opts)).map((r) => r.id);
    expect(first).toContain(fresh);
    const second = (await sut.claim(opts)).map((r) => r.id);
    expect(second).not.toContain(fresh);
  });
});
