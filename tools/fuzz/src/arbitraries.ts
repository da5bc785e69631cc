/**
 * Inputs the fuzz targets are called with: numbers and arrays of every awkward kind (NaN,
 * ±Infinity, huge, tiny, subnormal, -0, empty, typed and plain arrays) and values of the wrong
 * type where a number, an array or an object is expected — what a library caller can pass.
 */
import fc from 'fast-check';

/** Numbers that break naive arithmetic. */
export const SPECIAL_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e300,
  -1e300,
  1e-300,
  Number.EPSILON,
  2 ** 53,
];

/** Values of the wrong type (none is a number or an array of numbers). */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  undefined,
  'abc',
  '12',
  '',
  true,
  {},
  { length: 3 },
  { length: -1 },
  { length: Number.NaN },
  ['a', 'b', 'c'],
  [null, undefined],
  10n,
  () => 1,
  new Date(0),
);

/** Any number: realistic returns and prices, arbitrary doubles and the special values. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -0.2, max: 0.2, noNaN: true }) },
  { weight: 3, arbitrary: fc.double({ min: 0.01, max: 5000, noNaN: true }) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
);

/** A number, or now and then a value of the wrong type. */
export const numberOrWrong: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyNumber },
  { weight: 1, arbitrary: wrongType },
);

/** Plain arrays of numbers (often empty or short, up to 300 long). */
export const numberArray: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<number[]>([]) },
  { weight: 4, arbitrary: fc.array(anyNumber, { maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(anyNumber, { minLength: 60, maxLength: 300 }) },
);

/** A realistic daily return series (finite, small), long enough for every window. */
export const returnSeries: fc.Arbitrary<number[]> = fc.array(
  fc.double({ min: -0.1, max: 0.1, noNaN: true }),
  { minLength: 0, maxLength: 300 },
);

/** A price series (finite, > 0) from returns. */
export const priceSeries: fc.Arbitrary<number[]> = returnSeries.map((rs) => {
  let p = 100;
  return rs.map((r) => (p *= 1 + r));
});

/** Arrays of numbers as plain arrays or Float64Arrays, or a value of the wrong type. */
export const arrayOrWrong: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: numberArray },
  { weight: 2, arbitrary: numberArray.map((a) => Float64Array.from(a)) },
  { weight: 2, arbitrary: priceSeries },
  { weight: 1, arbitrary: wrongType },
);

/**
 * A window length: mostly valid (2..60), sometimes invalid (0, 1, negative, fractional, NaN,
 * ±Infinity, past 2^53) or huge (2^31, 1e9: the call must refuse or finish, never hang), or of
 * the wrong type.
 */
export const windowArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 2, max: 60 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      0,
      1,
      -5,
      2.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 31,
      1e9,
      2 ** 53 + 2,
    ),
  },
  { weight: 1, arbitrary: wrongType },
);

/** `n` consecutive calendar dates from 2020-01-01 (ISO `YYYY-MM-DD`). */
export function isoDates(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/** `n` hourly ISO-8601 UTC instants from 2020-01-01T14:00:00Z, within sessions. */
export function isoHours(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = Math.floor(i / 7);
    const ms = Date.UTC(2020, 0, 1) + day * 86_400_000 + (14 + (i % 7)) * 3_600_000;
    out.push(`${new Date(ms).toISOString().slice(0, 19)}Z`);
  }
  return out;
}

/** Dates matching a length: usually valid, sometimes a wrong type or a bad date. */
export function datesFor(length: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(isoDates(length)) },
    { weight: 1, arbitrary: fc.constant(isoDates(length).reverse()) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        isoDates(length).map((d, i) => (i === 0 ? '2020-02-30' : d)),
        isoDates(length + 1),
        null,
        'dates',
      ),
    },
  );
}

/** Length of an array-like argument, 0 when it is not one. */
export function lengthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isSafeInteger(length) && length > 0 ? length : 0;
}
