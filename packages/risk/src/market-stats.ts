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

/** Where {@link marketStatsInto} writes (callers reuse one). */
export interface MutableMarketStats {
  priceUsd: number;
  adv: number;
  volatility: number;
}

function checkOptions(windowBars: number, periodsPerYear: number): void {
  if (!Number.isSafeInteger(windowBars) || windowBars < 3) {
    throw new ValidationError('windowBars', `expected an integer >= 3, got ${String(windowBars)}`);
  }
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new ValidationError(
      'periodsPerYear',
      `expected a finite number > 0, got ${String(periodsPerYear)}`,
    );
  }
}

/**
 * {@link marketStatsFromBars} over columns: the figures of the last `windowBars` bars of
 * `close[start, end)` and `volume[start, end)`, into `out` (allocates nothing). `label` names
 * the series in errors. The same operations in the same order as `marketStatsFromBars`, so both
 * give the same numbers bit for bit.
 */
export function marketStatsInto(
  out: MutableMarketStats,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  start: number,
  end: number,
  windowBars = 20,
  periodsPerYear = 252,
  label = 'series',
): void {
  checkOptions(windowBars, periodsPerYear);
  const from = Math.max(start, end - windowBars);
  const count = end - from;
  if (count < 3) {
    throw new DataError(`need at least 3 bars to estimate volatility, got ${count}`);
  }
  let volumeSum = 0;
  for (let i = from; i < end; i++) {
    const c = close[i] as number;
    const v = volume[i] as number;
    if (!Number.isFinite(c) || c <= 0) {
      throw new DataError(`${label}[${i}]: close must be finite and > 0, got ${c}`);
    }
    if (!Number.isFinite(v) || v < 0) {
      throw new DataError(`${label}[${i}]: volume must be finite and >= 0, got ${v}`);
    }
    volumeSum += v;
  }
  const adv = volumeSum / count;
  let sum = 0;
  for (let i = from + 1; i < end; i++) sum += (close[i] as number) / (close[i - 1] as number) - 1;
  const returnCount = count - 1;
  const mean = sum / returnCount;
  let ss = 0;
  for (let i = from + 1; i < end; i++) {
    const d = (close[i] as number) / (close[i - 1] as number) - 1 - mean;
    ss += d * d;
  }
  out.priceUsd = close[end - 1] as number;
  out.adv = adv;
  out.volatility = Math.sqrt(ss / (returnCount - 1)) * Math.sqrt(periodsPerYear);
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
 * a negative or non-finite volume. See {@link marketStatsInto} for the same over columns.
 */
export function marketStatsFromBars(
  bars: readonly Bar[],
  options: MarketStatsOptions = {},
): SymbolMarketStats {
  const windowBars = options.windowBars ?? 20;
  const periodsPerYear = options.periodsPerYear ?? 252;
  checkOptions(windowBars, periodsPerYear);
  assertArrayLike('bars', bars);
  const from = Math.max(0, bars.length - windowBars);
  const count = bars.length - from;
  const close = new Float64Array(count);
  const volume = new Float64Array(count);
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
    close[i - from] = bar.close;
    volume[i - from] = bar.volume;
  }
  const out: MutableMarketStats = { priceUsd: 0, adv: 0, volatility: 0 };
  marketStatsInto(out, close, volume, 0, count, windowBars, periodsPerYear);
  return out;
}
