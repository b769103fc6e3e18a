import { isUniqueViolation, sqlStateOf } from './pg-errors';

const pg = (code: string, constraint?: string) =>
  Object.assign(new Error('pg'), { code, constraint });
const wrapped = (cause: unknown) => new Error('Failed query', { cause });

describe('pg errors', () => {
  it('finds the SQLSTATE wherever the ORM wrapped the driver error', () => {
    expect(sqlStateOf(pg('22P05'))).toBe('22P05');
    expect(sqlStateOf(wrapped(wrapped(pg('23505'))))).toBe('23505');
    expect(sqlStateOf(Object.assign(new Error('net'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('tells a unique violation, of a named constraint when asked', () => {
    expect(isUniqueViolation(wrapped(pg('23505', 'payments_open_order_uq')))).toBe(true);
    expect(isUniqueViolation(pg('23505', 'other_uq'), 'payments_open_order_uq')).toBe(false);
    expect(isUniqueViolation(pg('23505', 'payments_open_order_uq'), 'payments_open_order_uq')).toBe(
      true,
    );
    expect(isUniqueViolation(pg('23503'))).toBe(false);
  });
});
