import { ValidationError } from '@quantpipe/core';

/** Throws a ValidationError naming `argument` unless `value` is an integer window >= 2. */
export function assertWindow(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 2) {
    throw new ValidationError(argument, `expected an integer window >= 2, got ${String(value)}`);
  }
}

/** Throws a ValidationError naming `argument` unless `value` is array-like. */
export function assertArrayLike(
  argument: string,
  value: unknown,
): asserts value is ArrayLike<unknown> {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { length?: unknown }).length !== 'number'
  ) {
    throw new ValidationError(argument, 'expected an array or typed array');
  }
}

/** Throws a ValidationError naming the offending argument unless all arrays have one length. */
export function assertLengths(arrays: Readonly<Record<string, ArrayLike<unknown>>>): void {
  let firstName = '';
  let firstLength = -1;
  for (const name of Object.keys(arrays)) {
    const arr = arrays[name];
    assertArrayLike(name, arr);
    if (firstLength < 0) {
      firstName = name;
      firstLength = arr.length;
    } else if (arr.length !== firstLength) {
      throw new ValidationError(
        name,
        `length ${arr.length} differs from ${firstName} (length ${firstLength})`,
      );
    }
  }
}

/** Throws a ValidationError naming `argument` unless every value is a finite price > 0. */
export function assertPrices(argument: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v > 0) || v === Infinity) {
      throw new ValidationError(
        `${argument}[${i}]`,
        `expected a finite price > 0, got ${String(v)}`,
      );
    }
  }
}

/** Throws a ValidationError naming `argument` if a value is not a number or is ±Infinity. */
export function assertNumbersOrNaN(argument: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
      throw new ValidationError(
        `${argument}[${i}]`,
        `expected a finite number or NaN, got ${String(v)}`,
      );
    }
  }
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Day of the year (1..366) of a `YYYY-MM-DD` calendar date, as pandas' `dayofyear`, or NaN
 * when the text is not a real calendar date. Parses character codes: no Date objects.
 */
export function isoDayOfYear(date: string): number {
  if (typeof date !== 'string' || date.length !== 10) return NaN;
  if (date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const month = digit(date, 5) * 10 + digit(date, 6);
  const day = digit(date, 8) * 10 + digit(date, 9);
  if (!(month >= 1 && month <= 12 && day >= 1)) return NaN;
  const leap = isLeapYear(year) && month > 2 ? 1 : 0;
  const monthDays =
    (DAYS_IN_MONTH[month - 1] as number) + (month === 2 && isLeapYear(year) ? 1 : 0);
  if (day > monthDays) return NaN;
  return (DAYS_BEFORE_MONTH[month - 1] as number) + day + leap;
}

/**
 * Throws a ValidationError naming `argument` unless every entry is a `YYYY-MM-DD` date and the
 * dates strictly increase (no duplicates). Returns the day of year of each date.
 */
export function checkDates(argument: string, dates: ArrayLike<string>): Int16Array {
  const out = new Int16Array(dates.length);
  let previous = '';
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i] as string;
    const doy = isoDayOfYear(d);
    if (doy !== doy) {
      throw new ValidationError(
        `${argument}[${i}]`,
        `expected an ISO date YYYY-MM-DD, got ${JSON.stringify(d)}`,
      );
    }
    if (i > 0 && !(d > previous)) {
      throw new ValidationError(
        `${argument}[${i}]`,
        d === previous
          ? `duplicate date ${d}`
          : `dates must increase: ${d} comes after ${previous}`,
      );
    }
    previous = d;
    out[i] = doy;
  }
  return out;
}

/** The values as a Float64Array: the same object when it already is one (never written to). */
export function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
