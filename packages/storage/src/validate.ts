import {
  ValidationError,
  isBarTimestamp,
  isIsoDate,
  isIsoUtcTimestamp,
  type JsonValue,
  type Timeframe,
} from '@quantpipe/core';

/** The longest id (run, client order, venue order, fill, state key, run mode) stored. */
export const MAX_ID_LENGTH = 256;

/** The longest symbol stored. */
export const MAX_SYMBOL_LENGTH = 32;

/**
 * The largest JSON text (journal payload, engine state, run config, alert context) and alert
 * text stored, in UTF-8 bytes: 8 MiB, orders of magnitude above what a cycle of a large
 * universe writes, and far below what would stall a write or a restart's read-back.
 */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;

/** A bad value as short text for a message: a huge string is not copied into the error. */
function shown(value: unknown): string {
  if (typeof value === 'string' && value.length > 64)
    return `${JSON.stringify(value.slice(0, 64))}… (${value.length} characters)`;
  return JSON.stringify(value) ?? String(value);
}

/** Throws unless `value` is a non-empty string of at most `maxLength` (ids: 256) characters. */
export function assertNonEmptyString(
  argument: string,
  value: unknown,
  maxLength = MAX_ID_LENGTH,
): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(argument, `expected a non-empty string, got ${shown(value)}`);
  }
  if (value.length > maxLength) {
    throw new ValidationError(
      argument,
      `expected at most ${maxLength} characters, got ${shown(value)}`,
      { context: { length: value.length, maxLength } },
    );
  }
}

/** Throws unless `value` is a symbol: a non-empty string of at most 32 characters. */
export function assertSymbol(argument: string, value: unknown): asserts value is string {
  assertNonEmptyString(argument, value, MAX_SYMBOL_LENGTH);
}

/** Throws unless `text` (JSON or alert text about to be stored) is at most 8 MiB of UTF-8. */
export function assertTextSize(argument: string, text: string): void {
  // Cheap bounds first: UTF-8 takes at least 1 and at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 <= MAX_JSON_BYTES) return;
  const bytes = text.length > MAX_JSON_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_JSON_BYTES) {
    const size = bytes === text.length ? `at least ${bytes}` : String(bytes);
    throw new ValidationError(argument, `${size} bytes exceed the limit of ${MAX_JSON_BYTES}`, {
      context: { bytes, maxBytes: MAX_JSON_BYTES },
    });
  }
}

/**
 * The last two instants found valid: bulk writes repeat a few instants for many rows (a cycle's
 * orders are submitted at one instant and filled at another), so they are parsed once.
 */
let lastValidInstant = '';
let previousValidInstant = '';

/** Throws unless `value` is an ISO-8601 UTC instant (`YYYY-MM-DDTHH:MM:SS(.fff)Z`). */
export function assertUtcInstant(argument: string, value: unknown): asserts value is string {
  if (value === lastValidInstant || value === previousValidInstant) return;
  if (typeof value !== 'string' || !isIsoUtcTimestamp(value)) {
    throw new ValidationError(
      argument,
      `expected an ISO-8601 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ), got ${JSON.stringify(value)}`,
    );
  }
  previousValidInstant = lastValidInstant;
  lastValidInstant = value;
}

/** The last bar time found valid: a cycle's rows share one timestamp. */
let lastValidBarTime = '';

/** Throws unless `value` is a bar timestamp (`YYYY-MM-DD` or ISO-8601 UTC instant). */
export function assertBarTime(argument: string, value: unknown): asserts value is string {
  if (value === lastValidBarTime) return;
  if (typeof value !== 'string' || !isBarTimestamp(value)) {
    throw new ValidationError(
      argument,
      `expected an ISO date (YYYY-MM-DD) or ISO-8601 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ), got ${JSON.stringify(value)}`,
    );
  }
  lastValidBarTime = value;
}

/**
 * `error` with its argument moved under `path` when it is a ValidationError of the argument
 * `from` or one of its fields (`fill.priceUsd` from `fill` becomes `entries[3].fills[0].priceUsd`),
 * else `error` itself. Bulk writes validate each row under a fixed name and build the row's
 * path only for the row that fails.
 */
export function atPath(error: unknown, from: string, path: string): unknown {
  if (!(error instanceof ValidationError)) return error;
  const argument = error.argument;
  if (argument !== from && !argument.startsWith(`${from}.`)) return error;
  const moved = `${path}${argument.slice(from.length)}`;
  const detail = error.message.startsWith(`${argument}: `)
    ? error.message.slice(argument.length + 2)
    : error.message;
  const { argument: _argument, ...context } = error.context;
  return new ValidationError(moved, detail, { cause: error, context });
}

/** Throws unless `value` is a finite number (money, prices, P&L). */
export function assertFiniteNumber(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(argument, `expected a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is undefined or a finite number. */
export function assertOptionalFinite(argument: string, value: unknown): void {
  if (value !== undefined) assertFiniteNumber(argument, value);
}

/** Throws unless `value` is a safe integer >= `min` (share counts). */
export function assertWholeNumber(
  argument: string,
  value: unknown,
  min: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(argument, `expected a whole number >= ${min}, got ${String(value)}`);
  }
}

/** Throws unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(
  argument: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(
      argument,
      `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
}

/** The timeframes the cache stores. */
export const TIMEFRAMES: readonly Timeframe[] = ['1Day', '1Hour'];

/** `YYYY-MM-DDTHH:MM:SSZ`: a real UTC instant in whole seconds (core's form without fractions). */
export function isWholeSecondInstant(value: string): boolean {
  return value.length === 20 && isIsoUtcTimestamp(value);
}

/**
 * Throws unless `value` is the timestamp form of `timeframe`: a session date for `1Day`,
 * a whole-second UTC instant for `1Hour`. One form per timeframe keeps text order equal to
 * time order, so range queries compare strings.
 */
export function assertTimestampOfTimeframe(
  argument: string,
  value: unknown,
  timeframe: Timeframe,
): void {
  if (timeframe === '1Day') {
    if (typeof value !== 'string' || !isIsoDate(value)) {
      throw new ValidationError(
        argument,
        `daily bars are keyed by session date YYYY-MM-DD, got ${JSON.stringify(value)}`,
      );
    }
  } else if (typeof value !== 'string' || !isWholeSecondInstant(value)) {
    throw new ValidationError(
      argument,
      `intraday bars are keyed by an ISO-8601 UTC instant YYYY-MM-DDTHH:MM:SSZ, got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Turns an inclusive range bound (a date or an instant) into the stored form of `timeframe`,
 * so that string comparison is time comparison. For `1Hour`: a date starts at 00:00:00Z
 * (start) or ends at 23:59:59Z (end); fractional seconds round inward. For `1Day`: an instant
 * maps to its UTC date.
 */
export function normaliseBound(
  argument: string,
  value: string,
  timeframe: Timeframe,
  side: 'start' | 'end',
): string {
  assertBarTime(argument, value);
  if (timeframe === '1Day') return value.slice(0, 10);
  if (value.length === 10) return side === 'start' ? `${value}T00:00:00Z` : `${value}T23:59:59Z`;
  const ms = Date.parse(value);
  const seconds = side === 'start' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * Throws unless `value` is a JSON value that survives `JSON.stringify`/`JSON.parse`
 * unchanged: finite numbers, strings, booleans, null, arrays and plain objects, with no
 * undefined members. (`JSON.stringify` would silently turn NaN into null and drop
 * undefined: that is lost data.)
 */
export function assertJsonValue(
  argument: string,
  value: unknown,
  depth = 0,
): asserts value is JsonValue {
  if (depth > 200) throw new ValidationError(argument, 'JSON value nested deeper than 200 levels');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ValidationError(argument, `JSON cannot hold the number ${String(value)}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJsonValue(`${argument}[${i}]`, item, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new ValidationError(
        argument,
        'expected a plain object (class instances do not survive JSON)',
      );
    }
    for (const [key, item] of Object.entries(value)) {
      assertJsonValue(`${argument}.${key}`, item, depth + 1);
    }
    return;
  }
  throw new ValidationError(argument, `JSON cannot hold a ${typeof value}`);
}

/** Throws unless `value` is a finite price > 0. */
export function assertPositivePrice(argument: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(argument, `expected a finite price > 0, got ${String(value)}`);
  }
}
