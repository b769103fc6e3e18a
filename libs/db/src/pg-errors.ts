interface PgErrorFields {
  code: string;
  constraint?: string;
}

/** The PostgreSQL error in a cause chain (Drizzle wraps the driver's), if there is one. */
function pgErrorOf(error: unknown): PgErrorFields | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as PgErrorFields;
  }
  return undefined;
}

/** The SQLSTATE of a PostgreSQL error, wherever it sits in the cause chain. */
export function sqlStateOf(error: unknown): string | undefined {
  return pgErrorOf(error)?.code;
}

/** A unique violation (23505), of `constraint` when one is named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(error);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}
