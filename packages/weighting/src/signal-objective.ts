/**
 * The spec's weighting objective (section 4.1), evaluated in the seed's order:
 * `-sum_i w_i ic_i + 0.5 * (sum_{i<j} w_i w_j |corr_ij|) / n_pairs`, with
 * `n_pairs = n (n - 1) / 2` (no division when n = 1). Only the upper triangle of `corr` is read.
 *
 * @param weights weights in the column order of `ics` and `corr`.
 * @param ics information coefficient per signal.
 * @param corr correlation accessor `corr(i, j)` for i < j.
 */
export function signalWeightObjective(
  weights: ArrayLike<number>,
  ics: ArrayLike<number>,
  corr: (i: number, j: number) => number,
): number {
  const n = weights.length;
  let weightedIc = 0;
  for (let i = 0; i < n; i++) weightedIc += (weights[i] as number) * (ics[i] as number);
  let avgCorr = 0;
  let nPairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      avgCorr += (weights[i] as number) * (weights[j] as number) * Math.abs(corr(i, j));
      nPairs += 1;
    }
  }
  if (nPairs > 0) avgCorr /= nPairs;
  return -weightedIc + 0.5 * avgCorr;
}
