// Dependants type-check this file from source, outside this project's include: the reference
// brings the declarations of the untyped jStat package along.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./jstat.d.ts" />
import jStat from 'jstat';

/** Standard normal CDF Φ(x) (jStat; absolute error below 1e-15). */
export function standardNormalCdf(x: number): number {
  return jStat.normal.cdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p) for p in (0, 1) (jStat; relative error about 1e-15). */
export function standardNormalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}
