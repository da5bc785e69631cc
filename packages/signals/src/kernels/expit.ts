/**
 * The logistic sigmoid `1 / (1 + e^-x)`, as scipy's `expit`.
 *
 * @param x any number (NaN gives NaN).
 */
export function expit(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
