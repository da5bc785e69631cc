import { ValidationError } from '@quantpipe/core';
import type { SizingConfig } from './sizing-config';

/**
 * The inputs of one sizing as columns: symbol `i` is entry `i` of each column, and exposures
 * are summed in index order. Engines keep one set of columns and refill it every cycle.
 */
export interface SizingColumns {
  /** Symbols sized: the first `count` entries of every column. */
  readonly count: number;
  /** Composite signal (finite). */
  readonly compositeSignal: ArrayLike<number>;
  /** Multiplier on the signal strength (finite, >= 0; 1 when the strategy gives none). */
  readonly confidence: ArrayLike<number>;
  /** Last close in USD (> 0). */
  readonly priceUsd: ArrayLike<number>;
  /** Mean volume of the last 20 daily bars, in shares (finite, >= 0). */
  readonly adv20: ArrayLike<number>;
  /** Names the symbol of entry `i` in error messages. */
  readonly describe: (i: number) => string;
}

/** The portfolio figures of one sizing (written by {@link sizeSharesInto}). */
export interface SizingTotals {
  /** `sum |sharesBeforeScale * price|` in USD. */
  totalExposureUsd: number;
  /** `totalExposureUsd / equityUsd`. */
  targetLeverage: number;
  /** `max_leverage / targetLeverage` when every target was scaled, else NaN. */
  scaleFactor: number;
  /** Single shares removed after scaling (see {@link sizeSharesInto}). */
  repairShares: number;
}

/**
 * Receives every intermediate value of one symbol's sizing, in the spec's order (for traces).
 * `clipped` is whether `|rawShares| > maxShares`.
 */
export type SizingTraceSink = (
  i: number,
  signalStrength: number,
  confidence: number,
  adjustedStrength: number,
  leverage: number,
  signedLeverage: number,
  targetNotionalUsd: number,
  rawShares: number,
  maxSharesLiquidity: number,
  maxSharesPortfolio: number,
  maxShares: number,
  sharesBeforeScale: number,
) => void;

/** `int()` in Python: truncation toward zero, without a negative zero. */
function truncShares(x: number): number {
  const t = Math.trunc(x);
  return t === 0 ? 0 : t;
}

function checkColumns(cols: SizingColumns): void {
  for (let i = 0; i < cols.count; i++) {
    const signal = cols.compositeSignal[i] as number;
    const price = cols.priceUsd[i] as number;
    const adv = cols.adv20[i] as number;
    const confidence = cols.confidence[i] as number;
    // Messages are built only on error: this runs for every symbol on every cycle.
    if (typeof signal !== 'number' || !Number.isFinite(signal))
      throw new ValidationError(
        `${cols.describe(i)}.compositeSignal`,
        `expected a finite signal, got ${String(signal)}`,
      );
    if (typeof price !== 'number' || !Number.isFinite(price) || !(price > 0))
      throw new ValidationError(
        `${cols.describe(i)}.price`,
        `expected a finite number > 0, got ${String(price)}`,
      );
    if (typeof adv !== 'number' || !Number.isFinite(adv) || adv < 0)
      throw new ValidationError(
        `${cols.describe(i)}.adv20`,
        `expected a finite volume >= 0, got ${String(adv)}`,
      );
    if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0)
      throw new ValidationError(
        `${cols.describe(i)}.confidence`,
        `expected a finite number >= 0, got ${String(confidence)}`,
      );
  }
}

/**
 * The spec's liquidity-aware sizing (section 5.1) over columns, into `out[0..count)`: tanh
 * signal strength, confidence, dynamic leverage, the `max_adv_pct` liquidity cap, the
 * per-position cap `equity * max_position_size * max_leverage / price`, then one portfolio
 * scaling when the gross leverage exceeds `max_leverage`. Floating-point operations are done in
 * the seed's order and share counts truncate toward zero (Python's `int()`), so the counts equal
 * the seed's exactly. One addition to the seed: if rounding leaves the scaled portfolio above
 * `max_leverage`, single shares are removed from the largest exposures until it is not
 * (`totals.repairShares`). Allocates nothing.
 *
 * @param cfg a resolved configuration (see `resolveSizingConfig`).
 * @throws ValidationError for a non-finite signal, a non-positive price or equity, a negative
 *   volume or confidence.
 */
export function sizeSharesInto(
  cols: SizingColumns,
  equityUsd: number,
  cfg: SizingConfig,
  out: Float64Array,
  totals?: SizingTotals,
  trace?: SizingTraceSink,
): void {
  if (typeof equityUsd !== 'number' || !Number.isFinite(equityUsd) || !(equityUsd > 0))
    throw new ValidationError(
      'equityUsd',
      `expected a finite number > 0, got ${String(equityUsd)}`,
    );
  checkColumns(cols);
  const n = cols.count;
  let totalExposureUsd = 0;
  for (let i = 0; i < n; i++) {
    const price = cols.priceUsd[i] as number;
    const signalStrength = Math.tanh((cols.compositeSignal[i] as number) * 2);
    const confidence = cols.confidence[i] as number;
    const adjustedStrength = signalStrength * confidence;
    const leverage =
      cfg.min_leverage + (cfg.max_leverage - cfg.min_leverage) * Math.abs(adjustedStrength);
    const signedLeverage = Math.sign(adjustedStrength) * leverage;
    const targetNotionalUsd = equityUsd * signedLeverage * cfg.max_position_size;
    const rawShares = truncShares(targetNotionalUsd / price);
    const maxSharesLiquidity = truncShares((cols.adv20[i] as number) * cfg.max_adv_pct);
    const maxSharesPortfolio = truncShares(
      (equityUsd * cfg.max_position_size * cfg.max_leverage) / price,
    );
    const maxShares = Math.min(maxSharesPortfolio, maxSharesLiquidity);
    const sharesBeforeScale = Math.min(Math.max(rawShares, -maxShares), maxShares) || 0;
    out[i] = sharesBeforeScale;
    totalExposureUsd += Math.abs(sharesBeforeScale * price);
    if (trace !== undefined)
      trace(
        i,
        signalStrength,
        confidence,
        adjustedStrength,
        leverage,
        signedLeverage,
        targetNotionalUsd,
        rawShares,
        maxSharesLiquidity,
        maxSharesPortfolio,
        maxShares,
        sharesBeforeScale,
      );
  }
  const targetLeverage = totalExposureUsd / equityUsd;
  let scaleFactor = Number.NaN;
  let repairShares = 0;
  if (targetLeverage > cfg.max_leverage) {
    scaleFactor = cfg.max_leverage / targetLeverage;
    for (let i = 0; i < n; i++) out[i] = truncShares((out[i] as number) * scaleFactor);
    repairShares = repairLeverage(n, cols.priceUsd, out, equityUsd, cfg.max_leverage);
  }
  if (totals !== undefined) {
    totals.totalExposureUsd = totalExposureUsd;
    totals.targetLeverage = targetLeverage;
    totals.scaleFactor = scaleFactor;
    totals.repairShares = repairShares;
  }
}

/**
 * Removes single shares (toward zero) from the largest exposure until the gross leverage,
 * computed as the spec computes it, is within `maxLeverage`. Returns the shares removed.
 */
function repairLeverage(
  n: number,
  priceUsd: ArrayLike<number>,
  targets: Float64Array,
  equityUsd: number,
  maxLeverage: number,
): number {
  const grossLeverage = (): number => {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.abs((targets[i] as number) * (priceUsd[i] as number));
    return total / equityUsd;
  };
  let removed = 0;
  while (grossLeverage() > maxLeverage) {
    let largest = -1;
    let largestUsd = 0;
    for (let i = 0; i < n; i++) {
      const usd = Math.abs((targets[i] as number) * (priceUsd[i] as number));
      if (usd > largestUsd) {
        largestUsd = usd;
        largest = i;
      }
    }
    if (largest < 0) break;
    const shares = targets[largest] as number;
    targets[largest] = shares > 0 ? shares - 1 : shares + 1;
    removed += 1;
  }
  return removed;
}
