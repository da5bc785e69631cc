import { ValidationError } from '@quantpipe/core';
import { assertArrayLike } from '../validate';

/**
 * `x[t] - x[t-1]`, as pandas' `Series.diff()`: the first value is NaN.
 *
 * @param values input series, oldest first.
 */
export function diff(values: ArrayLike<number>): Float64Array {
  assertArrayLike('values', values);
  const n = values.length;
  const out = new Float64Array(n);
  let previous = NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    out[i] = v - previous;
    previous = v;
  }
  return out;
}

/**
 * `x[t - periods]`, as pandas' `Series.shift(periods)`; NaN where that index does not exist.
 * `shift(x, -1)` looks one bar ahead (research alignment only: never feed it to a decision).
 *
 * @param values input series, oldest first.
 * @param periods integer shift (positive lags, negative leads).
 */
export function shift(values: ArrayLike<number>, periods: number): Float64Array {
  assertArrayLike('values', values);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i - periods;
    out[i] = j >= 0 && j < n ? (values[j] as number) : NaN;
  }
  return out;
}

/**
 * Replaces NaN with `value`, as pandas' `fillna(value)`.
 *
 * @param values input series.
 * @param value replacement for NaN (default 0).
 */
export function fillNaN(values: ArrayLike<number>, value = 0): Float64Array {
  assertArrayLike('values', values);
  if (typeof value !== 'number')
    throw new ValidationError('value', `expected a number, got ${typeof value}`);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    out[i] = v === v ? v : value;
  }
  return out;
}
