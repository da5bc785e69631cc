import { ValidationError } from '@quantpipe/core';

/**
 * Signal columns by name, all of one length and aligned on the same bars (the spec's
 * `signals_df`). Column order is the object's key order (insertion order for non-numeric names).
 */
export type SignalFrame = Readonly<Record<string, ArrayLike<number>>>;

/**
 * Checks that a frame has at least one column, all columns have the same length and
 * hold numbers (NaN allowed: it marks a missing value); returns the names and the length.
 */
export function frameShape(
  signals: SignalFrame,
  argument = 'signals',
): {
  names: string[];
  rows: number;
} {
  if (signals === null || typeof signals !== 'object') {
    throw new ValidationError(argument, 'expected an object of signal columns');
  }
  const names = Object.keys(signals);
  if (names.length === 0)
    throw new ValidationError(argument, 'expected at least one signal column');
  let rows = -1;
  for (const name of names) {
    const col = signals[name] as ArrayLike<number> | null | undefined;
    const length = col !== null && typeof col === 'object' ? col.length : undefined;
    if (col == null || typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw new ValidationError(`${argument}.${name}`, 'expected an array of numbers');
    }
    if (rows === -1) rows = col.length;
    else if (col.length !== rows) {
      throw new ValidationError(
        `${argument}.${name}`,
        `length ${col.length} differs from ${names[0]} (length ${rows})`,
      );
    }
    assertNumbersOrNaN(`${argument}.${name}`, col);
  }
  return { names, rows };
}

/**
 * Throws a ValidationError naming `argument[i]` for the first of `values[from, to)` that is
 * not a number or is ±Infinity (NaN is allowed: it marks a missing value). Returns whether a
 * NaN was seen.
 */
export function assertNumbersOrNaN(
  argument: string,
  values: ArrayLike<number>,
  from = 0,
  to = values.length,
): boolean {
  let nan = false;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
      throw new ValidationError(`${argument}[${i}]`, `expected a number or NaN, got ${String(v)}`);
    }
    if (v !== v) nan = true;
  }
  return nan;
}
