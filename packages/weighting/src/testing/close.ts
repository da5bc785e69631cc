/** The project's float tolerance against reference values: |x - ref| <= 1e-9 + 1e-7 |ref|. */
export function isClose(actual: number, expected: number | null): boolean {
  if (expected === null) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-9 + 1e-7 * Math.abs(expected);
}

/** Throws a readable error unless every value is close to its reference (null = NaN). */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: readonly (number | null)[],
  what: string,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    if (!isClose(actual[i] as number, expected[i] ?? null)) {
      throw new Error(`${what}[${i}]: ${actual[i]} != ${expected[i]}`);
    }
  }
}
