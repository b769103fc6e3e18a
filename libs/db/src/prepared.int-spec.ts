import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { createPgPool } from './pg-pool';
import { RowShape, StatementCache, pgClientOf } from './prepared';
import * as schema from './schema';
import { uniqueSuffix } from '../../../test/support/test-env';

const pool = createPgPool({ connectionString: process.env.DATABASE_URL!, max: 2 });
const db = drizzle(pool, { schema });
const tenantShape = new RowShape<typeof schema.tenants.$inferSelect>(schema.tenants, 't');
const statements = new StatementCache(`prepared_spec_${uniqueSuffix()}`);

afterAll(() => pool.end());

describe('prepared statements under a Drizzle handle', () => {
  it("run on the transaction's own connection: they see its writes and roll back with it", async () => {
    const name = `prepared ${uniqueSuffix()}`;
    let seen: unknown[] = [];
    const outcome = await db
      .transaction(async (tx) => {
        const [t] = await tx.insert(schema.tenants).values({ name }).returning();
        const statement = statements.get('by-id', () => 'select * from tenants where id = $1');
        seen = (await pgClientOf(tx).query({ ...statement, values: [t.id] })).rows;
        tx.rollback();
      })
      .catch((error: unknown) => error);
    expect(seen).toHaveLength(1);
    expect(outcome).toBeInstanceOf(Error); // Drizzle's rollback throws out of the transaction
    expect(await db.select().from(schema.tenants).where(eq(schema.tenants.name, name))).toEqual([]);
  });

  it('map a row exactly as Drizzle maps it (dates, numbers, JSON, nulls), plain and prefixed', async () => {
    const [t] = await db
      .insert(schema.tenants)
      .values({ name: `shape ${uniqueSuffix()}` })
      .returning();
    const plain = statements.get('plain', () => 'select * from tenants where id = $1');
    const prefixed = statements.get(
      'prefixed',
      () => `select ${tenantShape.selectList} from tenants t where t.id = $1`,
    );
    const [a] = (await pgClientOf(db).query({ ...plain, values: [t.id] })).rows;
    const [b] = (await pgClientOf(db).query({ ...prefixed, values: [t.id] })).rows;
    expect(tenantShape.fromPlain(a)).toEqual(t);
    expect(tenantShape.fromPrefixed(b)).toEqual(t);
  });

  it('write columns by their Drizzle keys with driver values', async () => {
    const [t] = await db
      .insert(schema.tenants)
      .values({ name: `set ${uniqueSuffix()}` })
      .returning();
    const keys = ['name', 'eventSeq'];
    const statement = statements.get(
      'set',
      () => `update tenants set ${tenantShape.setList(keys, 2)} where id = $1 returning *`,
    );
    const values = tenantShape.driverValues({ name: 'renamed', eventSeq: 41 }, keys);
    const { rows } = await pgClientOf(db).query({ ...statement, values: [t.id, ...values] });
    expect(tenantShape.fromPlain(rows[0])).toMatchObject({ name: 'renamed', eventSeq: 41 });
    expect(statements.get('set', () => 'other text').text).toBe(statement.text);
  });
});
