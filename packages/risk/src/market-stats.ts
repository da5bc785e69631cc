import { DataError, ValidationError, assertArrayLike } from '@quantpipe/core';
import type { Bar } from '@quantpipe/core';

/** Per-symbol market figures the cost model needs. */
export interface SymbolMarketStats {
  /** Last close in USD. */
  readonly priceUsd: number;
  /** Mean daily volume in shares over the window. */
  readonly adv: number;
  /** Annualised volatility (fraction) of the window's close-to-close returns. */
  readonly volatility: number;
}

/** Options of {@link marketStatsFromBars}. */
export interface MarketStatsOptions {
  /** Bars used, counted from the end. Default 20 (spec: `get_bars(..., limit=20)`). */
  readonly windowBars?: number;
  /** Periods a year for annualising. Default 252. */
  readonly periodsPerYear?: number;
}

/**
 * Price, ADV and volatility from the last `windowBars` daily bars, as the spec's
 * `log_estimated_costs` computes them:
 *
 *     priceUsd   = close[-1]
 *     adv        = mean(volume)                                  (over the window)
 *     volatility = std(close.pct_change(), ddof=1) * sqrt(252)    (window-1 returns)
 *
 * `bars` must be in ascending order (only the last `windowBars` are read). Throws a
 * {@link DataError} for fewer than 3 bars in the window, a non-positive or non-finite close, or
 * a negative or non-finite volume.
 */
export function marketStatsFromBars(
  bars: readonly Bar[],
  options: MarketStatsOptions = {},
): SymbolMarketStats {
  const windowBars = options.windowBars ?? 20;
  const periodsPerYear = options.periodsPerYear ?? 252;
  if (!Number.isSafeInteger(windowBars) || windowBars < 3) {
    throw new ValidationError('windowBars', `expected an integer >= 3, got ${String(windowBars)}`);
  }
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new ValidationError(
      'periodsPerYear',
      `expected a finite number > 0, got ${String(periodsPerYear)}`,
    );
  }
  assertArrayLike('bars', bars);
  // Read in place (no copy): this runs for every symbol on every cycle.
  const from = Math.max(0, bars.length - windowBars);
  const count = bars.length - from;
  if (count < 3) {
    throw new DataError(`need at least 3 bars to estimate volatility, got ${count}`);
  }
  let volumeSum = 0;
  for (let i = from; i < bars.length; i++) {
    const bar = bars[i] as Bar;
    if (bar === null || typeof bar !== 'object')
      throw new ValidationError(`bars[${i}]`, 'expected a bar object');
    if (!Number.isFinite(bar.close) || bar.close <= 0) {
      throw new DataError(
        `${bar.symbol} ${bar.timestamp}: close must be finite and > 0, got ${bar.close}`,
      );
    }
    if (!Number.isFinite(bar.volume) || bar.volume < 0) {
      throw new DataError(
        `${bar.symbol} ${bar.timestamp}: volume must be finite and >= 0, got ${bar.volume}`,
      );
    }
    volumeSum += bar.volume;
  }
  const adv = volumeSum / count;
  // Two passes over the close-to-close returns (mean, then squared deviations), as pandas.
  let sum = 0;
  for (let i = from + 1; i < bars.length; i++)
    sum += (bars[i] as Bar).close / (bars[i - 1] as Bar).close - 1;
  const returnCount = count - 1;
  const mean = sum / returnCount;
  let ss = 0;
  for (let i = from + 1; i < bars.length; i++) {
    const d = (bars[i] as Bar).close / (bars[i - 1] as Bar).close - 1 - mean;
    ss += d * d;
  }
  const volatility = Math.sqrt(ss / (returnCount - 1)) * Math.sqrt(periodsPerYear);
  return { priceUsd: (bars[bars.length - 1] as Bar).close, adv, volatility };
}
