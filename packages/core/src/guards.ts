import { ValidationError } from './errors';

/** Throws unless `value` is a finite number. */
export function assertFinite(argument: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(argument, `expected a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(argument: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(argument, `expected a finite number > 0, got ${String(value)}`);
  }
}

/** Throws unless `value` is an integer >= `min`. */
export function assertInteger(
  argument: string,
  value: number,
  min = Number.MIN_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(argument, `expected an integer >= ${min}, got ${String(value)}`);
  }
}

/**
 * Throws unless `value` is array-like: an array, a typed array or another object whose
 * `length` is a whole number >= 0 (so `null`, strings, numbers and `{ length: -1 }` are
 * refused before any loop or allocation uses them).
 */
export function assertArrayLike(
  argument: string,
  value: unknown,
): asserts value is ArrayLike<unknown> {
  const length =
    value !== null && typeof value === 'object'
      ? (value as { length?: unknown }).length
      : undefined;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new ValidationError(argument, 'expected an array or typed array');
  }
}

/** Throws unless every array has the length of the first. `arrays` maps names to arrays. */
export function assertSameLength(arrays: Readonly<Record<string, ArrayLike<unknown>>>): void {
  let first: [string, number] | undefined;
  for (const [name, arr] of Object.entries(arrays)) {
    if (first === undefined) first = [name, arr.length];
    else if (arr.length !== first[1]) {
      throw new ValidationError(
        name,
        `length ${arr.length} differs from ${first[0]} (length ${first[1]})`,
      );
    }
  }
}
