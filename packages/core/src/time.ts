import { ValidationError } from './errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;

/** Whether year-month-day is a day of the proleptic Gregorian calendar (as `Date` has it). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days =
    month === 2
      ? leap
        ? 29
        : 28
      : month === 4 || month === 6 || month === 9 || month === 11
        ? 30
        : 31;
  return day <= days;
}

// Both checks are arithmetic, not a round trip through `Date` (several times faster; every
// bar a source hands over is checked). The answers are the round trip's, property-tested.

/** `YYYY-MM-DD`, a real calendar date. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `YYYY-MM-DDTHH:MM:SS(.fff)Z`, a real UTC instant. */
export function isIsoUtcTimestamp(value: string): boolean {
  const m = ISO_UTC.exec(value);
  return (
    m !== null &&
    isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[6]) <= 59
  );
}

/**
 * A bar timestamp: a session date (`YYYY-MM-DD`, daily bars) or an ISO-8601 UTC instant
 * (`YYYY-MM-DDTHH:MM:SSZ`, intraday bars).
 */
export function isBarTimestamp(value: string): boolean {
  return value.length === 10 ? isIsoDate(value) : isIsoUtcTimestamp(value);
}

/** Throws a {@link ValidationError} naming `argument` unless `value` is a bar timestamp. */
export function assertBarTimestamp(argument: string, value: string): void {
  if (typeof value !== 'string' || !isBarTimestamp(value)) {
    throw new ValidationError(
      argument,
      `expected an ISO date (YYYY-MM-DD) or ISO-8601 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ), got ${JSON.stringify(value)}`,
    );
  }
}

/** The exchange's time zone: US equity sessions are dated in New York time. */
export const EXCHANGE_TIME_ZONE = 'America/New_York';

const sessionDateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The exchange session date (America/New_York) of a bar timestamp. A plain date is
 * returned as it is; an instant is converted to New York local time first, so a bar
 * stamped 2021-03-01T20:00:00Z belongs to session 2021-03-01 and 2021-03-02T01:00:00Z
 * to 2021-03-01 as well.
 */
export function sessionDateOf(timestamp: string): string {
  if (timestamp.length === 10) return timestamp;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) {
    throw new ValidationError('timestamp', `not a valid timestamp: ${JSON.stringify(timestamp)}`);
  }
  return sessionDateFormatter.format(ms);
}

/** Day of the year, 1..366, of a `YYYY-MM-DD` date (as pandas' `dayofyear`). */
export function dayOfYear(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const t = Date.UTC(year, Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return Math.round((t - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
}
