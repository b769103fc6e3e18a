import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';

/** Dates this service can mean: anything else is a typo or a probe, and a 400. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function calendarValid(y: number, m: number, d: number): boolean {
  if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM-DD`, a real day of the calendar (no 2026-02-30, no 2026-13-45), years 2000–2100. */
export function isCalendarDay(value: unknown): value is string {
  const m = typeof value === 'string' ? DAY.exec(value) : null;
  return !!m && calendarValid(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** An ISO 8601 date or date-time whose day and time exist; never JavaScript's lenient reading. */
export function parseInstant(value: unknown): Date | undefined {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!m || !calendarValid(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A day query field (YYYY-MM-DD, East Africa Time), checked for the calendar and its bounds. */
export const IsDay = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDay',
    validator: {
      validate: isCalendarDay,
      defaultMessage: (a?: ValidationArguments) =>
        `${a?.property ?? 'date'} must be a day of the calendar, YYYY-MM-DD, from ${FIRST_YEAR} to ${LAST_YEAR}`,
    },
  });

/** An ISO 8601 date-time query field, read strictly into a Date. */
export function IsInstant(): PropertyDecorator {
  const toDate = Transform(({ value }) => parseInstant(value) ?? value);
  const check = ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (v: unknown) => v instanceof Date,
      defaultMessage: (a?: ValidationArguments) =>
        `${a?.property ?? 'date'} must be an ISO 8601 date-time from ${FIRST_YEAR} to ${LAST_YEAR}`,
    },
  });
  return (target, key) => {
    toDate(target, key);
    check(target, key);
  };
}

/** On `from`: not later than the `other` field (a day or a Date), when both are given. */
export const IsNotAfter = (other: string): PropertyDecorator =>
  ValidateBy({
    name: 'isNotAfter',
    constraints: [other],
    validator: {
      validate: (value: unknown, a?: ValidationArguments) => {
        const end = (a?.object as Record<string, unknown> | undefined)?.[other];
        if (value === undefined || end === undefined) return true;
        const time = (v: unknown) => (v instanceof Date ? v.getTime() : String(v));
        // A malformed partner fails its own rule; this one only compares two good values.
        return typeof time(value) !== typeof time(end) || time(value) <= time(end);
      },
      defaultMessage: (a?: ValidationArguments) =>
        `${a?.property ?? 'from'} must not be after ${other}`,
    },
  });
