import type { DailyEquity } from '@quantpipe/storage';

/** Daily returns with their dates. */
export interface DatedReturns {
  readonly dates: readonly string[];
  readonly returns: readonly number[];
}

/**
 * A run's daily returns from its daily equity: the first session's from the initial capital,
 * each later one from the session before.
 */
export function dailyReturns(equity: DailyEquity, initialCapitalUsd: number): DatedReturns {
  const returns: number[] = [];
  let previous = initialCapitalUsd;
  for (const e of equity.equityUsd) {
    returns.push(e / previous - 1);
    previous = e;
  }
  return { dates: [...equity.dates], returns };
}

/**
 * Joins return segments (walk-forward out-of-sample windows, in order) into one series. Each
 * segment was a run of its own from the initial capital; chaining their returns is the equity
 * of one account that traded every segment in turn.
 */
export function joinReturns(segments: readonly DatedReturns[]): DatedReturns {
  return {
    dates: segments.flatMap((s) => s.dates),
    returns: segments.flatMap((s) => s.returns),
  };
}

/** The equity curve of a return series from `initialCapitalUsd`. */
export function compound(series: DatedReturns, initialCapitalUsd: number): DailyEquity {
  let equity = initialCapitalUsd;
  return {
    dates: [...series.dates],
    equityUsd: series.returns.map((r) => (equity *= 1 + r)),
  };
}
