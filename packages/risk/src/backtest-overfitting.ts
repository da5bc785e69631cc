import { ValidationError, assertArrayLike } from '@quantpipe/core';

/** Options of {@link probabilityOfBacktestOverfitting}. */
export interface BacktestOverfittingOptions {
  /** S, the number of equal row groups (even, 2..20). Default 16 (12,870 combinations). */
  readonly partitions?: number;
}

/** What CSCV found. */
export interface BacktestOverfitting {
  /**
   * PBO: the share of the C(S, S/2) splits in which the trial that is best in-sample ranks at
   * or below the median out-of-sample (logit λ <= 0).
   */
  readonly pbo: number;
  /** λ_c = ln(ω_c / (1 − ω_c)) of every split, ω_c the in-sample best's relative OOS rank. */
  readonly logits: readonly number[];
  readonly partitions: number;
  /** Rows used: the first T mod S rows are dropped so the groups are equal. */
  readonly periodsUsed: number;
  readonly trials: number;
}

/** Sharpe ratio from count, sum and sum of squares (sample std); ±∞ or 0 when flat. */
function sharpeOf(n: number, sum: number, sumSq: number): number {
  const mean = sum / n;
  const variance = Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
  if (variance === 0) return mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  return mean / Math.sqrt(variance);
}

/** Every subset of `size` of 0..n-1, as index arrays, in lexicographic order. */
function* subsets(n: number, size: number): Generator<number[]> {
  const pick = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    yield [...pick];
    let i = size - 1;
    while (i >= 0 && pick[i] === n - size + i) i--;
    if (i < 0) return;
    pick[i] = (pick[i] as number) + 1;
    for (let j = i + 1; j < size; j++) pick[j] = (pick[j - 1] as number) + 1;
  }
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, 2015). The T × N matrix of the N trials' returns (one series a
 * trial, all of length T) is cut into S groups of consecutive rows; for each of the C(S, S/2)
 * ways to take half the groups as in-sample (the rest out-of-sample) the trial with the best
 * in-sample Sharpe ratio is found (the first on ties), its out-of-sample Sharpe ratio ranked
 * among all trials' (average rank on ties, 1 = worst), ω = rank / (N + 1) and λ = ln(ω/(1−ω)).
 * PBO is the share of splits with λ <= 0.
 */
export function probabilityOfBacktestOverfitting(
  returnsByTrial: readonly (readonly number[])[],
  options: BacktestOverfittingOptions = {},
): BacktestOverfitting {
  assertArrayLike('returnsByTrial', returnsByTrial);
  const S = options.partitions ?? 16;
  if (!Number.isInteger(S) || S < 2 || S > 20 || S % 2 !== 0)
    throw new ValidationError('partitions', `expected an even whole number in [2, 20], got ${S}`);
  const N = returnsByTrial.length;
  if (N < 2) throw new ValidationError('returnsByTrial', `expected at least 2 trials, got ${N}`);
  const T = (returnsByTrial[0] as readonly number[]).length;
  returnsByTrial.forEach((series, n) => {
    assertArrayLike(`returnsByTrial[${n}]`, series);
    if (series.length !== T)
      throw new ValidationError(
        `returnsByTrial[${n}]`,
        `length ${series.length} differs from trial 0 (${T})`,
      );
    series.forEach((r, t) => {
      if (typeof r !== 'number' || !Number.isFinite(r))
        throw new ValidationError(`returnsByTrial[${n}][${t}]`, `expected a finite number`);
    });
  });
  const rowsPerGroup = Math.floor(T / S);
  const halfRows = rowsPerGroup * (S / 2);
  if (rowsPerGroup < 1 || halfRows < 2)
    throw new ValidationError(
      'returnsByTrial',
      `${T} periods are too few for ${S} partitions (each half needs 2 periods or more)`,
    );
  const skip = T - rowsPerGroup * S;
  // Per group and trial: sum and sum of squares, so a split adds S/2 numbers per trial.
  const sums = new Float64Array(S * N);
  const sumSqs = new Float64Array(S * N);
  for (let n = 0; n < N; n++) {
    const series = returnsByTrial[n] as readonly number[];
    for (let g = 0; g < S; g++) {
      let s = 0;
      let ss = 0;
      for (let t = skip + g * rowsPerGroup, end = t + rowsPerGroup; t < end; t++) {
        const r = series[t] as number;
        s += r;
        ss += r * r;
      }
      sums[g * N + n] = s;
      sumSqs[g * N + n] = ss;
    }
  }
  const logits: number[] = [];
  let overfit = 0;
  const inSample = new Float64Array(N);
  const outOfSample = new Float64Array(N);
  for (const chosen of subsets(S, S / 2)) {
    const isIn = new Uint8Array(S);
    for (const g of chosen) isIn[g] = 1;
    for (let n = 0; n < N; n++) {
      let sIn = 0;
      let ssIn = 0;
      let sOut = 0;
      let ssOut = 0;
      for (let g = 0; g < S; g++) {
        const k = g * N + n;
        if (isIn[g]) {
          sIn += sums[k] as number;
          ssIn += sumSqs[k] as number;
        } else {
          sOut += sums[k] as number;
          ssOut += sumSqs[k] as number;
        }
      }
      inSample[n] = sharpeOf(halfRows, sIn, ssIn);
      outOfSample[n] = sharpeOf(halfRows, sOut, ssOut);
    }
    let best = 0;
    for (let n = 1; n < N; n++) if ((inSample[n] as number) > (inSample[best] as number)) best = n;
    const target = outOfSample[best] as number;
    let below = 0;
    let equal = 0;
    for (let n = 0; n < N; n++) {
      const v = outOfSample[n] as number;
      if (v < target) below++;
      else if (v === target) equal++;
    }
    const rank = below + (equal + 1) / 2;
    const omega = rank / (N + 1);
    const logit = Math.log(omega / (1 - omega));
    logits.push(logit);
    if (logit <= 0) overfit++;
  }
  return { pbo: overfit / logits.length, logits, partitions: S, periodsUsed: T - skip, trials: N };
}
