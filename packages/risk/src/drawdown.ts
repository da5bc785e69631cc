import { ValidationError, assertArrayLike } from '@quantpipe/core';

/** The deepest drawdown of a return series and how long it lasted. */
export interface DrawdownAnalysis {
  /** The most negative drawdown, in [-1, 0] (0 when wealth never fell below a peak). */
  readonly maxDrawdown: number;
  /**
   * Index of the peak before the max drawdown: -1 is the starting capital (before the first
   * period), otherwise the period whose close was the peak.
   */
  readonly peakIndex: number;
  /** Index of the trough (the period of the max drawdown); -1 when there is no drawdown. */
  readonly troughIndex: number;
  /** First period at or above the peak again after the trough, or null if not recovered. */
  readonly recoveryIndex: number | null;
  /** Periods from the peak to the trough of the max drawdown. */
  readonly maxDrawdownPeriods: number;
  /**
   * The longest run of consecutive periods below the running peak (a run still open at the end
   * of the series counts up to the last period). Not necessarily the max drawdown's episode.
   */
  readonly longestDrawdownPeriods: number;
  /** `drawdowns[t] = W_t / max(1, max_{s<=t} W_s) - 1` for every period. */
  readonly drawdowns: number[];
}

/**
 * Drawdowns of the wealth path `W_t = prod_{s<=t} (1 + r_s)` with `W_{-1} = 1`; the starting
 * capital counts as a peak, so a first-period loss is a drawdown. Returns must be finite and
 * >= -1 (a loss beyond 100 % is not a return); throws a {@link ValidationError} otherwise.
 */
export function analyzeDrawdowns(returns: readonly number[]): DrawdownAnalysis {
  assertArrayLike('returns', returns);
  const n = returns.length;
  const drawdowns = new Array<number>(n);
  let wealth = 1;
  let peak = 1;
  let peakIdx = -1;
  let maxDd = 0;
  let maxPeakIdx = -1;
  let troughIdx = -1;
  let longest = 0;
  for (let t = 0; t < n; t++) {
    const r = returns[t] as number;
    if (typeof r !== 'number' || !Number.isFinite(r) || r < -1) {
      throw new ValidationError(
        `returns[${t}]`,
        `expected a finite return >= -1, got ${String(r)}`,
      );
    }
    wealth *= 1 + r;
    if (wealth >= peak) {
      peak = wealth;
      peakIdx = t;
      drawdowns[t] = 0;
      continue;
    }
    const dd = wealth / peak - 1;
    drawdowns[t] = dd;
    if (t - peakIdx > longest) longest = t - peakIdx;
    if (dd < maxDd) {
      maxDd = dd;
      maxPeakIdx = peakIdx;
      troughIdx = t;
    }
  }
  let recoveryIndex: number | null = null;
  if (troughIdx >= 0) {
    for (let t = troughIdx + 1; t < n; t++) {
      if ((drawdowns[t] as number) === 0) {
        recoveryIndex = t;
        break;
      }
    }
  }
  return {
    maxDrawdown: maxDd,
    peakIndex: troughIdx >= 0 ? maxPeakIdx : -1,
    troughIndex: troughIdx,
    recoveryIndex,
    maxDrawdownPeriods: troughIdx >= 0 ? troughIdx - maxPeakIdx : 0,
    longestDrawdownPeriods: longest,
    drawdowns,
  };
}
