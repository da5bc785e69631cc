/**
 * True for negative numbers and for -0, like C's `signbit` (which pandas uses to count the
 * negative values of a rolling window).
 */
export function hasNegativeSign(value: number): boolean {
  return value < 0 || (value === 0 && 1 / value < 0);
}
