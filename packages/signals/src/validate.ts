import { assertArrayLike, assertSameLength, ValidationError } from '@quantpipe/core';

export { assertArrayLike };

/**
 * The longest window any function or class accepts, in bars (about 4,000 years of daily bars,
 * or 10 years of one-minute bars of a US session). A bound, so that a mistyped window cannot
 * make a kernel allocate or loop over billions of slots.
 */
export const MAX_WINDOW_BARS = 1_000_000;

/**
 * Throws a ValidationError naming `argument` unless `value` is an integer window in
 * `[2, MAX_WINDOW_BARS]`.
 */
export function assertWindow(argument: string, value: unknown): asserts value is number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 2 ||
    value > MAX_WINDOW_BARS
  ) {
    throw new ValidationError(
      argument,
      `expected an integer window in [2, ${MAX_WINDOW_BARS}], got ${String(value)}`,
    );
  }
}

/** `value` after {@link assertWindow} (for constructors that pass it on). */
export function checkedWindow(argument: string, value: unknown): number {
  assertWindow(argument, value);
  return value;
}

/**
 * Throws a ValidationError naming the offending argument unless every value of `arrays` is
 * array-like and all have one length (core's two guards, in this order).
 */
export function assertLengths(arrays: Readonly<Record<string, ArrayLike<unknown>>>): void {
  for (const name of Object.keys(arrays)) assertArrayLike(name, arrays[name]);
  assertSameLength(arrays);
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

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The key `(year * 16 + month) * 32 + day` of a `YYYY-MM-DD` calendar date, or -1 when the text
 * is not a real calendar date. Keys order as the dates do, so checking that dates increase is an
 * integer comparison. Parses character codes: no Date objects, no string comparison.
 */
export function isoDateKey(date: unknown): number {
  if (typeof date !== 'string' || date.length !== 10) return -1;
  const y0 = date.charCodeAt(0) - 48;
  const y1 = date.charCodeAt(1) - 48;
  const y2 = date.charCodeAt(2) - 48;
  const y3 = date.charCodeAt(3) - 48;
  const m0 = date.charCodeAt(5) - 48;
  const m1 = date.charCodeAt(6) - 48;
  const d0 = date.charCodeAt(8) - 48;
  const d1 = date.charCodeAt(9) - 48;
  // every digit in 0..9 (unsigned compare) and the two dashes in place
  if (
    y0 >>> 0 > 9 ||
    y1 >>> 0 > 9 ||
    y2 >>> 0 > 9 ||
    y3 >>> 0 > 9 ||
    m0 >>> 0 > 9 ||
    m1 >>> 0 > 9 ||
    d0 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    date.charCodeAt(4) !== 45 ||
    date.charCodeAt(7) !== 45
  ) {
    return -1;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1) return -1;
  const monthDays =
    (DAYS_IN_MONTH[month - 1] as number) + (month === 2 && isLeapYear(year) ? 1 : 0);
  if (day > monthDays) return -1;
  return (year * 16 + month) * 32 + day;
}

/** Day of the year (1..366, as pandas' `dayofyear`) of a valid key of {@link isoDateKey}. */
export function dayOfYearOfKey(key: number): number {
  const year = key >> 9;
  const month = (key >> 5) & 15;
  const day = key & 31;
  return (DAYS_BEFORE_MONTH[month - 1] as number) + day + (month > 2 && isLeapYear(year) ? 1 : 0);
}

/**
 * Day of the year (1..366) of a `YYYY-MM-DD` calendar date, as pandas' `dayofyear`, or NaN
 * when the text is not a real calendar date. Parses character codes: no Date objects.
 */
export function isoDayOfYear(date: string): number {
  const key = isoDateKey(date);
  return key < 0 ? NaN : dayOfYearOfKey(key);
}

/** Throws the ValidationError of {@link checkDates} for entry `i`. */
function badDate(argument: string, dates: ArrayLike<string>, i: number): never {
  const d = dates[i];
  if (isoDateKey(d) < 0) {
    throw new ValidationError(
      `${argument}[${i}]`,
      `expected an ISO date YYYY-MM-DD, got ${JSON.stringify(d)}`,
    );
  }
  const previous = dates[i - 1];
  throw new ValidationError(
    `${argument}[${i}]`,
    d === previous
      ? `duplicate date ${String(d)}`
      : `dates must increase: ${String(d)} comes after ${String(previous)}`,
  );
}

/**
 * Throws a ValidationError naming `argument` unless every entry is a `YYYY-MM-DD` date and the
 * dates strictly increase (no duplicates). Returns the day of year of each date (shared with
 * later calls on the same array: read it, never write it). Parses
 * character codes into a numeric key (no Date objects, no string comparisons): this runs once
 * per bar of every batch call.
 */
export function checkDates(argument: string, dates: ArrayLike<string>): Int16Array {
  // The same dates array is typically passed for every symbol of a universe: if this array
  // was checked before and still holds the very same strings, reuse that result.
  const memo = checkedDates.get(dates);
  if (memo !== undefined && memo.strings.length === dates.length) {
    let same = true;
    for (let i = 0; i < dates.length; i++) {
      if (memo.strings[i] !== dates[i]) {
        same = false;
        break;
      }
    }
    if (same) return memo.dayOfYear;
  }
  const result = parseDates(argument, dates);
  checkedDates.set(dates, { strings: Array.from(dates), dayOfYear: result });
  return result;
}

/**
 * Dates arrays already checked, by identity, with a copy of their strings: a weak cache (it
 * never keeps an array alive) that changes no result, only skips re-parsing.
 */
const checkedDates = new WeakMap<object, { strings: string[]; dayOfYear: Int16Array }>();

function parseDates(argument: string, dates: ArrayLike<string>): Int16Array {
  const n = dates.length;
  const out = new Int16Array(n);
  let previousKey = -1;
  for (let i = 0; i < n; i++) {
    const key = isoDateKey(dates[i]);
    // an invalid date's key (-1) is below every key
    if (key <= previousKey) badDate(argument, dates, i);
    previousKey = key;
    out[i] = dayOfYearOfKey(key);
  }
  return out;
}

/** Whether two typed arrays share any byte of memory. */
function overlaps(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Throws a ValidationError naming `argument` (and the member) unless `outputs` has, under each
 * of `names`, a Float64Array of length `length`, none sharing memory with another or with
 * `inputs` (a pass reads its inputs after writing earlier outputs).
 */
export function assertOutputs(
  argument: string,
  outputs: unknown,
  names: readonly string[],
  length: number,
  inputs: readonly Float64Array[],
): void {
  if (outputs === null || typeof outputs !== 'object') {
    throw new ValidationError(argument, `expected { ${names.join(', ')} } of Float64Arrays`);
  }
  const seen: Float64Array[] = [];
  for (const name of names) {
    const value = (outputs as Record<string, unknown>)[name];
    if (!(value instanceof Float64Array)) {
      throw new ValidationError(`${argument}.${name}`, 'expected a Float64Array');
    }
    if (value.length !== length) {
      throw new ValidationError(
        `${argument}.${name}`,
        `expected length ${length} (the inputs'), got ${value.length}`,
      );
    }
    if (inputs.some((x) => overlaps(x, value)) || seen.some((o) => overlaps(o, value))) {
      throw new ValidationError(
        `${argument}.${name}`,
        'shares memory with an input or another output',
      );
    }
    seen.push(value);
  }
}

/** The values as a Float64Array: the same object when it already is one (never written to). */
export function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
