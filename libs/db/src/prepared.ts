import { getTableColumns, type Column, type Table } from 'drizzle-orm';
import type { PoolClient, QueryResultRow } from 'pg';
import type { DbOrTx } from './db.types';

/**
 * The hot paths' statements (a callback's apply, a push's answer) as named prepared statements
 * on the transaction's own connection: no query building per call, and PostgreSQL parses and
 * plans each once per connection. Drizzle prepares only on its pool, outside a transaction, so
 * these run on the pg client under the Drizzle handle. The table definitions stay the one source
 * of column names and types: `RowShape` reads them from the schema.
 */
export interface Queryable {
  query<R extends QueryResultRow>(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * The pg client (or pool) a Drizzle handle sends its statements through. Inside a transaction it
 * is the transaction's connection, so statements run here are part of it. (Drizzle keeps it as
 * `session.client`; libs/db/src/prepared.int-spec.ts fails if an upgrade moves it.)
 */
export function pgClientOf(handle: DbOrTx): Queryable {
  const client = (handle as unknown as { session?: { client?: PoolClient } }).session?.client;
  if (!client || typeof client.query !== 'function') {
    throw new Error('no pg client under this Drizzle handle');
  }
  return client as unknown as Queryable;
}

/**
 * A table's columns as a select list under a prefix (`p."id" as "p.id"`, ...), and the mapping
 * back to the Drizzle row type, so several tables can share one result row.
 */
export class RowShape<T> {
  private readonly columns: [key: string, column: Column][];
  private readonly byKey: Map<string, Column>;

  constructor(
    table: Table,
    private readonly alias: string,
  ) {
    this.columns = Object.entries(getTableColumns(table));
    this.byKey = new Map(this.columns);
  }

  /** `alias."col" as "alias.col", ...` */
  get selectList(): string {
    return this.columns
      .map(([, c]) => `${this.alias}."${c.name}" as "${this.alias}.${c.name}"`)
      .join(', ');
  }

  /** The columns of a `returning *` or `select *` row, without a prefix. */
  fromPlain(row: Record<string, unknown>): T {
    return this.map(row, '');
  }

  fromPrefixed(row: Record<string, unknown>): T {
    return this.map(row, `${this.alias}.`);
  }

  private map(row: Record<string, unknown>, prefix: string): T {
    const out: Record<string, unknown> = {};
    for (const [key, column] of this.columns) {
      const value = row[`${prefix}${column.name}`];
      // pg has parsed timestamps and JSON already; the column mapper accepts both forms.
      out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return out as T;
  }

  /** `"col_a" = $first, "col_b" = $first+1, ...` for these Drizzle keys. */
  setList(keys: string[], first: number): string {
    return keys.map((key, i) => `"${this.column(key).name}" = $${first + i}`).join(', ');
  }

  /** All Drizzle keys of the table, in definition order. */
  get keys(): string[] {
    return this.columns.map(([key]) => key);
  }

  /** `"col_a", "col_b"` for these keys. */
  nameList(keys: string[]): string {
    return keys.map((key) => `"${this.column(key).name}"`).join(', ');
  }

  /** `$first::uuid, $first+1::integer, ...`: typed parameters for an INSERT ... SELECT. */
  castParams(keys: string[], first: number): string {
    return keys.map((key, i) => `$${first + i}::${this.column(key).getSQLType()}`).join(', ');
  }

  /** The values of `keys` in `row` as the driver takes them (dates as ISO text, JSON as text). */
  driverValues(row: Record<string, unknown>, keys: string[]): unknown[] {
    return keys.map((key) => {
      const value = row[key];
      return value === null || value === undefined
        ? null
        : this.column(key).mapToDriverValue(value);
    });
  }

  private column(key: string): Column {
    const found = this.byKey.get(key);
    if (!found) throw new Error(`no column ${key}`);
    return found;
  }
}

/** One statement text, one name: a name stands for the same text on every connection. */
export class StatementCache {
  private readonly byKey = new Map<string, { name: string; text: string }>();

  constructor(private readonly prefix: string) {}

  get(key: string, build: () => string): { name: string; text: string } {
    let found = this.byKey.get(key);
    if (!found) {
      found = { name: `${this.prefix}_${this.byKey.size}`, text: build() };
      this.byKey.set(key, found);
    }
    return found;
  }
}
